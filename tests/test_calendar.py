"""The meeting in everyone's calendar: a weekly series in Europe/Copenhagen with its
VTIMEZONE, a holiday move as an exception of the series and a cancellation left out, no case
details; read back by icalendar and by vobject, an independent parser; served at a secret
URL and written by `sparbot calendar`."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject  # type: ignore[import-untyped]
from icalendar import Calendar

from sparbot.bot.calendar import calendar_for_token, calendar_secret
from sparbot.bot.server import CALENDAR_PREFIX
from sparbot.enums import HolidayPolicy
from sparbot.services.calendar_feed import calendar_token, meeting_calendar
from sparbot.services.meetings import MeetingRules
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_cli import invoke

CPH = ZoneInfo("Europe/Copenhagen")
EASTER_MONDAY = date(2027, 3, 29)  # a Monday, a Danish public holiday


def feed(policy: HolidayPolicy) -> bytes:
    return meeting_calendar(
        rules=MeetingRules(weekday=0, starts_at=time(9, 30), minutes=60,
                           holiday_policy=policy),
        title="Sparringsmøde – Nord", summary="Sparringsmøde – Nord",
        description="Det ugentlige sparringsmøde.",
        moved_note={"holiday": "flyttet: helligdag", "closure": "flyttet: lukkedag"},
        team_id=7, today=date(2027, 1, 4), now=datetime(2027, 1, 4, 8, 0, tzinfo=CPH))


def test_a_weekly_series_with_the_holiday_move_read_back_by_two_parsers() -> None:
    data = feed(HolidayPolicy.MOVE)
    calendar: Any = Calendar.from_ical(data)  # its properties are read as the RFC names them
    zones = [component for component in calendar.walk("VTIMEZONE")]
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Copenhagen"]
    events = list(calendar.walk("VEVENT"))
    series = next(event for event in events if "RRULE" in event)
    assert series["RRULE"]["FREQ"] == ["WEEKLY"] and series["RRULE"]["BYDAY"] == ["MO"]
    assert series.decoded("DTSTART") == datetime(2026, 12, 7, 9, 30, tzinfo=CPH)
    moved = [event for event in events if "RECURRENCE-ID" in event]
    easter = next(event for event in moved
                  if event.decoded("RECURRENCE-ID").date() == EASTER_MONDAY)
    assert easter.decoded("DTSTART") == datetime(2027, 3, 30, 9, 30, tzinfo=CPH)
    assert "flyttet: helligdag" in str(easter["SUMMARY"])
    assert {str(event["UID"]) for event in events} == {"sparbot-meeting-team-7@sparbot"}
    # An independent parser reads the same series and the same exception.
    parsed = vobject.readOne(data.decode())
    vevents = parsed.vevent_list
    assert any(getattr(event, "rrule", None) is not None for event in vevents)
    overrides = {event.recurrence_id.value.date(): event.dtstart.value
                 for event in vevents if hasattr(event, "recurrence_id")}
    assert overrides[EASTER_MONDAY] == datetime(2027, 3, 30, 9, 30, tzinfo=CPH)
    assert overrides[EASTER_MONDAY].utcoffset() is not None  # in Copenhagen time


def test_a_cancelled_meeting_is_left_out_of_the_series() -> None:
    calendar: Any = Calendar.from_ical(feed(HolidayPolicy.CANCEL))
    series = next(event for event in calendar.walk("VEVENT") if "RRULE" in event)
    found: Any = series["EXDATE"]
    lists: list[Any] = found if isinstance(found, list) else [found]
    excluded = {moment.dt.date() for exdate in lists for moment in exdate.dts}
    assert EASTER_MONDAY in excluded
    assert not any("RECURRENCE-ID" in event for event in calendar.walk("VEVENT"))


def test_the_secret_url_serves_the_teams_feed_and_nothing_else(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    secret = calendar_secret(bot.deps)
    assert secret is not None  # the signing secret, when no calendar secret is set
    token = calendar_token(secret, None)
    data = calendar_for_token(bot.deps, token)
    assert data is not None and b"BEGIN:VCALENDAR" in data
    assert b"ZA" not in data and b"U0MENTOR" not in data  # no case detail, no person
    base = bot.driver.events_url.replace("/slack/events", "")
    with urllib.request.urlopen(f"{base}{CALENDAR_PREFIX}{token}.ics", timeout=5) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        assert Calendar.from_ical(answer.read()).walk("VEVENT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}{CALENDAR_PREFIX}{'0' * 32}.ics", timeout=5)
    assert refused.value.code == 404


def test_sparbot_calendar_writes_the_file_and_names_its_url(database_url: str,
                                                           tmp_path: Path) -> None:
    assert invoke(database_url, "db", "upgrade")[0] == 0
    target = tmp_path / "møde.ics"
    code, output = invoke(database_url, "calendar", "-o", str(target), "--url",
                          "https://sparbot.example.dk")
    assert code == 0, output
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(target) in output
