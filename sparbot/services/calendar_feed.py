"""Each team's sparring meeting as an iCalendar feed: a weekly series in Europe/Copenhagen
(with its VTIMEZONE), a meeting moved for a holiday or a closure day as an exception of the
series (RECURRENCE-ID), a cancelled one left out (EXDATE). No case detail in any entry:
what the meeting takes up is in the team's channel, not in anyone's calendar."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sparbot.services.meetings import MeetingRules, plan_meeting, regular_date_on_or_after

if TYPE_CHECKING:  # icalendar is imported when a calendar is first made, not at start-up
    from icalendar import Calendar, Timezone

PAST = timedelta(weeks=4)  # a calendar shows the meetings just held too
AHEAD_WEEKS = 52
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar_key(team_id: int | None) -> str:
    return "own" if team_id is None else f"team-{team_id}"


def calendar_token(secret: str, team_id: int | None) -> str:
    """The secret part of a team's feed URL: only someone given the URL can read it."""
    return hmac.new(secret.encode(), f"calendar:{calendar_key(team_id)}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def series_start(rules: MeetingRules, today: date) -> date:
    return regular_date_on_or_after(today - PAST, rules)


def exceptions(rules: MeetingRules, first: date, today: date
               ) -> tuple[list[tuple[date, date, str]], list[date]]:
    """The series' meetings moved (regular day, day held, why) and cancelled, from its
    first meeting to a year ahead."""
    moved: list[tuple[date, date, str]] = []
    cancelled: list[date] = []
    regular = first
    while regular <= today + timedelta(weeks=AHEAD_WEEKS):
        plan = plan_meeting(regular, rules)
        if plan.held_on is None:
            cancelled.append(regular)
        elif plan.moved:
            moved.append((regular, plan.held_on, plan.closed_because or "closure"))
        regular += timedelta(weeks=1)
    return moved, cancelled


def fingerprint(rules: MeetingRules, first: date, today: date) -> str:
    """The series as an attendee's calendar holds it: its day, time and length, and the
    meetings moved. A change of any is an update to send; the days passing are not (and a
    meeting called off is its own CANCEL)."""
    moved, _cancelled = exceptions(rules, first, today)
    text = repr((rules.weekday, rules.starts_at, rules.minutes, first, moved))
    return hashlib.sha256(text.encode()).hexdigest()


def meeting_calendar(*, rules: MeetingRules, title: str, summary: str, description: str,
                     moved_note: dict[str, str], team_id: int | None, today: date,
                     now: datetime, tz: str = "Europe/Copenhagen", first: date | None = None,
                     invitation: tuple[str, str, int] | None = None) -> bytes:
    """The feed; with `invitation` (organizer, attendee, sequence), the same series as an
    e-mail invitation (METHOD:REQUEST)."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(tz)
    first = first or series_start(rules, today)
    uid = f"sparbot-meeting-{calendar_key(team_id)}@sparbot"
    length = timedelta(minutes=rules.minutes)

    def at(day: date) -> datetime:
        return datetime.combine(day, rules.starts_at, tzinfo=zone)

    calendar = Calendar()
    calendar.add("prodid", "-//sparbot//sparringsmøde//DA")
    calendar.add("version", "2.0")
    if invitation is not None:
        calendar.add("method", "REQUEST")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", tz)
    series = Event()
    series.add("uid", uid)
    series.add("dtstamp", now)
    series.add("summary", summary)
    series.add("description", description)
    series.add("dtstart", at(first))
    series.add("duration", length)
    series.add("rrule", {"freq": "weekly", "byday": _DAYS[rules.weekday]})
    moved_days, cancelled_days = exceptions(rules, first, today)
    moved: list[Event] = []
    for regular, held_on, why in moved_days:
        exception = Event()
        exception.add("uid", uid)
        exception.add("dtstamp", now)
        exception.add("recurrence-id", at(regular))
        exception.add("summary", f"{summary} ({moved_note[why]})")
        exception.add("description", description)
        exception.add("dtstart", at(held_on))
        exception.add("duration", length)
        moved.append(exception)
    if cancelled_days:
        series.add("exdate", [at(day) for day in cancelled_days])
    for event in (series, *moved):
        if invitation is not None:
            organizer, attendee, sequence = invitation
            event.add("organizer", f"mailto:{organizer}")
            event.add("attendee", f"mailto:{attendee}",
                      parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "TRUE"})
            event.add("sequence", sequence)
        calendar.add_component(event)
    return _with_zone(calendar, tz)


def _with_zone(calendar: Calendar, tz: str) -> bytes:
    if tz == COPENHAGEN:
        calendar.add_component(copenhagen_timezone())
    else:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def cancellation(*, rules: MeetingRules, team_id: int | None, day: date, summary: str,
                 organizer: str, attendee: str, sequence: int, now: datetime,
                 tz: str = "Europe/Copenhagen") -> bytes:
    """One meeting of the series called off (METHOD:CANCEL, its RECURRENCE-ID)."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", "-//sparbot//sparringsmøde//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL")
    event = Event()
    event.add("uid", f"sparbot-meeting-{calendar_key(team_id)}@sparbot")
    event.add("dtstamp", now)
    moment = datetime.combine(day, rules.starts_at, tzinfo=zone)
    event.add("recurrence-id", moment)
    event.add("dtstart", moment)
    event.add("duration", timedelta(minutes=rules.minutes))
    event.add("summary", summary)
    event.add("status", "CANCELLED")
    event.add("organizer", f"mailto:{organizer}")
    event.add("attendee", f"mailto:{attendee}")
    event.add("sequence", sequence)
    calendar.add_component(event)
    return _with_zone(calendar, tz)


COPENHAGEN = "Europe/Copenhagen"


def copenhagen_timezone() -> Timezone:
    """Europe/Copenhagen as the EU's yearly rule (summer time from the last Sunday of March
    to the last Sunday of October): every calendar reads a rule alike, where a list of
    dates (what a generator derives from the tz database) some parsers get wrong."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", COPENHAGEN)
    # A VTIMEZONE's DTSTART is the zone's own local time: naive by the RFC.
    for part, name, before, after, start, month in (
            (TimezoneDaylight(), "CEST", 1, 2, datetime(1996, 3, 31, 2, 0), 3),  # noqa: DTZ001
            (TimezoneStandard(), "CET", 2, 1, datetime(1996, 10, 27, 3, 0), 10)):  # noqa: DTZ001
        part.add("tzname", name)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        zone.add_component(part)
    return zone
