"""When the weekly sparring meeting is, and when its agenda is posted.

Dates are local (Europe/Copenhagen). A meeting that falls on a Danish public holiday or a
closure day the team configured moves to the next working day or is cancelled, as
configured; the bot says so in the channel either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sparbot.clock import is_public_holiday, is_working_day
from sparbot.enums import HolidayPolicy

_WEEKDAYS = {
    "monday": 0, "mandag": 0, "tuesday": 1, "tirsdag": 1, "wednesday": 2, "onsdag": 2,
    "thursday": 3, "torsdag": 3, "friday": 4, "fredag": 4,
}  # fmt: skip


def parse_weekday(text: str) -> int:
    word = text.strip().lower()
    if word in _WEEKDAYS:
        return _WEEKDAYS[word]
    if word.isascii() and word.isdigit() and len(word) == 1 and 1 <= int(word) <= 5:
        return int(word) - 1
    raise ValueError("must be a working day such as tuesday (or tirsdag)")


def parse_clock_time(text: str) -> time:
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise ValueError("must be a time such as 14:00")
    return time(int(found.group(1)), int(found.group(2)))


def parse_attendees(text: str) -> tuple[str, ...]:
    """Comma-separated Slack ids or names (SPARBOT_JOBCENTER_ATTENDEES, a team's own)."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


def parse_closure_days(text: str) -> list[date]:
    """'2026-12-21..2027-01-01, 2027-05-14' → every day listed or in a range."""
    days: list[date] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            if ".." in part:
                first, last = (date.fromisoformat(end.strip()) for end in part.split("..", 1))
                if last < first or (last - first).days > 366:
                    raise ValueError
                days += [first + timedelta(days=offset)
                         for offset in range((last - first).days + 1)]
            else:
                days.append(date.fromisoformat(part))
        except ValueError:
            raise ValueError("must be dates (YYYY-MM-DD) or ranges (YYYY-MM-DD..YYYY-MM-DD), "
                             "separated by commas") from None
    return days


@dataclass(frozen=True)
class MeetingRules:
    weekday: int = 1  # Tuesday
    starts_at: time = time(10, 0)
    minutes: int = 60
    minutes_per_case: int = 8
    post_at: time = time(14, 0)
    holiday_policy: HolidayPolicy = HolidayPolicy.MOVE
    closures: frozenset[date] = field(default_factory=frozenset)
    jobcenter_attendees: tuple[str, ...] = ()

    @property
    def capacity(self) -> int:
        """How many cases fit in the meeting."""
        return max(1, self.minutes // self.minutes_per_case)

    def is_open(self, day: date) -> bool:
        return is_working_day(day, self.closures)


@dataclass(frozen=True)
class MeetingPlan:
    """One week's meeting: when it would be, and when it is (None if cancelled)."""

    regular: date
    held_on: date | None
    closed_because: str | None  # "holiday" or "closure" when moved or cancelled

    @property
    def moved(self) -> bool:
        return self.held_on is not None and self.held_on != self.regular


def plan_meeting(regular: date, rules: MeetingRules) -> MeetingPlan:
    if rules.is_open(regular):
        return MeetingPlan(regular, regular, None)
    reason = "holiday" if is_public_holiday(regular) else "closure"
    if rules.holiday_policy is HolidayPolicy.CANCEL:
        return MeetingPlan(regular, None, reason)
    # Move to the next working day in the same week; a week that is closed to its end
    # (Christmas, say) has no meeting rather than two meetings in a row.
    candidate = regular + timedelta(days=1)
    saturday = regular + timedelta(days=5 - regular.weekday())
    while candidate < saturday:
        if rules.is_open(candidate):
            return MeetingPlan(regular, candidate, reason)
        candidate += timedelta(days=1)
    return MeetingPlan(regular, None, reason)


def regular_date_on_or_after(day: date, rules: MeetingRules) -> date:
    return day + timedelta(days=(rules.weekday - day.weekday()) % 7)


def next_meeting(now: datetime, rules: MeetingRules) -> MeetingPlan:
    """The coming meeting as seen at `now`: this week's until it has started, else the next."""
    tz = now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("Europe/Copenhagen")
    local = now.astimezone(tz)
    regular = regular_date_on_or_after(local.date() - timedelta(days=6), rules)
    while True:
        plan = plan_meeting(regular, rules)
        decisive = plan.held_on or plan.regular
        if datetime.combine(decisive, rules.starts_at, tzinfo=tz) > local:
            return plan
        regular += timedelta(days=7)


def meeting_of_the_day(now: datetime, rules: MeetingRules) -> MeetingPlan:
    """The meeting people mean on the day it is held – before, during and after it – and
    otherwise the next one held ("who attends" typed at 10:02 is about the meeting that
    began at 10:00, not next week's)."""
    tz = now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("Europe/Copenhagen")
    today = now.astimezone(tz).date()
    regular = regular_date_on_or_after(today - timedelta(days=6), rules)
    while True:
        plan = plan_meeting(regular, rules)
        if plan.held_on is not None and plan.held_on >= today:
            return plan
        regular += timedelta(days=7)


def posting_day(plan: MeetingPlan, rules: MeetingRules) -> date:
    """The working day before the meeting (before its regular date if it is cancelled)."""
    day = (plan.held_on or plan.regular) - timedelta(days=1)
    while not rules.is_open(day):
        day -= timedelta(days=1)
    return day


def posting_instant(plan: MeetingPlan, rules: MeetingRules, tz: ZoneInfo) -> datetime:
    return datetime.combine(posting_day(plan, rules), rules.post_at, tzinfo=tz)
