"""Attendance in the course: days planned and days met, week by week, and what the team
reads from it (a share, a trend, a flag for the agenda, a week not logged).

A week is the calendar week, Monday to Sunday, named by its Monday. A health reason is the
code "sick" and nothing more: the bot keeps no diagnosis."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sparbot.errors import UserError
from sparbot.models import TEXT_MAX, AttendanceWeek, Case, HoursEntry
from sparbot.privacy import ensure_no_cpr
from sparbot.services.case_refs import get_active_case

WEEK = timedelta(days=7)
DAYS_MAX = 7
# From Thursday on, "this week" is mostly lived: a count typed without a week is for it.
# Earlier in the week it is for the week before (a Monday-morning mentor logs last week).
_THIS_WEEK_FROM_WEEKDAY = 3


class AttendanceLike(Protocol):
    """A stored week (AttendanceWeek) or its light row (rows.AttendanceRow)."""

    @property
    def week_start(self) -> date: ...
    @property
    def planned_days(self) -> int: ...
    @property
    def attended_days(self) -> int: ...
    @property
    def sick_days(self) -> int: ...
    @property
    def no_show_days(self) -> int: ...
    @property
    def left_early_days(self) -> int: ...


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def default_week(today: date) -> date:
    monday = week_of(today)
    return monday if today.weekday() >= _THIS_WEEK_FROM_WEEKDAY else monday - WEEK


def week_numbered(number: int, today: date) -> date:
    """The Monday of ISO week `number`: this year's, unless that week has not begun yet,
    then last year's (in January, "uge 52" is December's)."""
    year = today.isocalendar().year
    for candidate_year in (year, year - 1):
        try:
            monday = date.fromisocalendar(candidate_year, number, 1)
        except ValueError:  # week 53 in a year of 52 weeks, or 0
            continue
        if monday <= week_of(today):
            return monday
    raise UserError("bad_week", text=str(number))


@dataclass(frozen=True)
class AttendanceInput:
    week_start: date
    planned: int
    attended: int
    sick: int = 0
    no_show: int = 0
    left_early: int = 0
    note: str | None = None


def check_counts(data: AttendanceInput) -> None:
    """The days must add up: met and missed within the days planned, a day left early one
    that was met. Each mistake says what to type instead."""
    for field, value in (("planned", data.planned), ("attended", data.attended),
                         ("sick", data.sick), ("no-show", data.no_show),
                         ("left-early", data.left_early)):
        if not 0 <= value <= DAYS_MAX:
            raise UserError("bad_days", field=field, text=str(value), maximum=DAYS_MAX)
    if data.attended > data.planned:
        raise UserError("attended_over_planned", field="attended", attended=data.attended,
                        planned=data.planned)
    if data.attended + data.sick + data.no_show > data.planned:
        raise UserError("missed_over_planned", field="sick", attended=data.attended,
                        sick=data.sick, no_show=data.no_show, planned=data.planned)
    if data.left_early > data.attended:
        raise UserError("left_early_over_attended", field="left-early",
                        left_early=data.left_early, attended=data.attended)


def record_attendance(*, session: Session, ref: str, data: AttendanceInput,
                      actor: str | None, today: date) -> tuple[AttendanceWeek, bool]:
    """Record a week's attendance (replacing what was recorded for that week before).
    Returns the week and whether it replaced an earlier record."""
    case = get_active_case(session=session, ref=ref)
    assert case.id is not None
    check_counts(data)
    if data.week_start < week_of(case.start_date):
        raise UserError("week_before_start", field="week", ref=case.ref,
                        start=case.start_date)
    if data.week_start > week_of(today):
        raise UserError("week_in_future", field="week")
    note = (data.note or "").strip() or None
    if note is not None:
        ensure_no_cpr(note)
        if len(note) > TEXT_MAX:
            raise UserError("text_too_long", field="note", maximum=TEXT_MAX)
    values: dict[str, Any] = {
        "planned_days": data.planned, "attended_days": data.attended,
        "sick_days": data.sick, "no_show_days": data.no_show,
        "left_early_days": data.left_early, "note": note, "recorded_by": actor}
    week = _recorded(session, case.id, data.week_start)
    if week is None:
        try:
            with session.begin_nested():  # two people logging the same week at once
                week = AttendanceWeek(case_id=case.id, week_start=data.week_start, **values)
                session.add(week)
            return week, False
        except IntegrityError:
            week = _recorded(session, case.id, data.week_start)
            assert week is not None
    for name, value in values.items():
        setattr(week, name, value)
    session.flush()
    return week, True


def _recorded(session: Session, case_id: int, week_start: date) -> AttendanceWeek | None:
    return session.exec(select(AttendanceWeek).where(
        AttendanceWeek.case_id == case_id, AttendanceWeek.week_start == week_start)).first()


@dataclass(frozen=True)
class FormGuess:
    week: date
    planned: int


DEFAULT_PLANNED_DAYS = 5


def form_guess(*, session: Session, case: Case, today: date) -> FormGuess:
    """What the form offers first: last week if it is not logged yet (the digest's
    reminder), else the week a typed count is for; the days planned as last logged, else
    as the hours' pattern says ("3×3": 3 days), else a working week."""
    assert case.id is not None
    last_week = week_of(today) - WEEK
    logged = session.exec(select(col(AttendanceWeek.week_start), col(AttendanceWeek.planned_days))
                          .where(AttendanceWeek.case_id == case.id)
                          .order_by(col(AttendanceWeek.week_start).desc())).all()
    week = default_week(today)
    if last_week >= week_of(case.start_date) and last_week not in {row[0] for row in logged}:
        week = last_week
    if logged:
        return FormGuess(week, logged[0][1])
    hours = session.exec(select(col(HoursEntry.pattern)).where(
        HoursEntry.case_id == case.id, col(HoursEntry.effective_from) <= today)
        .order_by(col(HoursEntry.effective_from).desc(), col(HoursEntry.id).desc())).first()
    days = re.match(r"([0-9]+)×", hours or "")
    planned = int(days.group(1)) if days else DEFAULT_PLANNED_DAYS
    return FormGuess(week, min(planned, DAYS_MAX))


