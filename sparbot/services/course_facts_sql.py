"""Each course's facts for the results figures, as one SQL statement over its history: the
definition the kept table `course_facts` copies (course_facts.py keeps it).

The definitions (README, "Results"): a course's week w ends `7·w − 1` days after its start;
hours "in force" on a day are those of the newest entry from that day or before; a
follow-up is on time when held within the agreed span of the one before it (or of the
course's start, or of the placement's start at the workplace)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sparbot.enums import (
    CaseStatus,
    DecisionStatus,
    FollowUpCadence,
    FollowUpKind,
    PlacementKind,
)
from sparbot.models import (
    AttendanceWeek,
    Case,
    CourseFacts,
    Decision,
    Extension,
    FollowUp,
    HoursEntry,
    Placement,
)
from sparbot.services.sql_dates import days_between, plus_days

CASES: sa.Table = Case.__table__  # type: ignore[attr-defined]
HOURS: sa.Table = HoursEntry.__table__  # type: ignore[attr-defined]
PLACEMENTS: sa.Table = Placement.__table__  # type: ignore[attr-defined]
EXTENSIONS: sa.Table = Extension.__table__  # type: ignore[attr-defined]
FOLLOW_UPS: sa.Table = FollowUp.__table__  # type: ignore[attr-defined]
DECISIONS: sa.Table = Decision.__table__  # type: ignore[attr-defined]
ATTENDANCE: sa.Table = AttendanceWeek.__table__  # type: ignore[attr-defined]
FACTS: sa.Table = CourseFacts.__table__  # type: ignore[attr-defined]

PAID_WEEKS = (13, 26)  # the course weeks whose paid hours are counted


def hours_entries(where: list[sa.ColumnElement[bool]], *extra: sa.ColumnElement[Any]
                  ) -> sa.Subquery:
    """The hours entries of the chosen courses, each beside its course's dates, with the
    date the next one takes over and its place in the course's order. Joined to the case by
    its key: one pass over the entries, never a join of two derived tables (which SQLite
    would take as a nested scan)."""
    order = (HOURS.c.effective_from, HOURS.c.id)
    return sa.select(
        HOURS.c.case_id, HOURS.c.effective_from, HOURS.c.paid_hours, HOURS.c.total_before,
        (HOURS.c.internship_hours + HOURS.c.paid_hours).label("total"),
        sa.func.lead(HOURS.c.effective_from).over(partition_by=HOURS.c.case_id,
                                                  order_by=order).label("next_from"),
        sa.func.row_number().over(partition_by=HOURS.c.case_id, order_by=order).label("nth"),
        CASES.c.start_date, CASES.c.closed_on,
        # The ends of the counted weeks, worked out once for each entry.
        *[plus_days(CASES.c.start_date, 7 * week - 1).label(f"end_w{week}")
          for week in PAID_WEEKS],
        *extra,
    ).select_from(HOURS.join(CASES, CASES.c.id == HOURS.c.case_id)
                  ).where(*where).subquery("entries")


def _hours(where: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """One row per course from one pass over its hours: the first, the peak, those in force
    at the end and in weeks 13 and 26, the first paid hour, and whether hours ever fell."""
    entries = hours_entries(where)

    def in_force(day: Any) -> Any:
        return (entries.c.effective_from <= day) & (
            entries.c.next_from.is_(None) | (entries.c.next_from > day))

    def when(condition: sa.ColumnElement[bool], value: Any) -> Any:
        return sa.func.max(sa.case((condition, value)))

    week_end = {week: getattr(entries.c, f"end_w{week}") for week in PAID_WEEKS}
    return sa.select(
        entries.c.case_id,
        when(entries.c.nth == 1, entries.c.total).label("hours_start"),
        sa.func.max(entries.c.total).label("hours_peak"),
        when(in_force(entries.c.closed_on), entries.c.total).label("hours_end"),
        when(in_force(entries.c.closed_on), entries.c.paid_hours).label("paid_end"),
        *[when(in_force(week_end[week]), entries.c.paid_hours).label(f"paid_w{week}")
          for week in PAID_WEEKS],
        sa.func.min(sa.case((entries.c.paid_hours > 0, entries.c.effective_from))
                    ).label("first_paid"),
        sa.func.max(sa.case((entries.c.total < entries.c.total_before, 1), else_=0)
                    ).label("stepped_down"),
    ).group_by(entries.c.case_id).subquery("hours")


def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _month_later_or_sooner(held: Any, since: Any) -> Any:
    """Held no later than the same day a month after `since` (the last day of a shorter
    month: 31 Jan → 28 Feb), as the bot's monthly follow-up falls due."""
    def months(day: Any) -> Any:
        return (sa.cast(sa.extract("year", day), sa.Integer) * 12
                + sa.cast(sa.extract("month", day), sa.Integer))
    apart = months(held) - months(since)
    return (apart < 1) | ((apart == 1) & (sa.cast(sa.extract("day", held), sa.Integer)
                                          <= sa.cast(sa.extract("day", since), sa.Integer)))


