"""Requests Slack did not sign are refused; CPR numbers never get in; text is escaped."""

from __future__ import annotations

import logging
import time

import pytest
from sqlmodel import select

from sparbot.models import Case, HoursEntry, Placement
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import block_text


def test_a_forged_signature_gets_401_and_changes_nothing(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    response = bot.driver.command("timer ZA 3", signature="v0=" + "0" * 64)
    assert response.status == 401
    stale = bot.driver.command("timer ZA 3", timestamp=int(time.time()) - 10 * 60)
    assert stale.status == 401
    time.sleep(0.2)
    assert bot.slack.calls == []
    with bot.db() as session:
        assert session.exec(select(HoursEntry)).all() == []


@pytest.mark.parametrize("text", [
    "sag 010190-1234",
    "timer ZA 3 fra:0101901234",
    'praktik ZA virksomhed Solbakken kontakt:"Borger 311299 1234"',
])
def test_a_cpr_number_in_a_command_is_refused_unechoed_and_unlogged(
        bot: Bot, text: str, caplog: pytest.LogCaptureFixture) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    caplog.set_level(logging.DEBUG)
    response = bot.driver.command(text)
    assert response.status == 200
    assert "CPR-nummer" in response.body  # Slack shows a plain-text ack to the user alone
    digits = "".join(ch for ch in text if ch.isdigit())[-4:]
    assert digits not in response.body
    time.sleep(0.2)
    assert bot.slack.calls == []
    assert digits not in caplog.text.replace("0000", "")
    with bot.db() as session:
        assert session.exec(select(HoursEntry)).all() == []
        assert session.exec(select(Placement)).all() == []


def test_user_text_cannot_ping_the_channel_or_forge_links(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    bot.driver.command('praktik ZA virksomhed <!channel> <https://evil.example|Solbakken> '
                       'kontakt:"<@U0BOSS>"')
    bot.slack.wait_for("response_url")
    bot.driver.command("sag ZA")
    text = block_text(bot.slack.wait_for("response_url", 2)[1].blocks)
    assert "<!channel>" not in text and "<https://" not in text and "<@U0BOSS>" not in text
    assert "&lt;!channel&gt;" in text


def test_a_reference_that_is_not_initials_is_refused(bot: Bot) -> None:
    view_response = bot.driver.command("sag ny")
    assert view_response.status == 200
    view = bot.slack.wait_for("views.open")[0].view
    answer = bot.driver.submit(view, {"ref": "<!here>", "programme": "LFI",
                                      "purpose": "education", "mentor": "U0MENTOR"}).json()
    assert "kan ikke bruges som reference" in answer["errors"]["ref"]
    with bot.db() as session:
        assert session.exec(select(Case)).all() == []


def test_malformed_timestamps_get_401_not_500(bot: Bot) -> None:
    for timestamp in ("abc", "", "1.5", "-1", "9" * 20):
        response = bot.driver.post("command=%2Fspar&text=sager",
                                   "application/x-www-form-urlencoded",
                                   signature="v0=" + "0" * 64,
                                   headers={"X-Slack-Request-Timestamp": timestamp})
        assert response.status == 401, timestamp
    assert bot.slack.calls == []


def test_a_retried_event_is_not_handled_twice(bot: Bot) -> None:
    bot.driver.open_home("U0MENTOR")
    bot.slack.wait_for("views.publish")
    retry = bot.driver.open_home("U0MENTOR", headers={"X-Slack-Retry-Num": "1",
                                                      "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    time.sleep(0.3)
    assert len(bot.slack.calls_to("views.publish")) == 1


def test_a_replayed_request_is_answered_but_not_handled_twice(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    body = ("command=%2Fspar&text=timer+ZA+3&user_id=U0MENTOR&channel_id=C0SPARRING"
            f"&trigger_id=1.2.3&response_url={bot.slack.response_url()}")
    timestamp = int(time.time())
    first = bot.driver.post(body, "application/x-www-form-urlencoded", timestamp=timestamp)
    again = bot.driver.post(body, "application/x-www-form-urlencoded", timestamp=timestamp)
    assert (first.status, again.status) == (200, 200)
    bot.slack.wait_for("response_url")
    time.sleep(0.3)
    with bot.db() as session:
        assert len(session.exec(select(HoursEntry)).all()) == 1
    assert len(bot.slack.calls_to("response_url")) == 1
