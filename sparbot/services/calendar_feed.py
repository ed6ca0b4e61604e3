"""Each team's sparring meeting as an iCalendar feed: a weekly series in Europe/Copenhagen
(with its VTIMEZONE), a meeting moved for a holiday or a closure day as an exception of the
series (RECURRENCE-ID), a cancelled one left out (EXDATE). No case detail in any entry:
what the meeting takes up is in the team's channel, not in anyone's calendar."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from sparbot.services.meetings import MeetingRules, plan_meeting, regular_date_on_or_after

PAST = timedelta(weeks=4)  # a calendar shows the meetings just held too
AHEAD_WEEKS = 52
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar_key(team_id: int | None) -> str:
    return "own" if team_id is None else f"team-{team_id}"


def calendar_token(secret: str, team_id: int | None) -> str:
    """The secret part of a team's feed URL: only someone given the URL can read it."""
    return hmac.new(secret.encode(), f"calendar:{calendar_key(team_id)}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def meeting_calendar(*, rules: MeetingRules, title: str, summary: str, description: str,
                     moved_note: dict[str, str], team_id: int | None, today: date,
                     now: datetime, tz: str = "Europe/Copenhagen") -> bytes:
    zone = ZoneInfo(tz)
    first = regular_date_on_or_after(today - PAST, rules)
    uid = f"sparbot-meeting-{calendar_key(team_id)}@sparbot"
    length = timedelta(minutes=rules.minutes)

    def at(day: date) -> datetime:
        return datetime.combine(day, rules.starts_at, tzinfo=zone)

    calendar = Calendar()
    calendar.add("prodid", "-//sparbot//sparringsmøde//DA")
    calendar.add("version", "2.0")
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
    moved: list[Event] = []
    cancelled: list[datetime] = []
    for week in range(AHEAD_WEEKS + PAST.days // 7 + 1):
        regular = first + timedelta(weeks=week)
        plan = plan_meeting(regular, rules)
        if plan.held_on is None:
            cancelled.append(at(regular))
        elif plan.moved:
            exception = Event()
            exception.add("uid", uid)
            exception.add("dtstamp", now)
            exception.add("recurrence-id", at(regular))
            exception.add("summary", f"{summary} ({moved_note[plan.closed_because or 'closure']})")
            exception.add("description", description)
            exception.add("dtstart", at(plan.held_on))
            exception.add("duration", length)
            moved.append(exception)
    if cancelled:
        series.add("exdate", cancelled)
    calendar.add_component(series)
    for exception in moved:
        calendar.add_component(exception)
    if tz == COPENHAGEN:
        calendar.add_component(copenhagen_timezone())
    else:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


COPENHAGEN = "Europe/Copenhagen"


def copenhagen_timezone() -> Timezone:
    """Europe/Copenhagen as the EU's yearly rule (summer time from the last Sunday of March
    to the last Sunday of October): every calendar reads a rule alike, where a list of
    dates (what a generator derives from the tz database) some parsers get wrong."""
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
