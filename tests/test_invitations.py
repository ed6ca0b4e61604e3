"""The meeting series in the jobcenter attendee's own calendar, by e-mail through a local
SMTP server: a first invitation (METHOD:REQUEST), nothing more while nothing changes, an
update when a meeting moves, and a CANCEL when one is called off; each sent once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import Engine

from sparbot.bot.app import make_deps
from sparbot.bot.invitations import send_invitations
from sparbot.clock import FixedClock
from sparbot.config import Settings
from sparbot.db import SessionFactory

ATTENDEES = "jonas@kommune.dk, Jens Jobcenter"  # only an e-mail address gets an invitation


class Inbox:
    def __init__(self) -> None:
        self.received: list[Message] = []

    async def handle_DATA(self, server: object, session: object,  # noqa: N802
                          envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:  # a free port on loopback for the test's mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def run(db: SessionFactory, clock: FixedClock, port: int, **extra: str) -> Any:
    values: dict[str, Any] = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                              "SMTP_FROM": "sparbot@udbyder.dk", "SMTP_STARTTLS": "false",
                              "SPARBOT_JOBCENTER_ATTENDEES": ATTENDEES, **extra}
    settings = Settings(_env_file=None, **values)
    return send_invitations(make_deps(settings, db, clock=clock))


def calendar_part(message: Message) -> tuple[str, Any]:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return str(part.get_param("method")), Calendar.from_ical(payload)
    raise AssertionError("no calendar in the e-mail")


def test_invited_once_updated_when_a_meeting_moves_and_told_when_one_is_called_off(
        db: SessionFactory, engine: Engine, clock: FixedClock,
        inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    assert run(db, clock, port).requests == 1
    [first] = box.received
    assert first["To"] == "jonas@kommune.dk"
    method, calendar = calendar_part(first)
    assert method == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
    series = next(event for event in calendar.walk("VEVENT") if "RRULE" in event)
    assert str(series["ATTENDEE"]) == "mailto:jonas@kommune.dk"
    assert int(series["SEQUENCE"]) == 0
    assert run(db, clock, port).requests == 0 and len(box.received) == 1  # nothing changed
    # A closure day on a meeting Tuesday: the meeting moves, and the series is updated.
    moved = run(db, clock, port, SPARBOT_CLOSURE_DAYS="2026-12-08")
    assert (moved.requests, moved.cancels) == (1, 0)
    method, calendar = calendar_part(box.received[-1])
    exceptions = [event for event in calendar.walk("VEVENT") if "RECURRENCE-ID" in event]
    assert [event.decoded("RECURRENCE-ID").date().isoformat() for event in exceptions] == [
        "2026-12-08"]
    assert all(int(event["SEQUENCE"]) == 1 for event in calendar.walk("VEVENT"))
    # The next Tuesday called off (a closure, and the policy is to cancel): one CANCEL.
    called_off = run(db, clock, port, SPARBOT_CLOSURE_DAYS="2026-12-08",
                     SPARBOT_HOLIDAY_POLICY="cancel")
    assert called_off.cancels == 1
    cancel = next(message for message in box.received if message["Subject"].startswith(
        "Aflyst"))
    method, calendar = calendar_part(cancel)
    [event] = calendar.walk("VEVENT")
    assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("RECURRENCE-ID").date().isoformat() == "2026-12-08"
    count = len(box.received)
    again = run(db, clock, port, SPARBOT_CLOSURE_DAYS="2026-12-08",
                SPARBOT_HOLIDAY_POLICY="cancel")
    assert (again.requests, again.cancels) == (0, 0) and len(box.received) == count


def test_nothing_is_claimed_when_the_mail_server_says_no(
        db: SessionFactory, engine: Engine, clock: FixedClock) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    failed = run(db, clock, port)
    assert (failed.requests, failed.failed) == (0, 1)
    assert run(db, clock, port).failed == 1  # still due: tried again, not forgotten