# --- reading it -------------------------------------------------------------------------


def share_of(weeks: Sequence[AttendanceLike]) -> float | None:
    """Days met of days planned, over the weeks (None when none were planned)."""
    planned = sum(week.planned_days for week in weeks)
    return sum(week.attended_days for week in weeks) / planned if planned else None


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@dataclass(frozen=True)
class AttendanceRules:
    """Thresholds (settings: SPARBOT_ATTENDANCE_*)."""

    low_share: float = 0.75  # under this share ...
    low_weeks: int = 3  # ... in each of this many weeks running is low attendance
    no_show_weeks: int = 2  # weeks with a day absent without notice, within the window
    drop_points: float = 0.25  # the last two weeks this far below the two before: falling
    window_weeks: int = 4  # how far back the rules (and the case card) look


@dataclass(frozen=True)
class WeekLine:
    week_start: date
    week: AttendanceLike | None  # None: not logged

    @property
    def number(self) -> int:
        return self.week_start.isocalendar().week

    @property
    def percent(self) -> int | None:
        if self.week is None or not self.week.planned_days:
            return None
        return percent(self.week.attended_days / self.week.planned_days)


@dataclass(frozen=True)
class AttendanceSummary:
    """The last weeks before a day, for the case card: each week, the share over those
    logged, and which way it goes."""

    lines: list[WeekLine]
    percent: int | None
    trend: str | None  # "up", "down", "flat"; None with too few weeks logged
    no_show_days: int
    sick_days: int


def complete_weeks(before: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks before the week of `before`, oldest first."""
    this_week = week_of(before)
    return [this_week - WEEK * back for back in range(count, 0, -1)]


def _by_week(weeks: Sequence[AttendanceLike]) -> dict[date, AttendanceLike]:
    return {week.week_start: week for week in weeks}


def summarise(weeks: Sequence[AttendanceLike], *, today: date, course_start: date,
              rules: AttendanceRules = AttendanceRules()) -> AttendanceSummary | None:
    """The window's weeks before today's week (and today's week, once logged); None when
    nothing is logged in it."""
    logged = _by_week(weeks)
    mondays = [monday for monday in complete_weeks(today, rules.window_weeks)
               if monday >= week_of(course_start)]
    if week_of(today) in logged:
        mondays.append(week_of(today))
    lines = [WeekLine(monday, logged.get(monday)) for monday in mondays]
    found = [line.week for line in lines if line.week is not None]
    if not found:
        return None
    return AttendanceSummary(
        lines=lines, percent=percent(share_of(found)), trend=_trend(found),
        no_show_days=sum(week.no_show_days for week in found),
        sick_days=sum(week.sick_days for week in found))


def _trend(found: Sequence[AttendanceLike]) -> str | None:
    planned = [week for week in found if week.planned_days]
    if len(planned) < 2:
        return None
    half = len(planned) // 2
    before, after = share_of(planned[:half]), share_of(planned[-half:])
    assert before is not None and after is not None
    if after - before >= 0.1:
        return "up"
    if before - after >= 0.1:
        return "down"
    return "flat"


def attendance_flag(weeks: Sequence[AttendanceLike], *, day: date,
                    rules: AttendanceRules = AttendanceRules()) -> dict[str, Any] | None:
    """Why attendance should be taken up at a meeting on `day`, read from the complete
    weeks before it: absent without notice in `no_show_weeks` weeks of the window; under
    the low share in each of the last `low_weeks` weeks; or falling by `drop_points` from
    the two weeks before to the last two. The facts the agenda shows, or None."""
    logged = _by_week(weeks)
    window = [logged.get(monday) for monday in complete_weeks(day, rules.window_weeks)]
    found = [week for week in window if week is not None and week.planned_days]
    if not found:
        return None
    no_show = [week for week in found if week.no_show_days]
    if len(no_show) >= rules.no_show_weeks:
        return {"kind": "no-show", "weeks": len(no_show), "window": rules.window_weeks,
                "days": sum(week.no_show_days for week in no_show),
                "share": percent(share_of(found))}
    last = window[-rules.low_weeks:] if rules.low_weeks <= len(window) else []
    if last and all(week is not None and week.planned_days and
                    week.attended_days / week.planned_days < rules.low_share for week in last):
        weeks_low = [week for week in last if week is not None]
        return {"kind": "low", "weeks": len(weeks_low), "share": percent(share_of(weeks_low)),
                "below": percent(rules.low_share), "since": weeks_low[0].week_start}
    if len(window) >= 4 and all(week is not None and week.planned_days for week in window[-4:]):
        earlier = [week for week in window[-4:-2] if week is not None]
        latest = [week for week in window[-2:] if week is not None]
        before, after = share_of(earlier), share_of(latest)
        if before is not None and after is not None and before - after >= rules.drop_points:
            return {"kind": "falling", "from": percent(before), "to": percent(after),
                    "since": latest[0].week_start}
    return None


def missing_week(weeks: Sequence[AttendanceLike], *, today: date, course_start: date,
                 course_end: date, in_placement: bool) -> date | None:
    """The Monday of last week, when the citizen was in a placement then and no attendance
    was logged for it; else None."""
    monday = week_of(today) - WEEK
    if not in_placement or monday + timedelta(days=6) < course_start or monday > course_end:
        return None
    if any(week.week_start == monday for week in weeks):
        return None
    return monday
