"""The gate (sparbot.bot.gate): whatever arrives at /slack/events, signed or not, gets a
status that says what was wrong (400, 401, 413), never a 500 page, never reaches a handler,
and its body is never written to the log."""

from __future__ import annotations

import http.client
import json
import logging
import time
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from sparbot.bot.gate import MAX_BODY_BYTES
from sparbot.bot.server import EVENTS_PATH
from sparbot.models import AuditEvent, HoursEntry
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
SECRET_TEXT = "Borger ZA har det svært 110186-1346"

# Bodies Bolt would choke on: each with the content type it arrives with.
MALFORMED: dict[str, tuple[bytes, str]] = {
    "form not UTF-8": (b"command=%2Fspar&text=timer+ZA+3" + b"&x=\xe6\xf8\xe5", FORM),
    "form with a NUL byte": (b"command=%2Fspar&text=sag\x00", FORM),
    "JSON that does not parse": (b'{"type": "event_callback", ', JSON),
    "a JSON array": (b'[{"type": "event_callback"}]', JSON),
    "a JSON string": (b'"event_callback"', JSON),
    "JSON not UTF-8": (b'{"type": "\xff"}', JSON),
    "payload= not JSON": (b"payload=%7Bnot+json", FORM),
    "payload= a JSON array": (b"payload=%5B1%2C2%5D", FORM),
    "payload= a JSON number": (b"payload=42", FORM),
    "payload= twice": (b"payload=%7B%7D&payload=%7B%7D", FORM),
    "a form with neither command nor payload": (b"text=sager", FORM),
    "an empty body": (b"", FORM),
}


@pytest.fixture
def case_za(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))


def _nothing_happened(bot: Bot) -> None:
    time.sleep(0.2)
    bot.idle()
    assert bot.slack.calls == []
    with bot.db() as session:
        assert session.exec(select(HoursEntry)).all() == []
        assert session.exec(select(AuditEvent)).all() == []


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_a_body_bolt_would_choke_on_gets_400_signed_and_401_unsigned(
        bot: Bot, case_za: None, signed: bool, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name, (body, content_type) in MALFORMED.items():
        response = bot.driver.post(body, content_type,
                                   signature=None if signed else "v0=" + "0" * 64)
        assert response.status == (400 if signed else 401), name
    _nothing_happened(bot)
    assert "Exception" not in caplog.text and "Traceback" not in caplog.text


def test_a_forged_signature_is_refused_whatever_the_retry_headers_say(
        bot: Bot, case_za: None) -> None:
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    forged = bot.driver.command("timer ZA 3", signature="v0=" + "0" * 64, headers=retry)
    unsigned = bot.driver.command("timer ZA 3", signature="", headers=retry)
    assert (forged.status, unsigned.status) == (401, 401)
    _nothing_happened(bot)


def test_a_stale_or_unsigned_request_is_refused_and_never_logged(
        bot: Bot, case_za: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    stale = bot.driver.command(f"sag ZA {SECRET_TEXT}", timestamp=int(time.time()) - 600)
    forged = bot.driver.command(f"sag ZA {SECRET_TEXT}", signature="v0=" + "1" * 64)
    assert (stale.status, forged.status) == (401, 401)
    _nothing_happened(bot)
    for secret in ("svært", "110186", "response_url", "hooks"):
        assert secret not in caplog.text


def test_a_body_too_big_to_be_from_slack_gets_413_unread_and_unlogged(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host, port = urlsplit(bot.driver.events_url).netloc.split(":")
    for size in (MAX_BODY_BYTES + 1, 10 * 1024 * 1024):
        # Only the headers and a first kilobyte are sent: the answer comes without the rest.
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.putrequest("POST", EVENTS_PATH)
        for name, value in (("Content-Type", FORM), ("Content-Length", str(size)),
                            ("X-Slack-Request-Timestamp", str(int(time.time()))),
                            ("X-Slack-Signature", "v0=" + "0" * 64)):
            connection.putheader(name, value)
        connection.endheaders(b"command=%2Fspar&text=" + b"A" * 1000)
        assert connection.getresponse().status == 413
        connection.close()
    assert "AAAAAAAAAA" not in caplog.text
    _nothing_happened(bot)


def test_a_json_object_of_an_unknown_shape_is_answered_without_a_500(bot: Bot) -> None:
    # Signed and an object, but nothing Slack sends: Bolt finds no listener for it.
    for payload in ({"type": "block_actions", "user": "U0MENTOR", "actions": "x"},
                    {"type": 7}, {}):
        response = bot.driver.post(f"payload={json.dumps(payload)}", FORM)
        assert response.status in (200, 400, 404), payload
    _nothing_happened(bot)


def test_a_good_request_still_gets_through(bot: Bot, case_za: None) -> None:
    assert bot.driver.command("timer ZA 3").status == 200
    bot.slack.wait_for("response_url")
    with bot.db() as session:
        assert len(session.exec(select(HoursEntry)).all()) == 1