def _follow_ups(where: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """Per course: mentor meetings and workplace follow-ups held, and those on time."""
    at_workplace = FOLLOW_UPS.c.kind == FollowUpKind.WORKPLACE.value
    # The one before of the same kind, in the index's own order (no sort). At a workplace,
    # one before the placement began was at an earlier one: the placement's start counts.
    previous = sa.func.lag(FOLLOW_UPS.c.held_on).over(
        partition_by=(FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.kind),
        order_by=(FOLLOW_UPS.c.held_on, FOLLOW_UPS.c.id))
    placement_start = PLACEMENTS.c.start_date
    held = sa.select(
        FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.kind, FOLLOW_UPS.c.held_on,
        sa.case((at_workplace & placement_start.is_not(None)
                 & (previous.is_(None) | (previous < placement_start)), placement_start),
                else_=sa.func.coalesce(previous, CASES.c.start_date)).label("since"),
        CASES.c.cadence, PLACEMENTS.c.follow_up_cadence,
    ).select_from(
        FOLLOW_UPS.join(CASES, CASES.c.id == FOLLOW_UPS.c.case_id)
        .outerjoin(PLACEMENTS, PLACEMENTS.c.id == FOLLOW_UPS.c.placement_id)
    ).where(*where).subquery("held")
    mentor = held.c.kind == FollowUpKind.MENTOR_MEETING.value
    mentor_span = sa.case((held.c.cadence == "weekly", 7), else_=14)
    workplace_span = sa.case((held.c.follow_up_cadence == FollowUpCadence.WEEKLY.value, 7),
                             else_=14)
    on_time = sa.case(
        (mentor, held.c.held_on <= plus_days(held.c.since, mentor_span)),
        (held.c.follow_up_cadence.in_([FollowUpCadence.WEEKLY.value,
                                       FollowUpCadence.BIWEEKLY.value]),
         held.c.held_on <= plus_days(held.c.since, workplace_span)),
        else_=_month_later_or_sooner(held.c.held_on, held.c.since))
    workplace = held.c.kind == FollowUpKind.WORKPLACE.value
    return sa.select(
        held.c.case_id, counted(mentor).label("mentor_held"),
        counted(mentor & on_time).label("mentor_on_time"),
        counted(workplace).label("workplace_held"),
        counted(workplace & on_time).label("workplace_on_time"),
    ).group_by(held.c.case_id).subquery("follow_ups")


def live_statement(where: list[sa.ColumnElement[bool]]) -> sa.Select[Any]:
    """The facts of the courses `where` chooses, made from their history now: the one
    definition, which the kept table copies. Columns in the table's order."""
    hours = _hours(where)
    company = sa.select(PLACEMENTS.c.case_id,
                        sa.func.min(PLACEMENTS.c.start_date).label("first_company")
                        ).select_from(PLACEMENTS.join(CASES, CASES.c.id == PLACEMENTS.c.case_id)
                                      ).where(PLACEMENTS.c.kind != PlacementKind.OWN_SHOP.value,
                                              *where
                                              ).group_by(PLACEMENTS.c.case_id).subquery("company")
    extended = sa.select(EXTENSIONS.c.case_id, sa.func.count().label("extensions")
                         ).select_from(EXTENSIONS.join(CASES, CASES.c.id == EXTENSIONS.c.case_id)
                                       ).where(*where
                                               ).group_by(EXTENSIONS.c.case_id).subquery("extended")
    follow_ups = _follow_ups(where)
    present = DECISIONS.c.jobcenter_present.is_(True)
    decided = sa.select(
        DECISIONS.c.case_id, sa.func.count().label("decisions"),
        counted(present).label("jobcenter_present"),
        counted(present & DECISIONS.c.jobcenter_agreed.is_(True)).label("jobcenter_agreed"),
    ).select_from(DECISIONS.join(CASES, CASES.c.id == DECISIONS.c.case_id)).where(
        DECISIONS.c.status != DecisionStatus.CANCELLED.value, *where
    ).group_by(DECISIONS.c.case_id).subquery("decided")
    attended = sa.select(
        ATTENDANCE.c.case_id, sa.func.sum(ATTENDANCE.c.planned_days).label("planned"),
        sa.func.sum(ATTENDANCE.c.attended_days).label("attended"),
    ).select_from(ATTENDANCE.join(CASES, CASES.c.id == ATTENDANCE.c.case_id)).where(
        ATTENDANCE.c.planned_days > 0, *where).group_by(ATTENDANCE.c.case_id
                                                          ).subquery("attended")
    start, ended = CASES.c.start_date, CASES.c.status == CaseStatus.CLOSED.value

    def none_as_nought(column: Any) -> Any:
        return sa.func.coalesce(column, 0)

    columns = {
        "case_id": CASES.c.id,
        "extensions": none_as_nought(extended.c.extensions),
        "company_days": days_between(company.c.first_company, start),
        "paid_days": days_between(hours.c.first_paid, start),
        "hours_start": hours.c.hours_start,
        "hours_peak": hours.c.hours_peak,
        "hours_end": sa.case((ended, hours.c.hours_end)),
        "paid_end": sa.case((ended, none_as_nought(hours.c.paid_end))),
        **{f"paid_w{week}": getattr(hours.c, f"paid_w{week}") for week in PAID_WEEKS},
        "has_hours": hours.c.case_id.is_not(None),
        "stepped_down": none_as_nought(hours.c.stepped_down) == 1,
        **{name: none_as_nought(follow_ups.c[name]) for name in (
            "mentor_held", "mentor_on_time", "workplace_held", "workplace_on_time")},
        **{name: none_as_nought(decided.c[name]) for name in (
            "decisions", "jobcenter_present", "jobcenter_agreed")},
        "planned_days": none_as_nought(attended.c.planned),
        "attended_days": none_as_nought(attended.c.attended),
    }
    assert list(columns) == [column.name for column in FACTS.columns]
    return sa.select(*[value.label(name) for name, value in columns.items()]).select_from(
        CASES.outerjoin(hours, hours.c.case_id == CASES.c.id)
        .outerjoin(company, company.c.case_id == CASES.c.id)
        .outerjoin(extended, extended.c.case_id == CASES.c.id)
        .outerjoin(follow_ups, follow_ups.c.case_id == CASES.c.id)
        .outerjoin(decided, decided.c.case_id == CASES.c.id)
        .outerjoin(attended, attended.c.case_id == CASES.c.id)
    ).where(*where)
