"""The results figures' queries: every figure an aggregate in the database, over one row of
facts per course. Five statements whatever the roster's size: the courses (their facts made
once from one pass over each history table, then counts and medians), the follow-ups, the
decisions, the actions, the attendance. The charts' week-by-week queries are in
figures_weeks_sql.py.

The definitions (README, "Results"): a course's week w ends `7·w − 1` days after its start;
hours "in force" on a day are those of the newest entry from that day or before; a
follow-up is on time when held within the agreed span of the one before it (or of the
course's start, or of the placement's start at the workplace)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from sparbot.enums import (
    ActionStatus,
    CaseStatus,
    DecisionStatus,
    FollowUpCadence,
    FollowUpKind,
    Outcome,
    PlacementKind,
)
from sparbot.models import (
    AttendanceWeek,
    Case,
    Decision,
    DecisionAction,
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
ACTIONS: sa.Table = DecisionAction.__table__  # type: ignore[attr-defined]
ATTENDANCE: sa.Table = AttendanceWeek.__table__  # type: ignore[attr-defined]

PAID_WEEKS = (13, 26)  # the course weeks whose paid hours are counted
MEDIANS = ("length_days", "company_days", "paid_days", "hours_start", "hours_peak",
           "hours_end")


class By:
    QUARTER = "quarter"
    TEAM = "team"
    PROGRAMME = "programme"
    NONE = "none"
    ALL = (QUARTER, TEAM, PROGRAMME, NONE)


@dataclass(frozen=True)
class Selection:
    """Which courses: those started from `started_from` to `started_to` (both included),
    narrowed to teams, a programme or a purpose, grouped into cohorts `by`."""

    today: date
    started_from: date | None = None
    started_to: date | None = None
    team_ids: tuple[int, ...] | None = None  # None: every team's, and those in none
    programme: str | None = None
    purpose: str | None = None
    by: str = By.QUARTER


def cohort_key(by: str) -> sa.ColumnElement[Any]:
    start = CASES.c.start_date
    if by == By.QUARTER:  # 20263: the third quarter of 2026
        year = sa.cast(sa.extract("year", start), sa.Integer)
        month = sa.cast(sa.extract("month", start), sa.Integer)
        return sa.cast(year * 10 + (month - 1) // 3 + 1, sa.String)
    if by == By.TEAM:
        return sa.cast(sa.func.coalesce(CASES.c.team_id, 0), sa.String)
    if by == By.PROGRAMME:
        return CASES.c.programme
    return sa.literal("*", sa.String)


def chosen(selection: Selection) -> list[sa.ColumnElement[bool]]:
    """The selection's courses, as conditions on the case table."""
    where: list[sa.ColumnElement[bool]] = []
    if selection.started_from is not None:
        where.append(CASES.c.start_date >= selection.started_from)
    if selection.started_to is not None:
        where.append(CASES.c.start_date <= selection.started_to)
    if selection.team_ids is not None:
        where.append(CASES.c.team_id.in_(selection.team_ids))
    if selection.programme is not None:
        where.append(sa.func.lower(CASES.c.programme) == selection.programme.lower())
    if selection.purpose is not None:
        where.append(CASES.c.purpose == selection.purpose)
    return where


def read_on(selection: Selection) -> sa.ColumnElement[Any]:
    """The day a course is read at: its end, or today while it runs."""
    return sa.func.coalesce(CASES.c.closed_on, selection.today)


def cohort(selection: Selection) -> sa.CTE:
    return sa.select(
        CASES.c.id, cohort_key(selection.by).label("grp"), CASES.c.start_date,
        CASES.c.status, CASES.c.outcome, CASES.c.closed_on, CASES.c.cadence,
        read_on(selection).label("read_on"),
    ).where(*chosen(selection)).cte("cohort")


def hours_entries(selection: Selection, *, by_cohort: bool = False) -> sa.Subquery:
    """The hours entries of the selection's courses, each beside its course's dates and
    cohort, with the date the next one takes over and its place in the course's order.
    Joined to the case by its key: one pass over the entries, never a join of two derived
    tables (which SQLite would take as a nested scan)."""
    order = (HOURS.c.effective_from, HOURS.c.id)
    return sa.select(
        HOURS.c.case_id, HOURS.c.effective_from, HOURS.c.paid_hours, HOURS.c.total_before,
        (HOURS.c.internship_hours + HOURS.c.paid_hours).label("total"),
        sa.func.lead(HOURS.c.effective_from).over(partition_by=HOURS.c.case_id,
                                                  order_by=order).label("next_from"),
        sa.func.row_number().over(partition_by=HOURS.c.case_id, order_by=order).label("nth"),
        CASES.c.start_date, CASES.c.closed_on, read_on(selection).label("read_on"),
        # The ends of the counted weeks, worked out once for each entry.
        *[plus_days(CASES.c.start_date, 7 * week - 1).label(f"end_w{week}")
          for week in PAID_WEEKS],
        *([cohort_key(selection.by).label("grp")] if by_cohort else []),
    ).select_from(HOURS.join(CASES, CASES.c.id == HOURS.c.case_id)
                  ).where(*chosen(selection)).subquery("entries")


def _hours(selection: Selection) -> sa.Subquery:
    """One row per course from one pass over its hours: the first, the peak, those in force
    at the end and in weeks 13 and 26, the first paid hour, and whether hours ever fell."""
    entries = hours_entries(selection)

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


def facts(selection: Selection) -> sa.CTE:
    """One row per course in the selection, every fact a figure needs."""
    courses = cohort(selection)
    hours = _hours(selection)
    company = sa.select(PLACEMENTS.c.case_id,
                        sa.func.min(PLACEMENTS.c.start_date).label("first_company")
                        ).select_from(PLACEMENTS.join(CASES, CASES.c.id == PLACEMENTS.c.case_id)
                                      ).where(PLACEMENTS.c.kind != PlacementKind.OWN_SHOP.value,
                                              *chosen(selection)
                                              ).group_by(PLACEMENTS.c.case_id).subquery("company")
    extended = sa.select(EXTENSIONS.c.case_id, sa.func.count().label("extensions")
                         ).select_from(EXTENSIONS.join(CASES, CASES.c.id == EXTENSIONS.c.case_id)
                                       ).where(*chosen(selection)
                                               ).group_by(EXTENSIONS.c.case_id).subquery("extended")
    start, ended = courses.c.start_date, courses.c.status == CaseStatus.CLOSED.value
    reached = {week: plus_days(start, 7 * week - 1) <= courses.c.read_on for week in PAID_WEEKS}
    return sa.select(
        courses.c.id, courses.c.grp, courses.c.status, courses.c.outcome,
        sa.case((ended, days_between(courses.c.closed_on, start))).label("length_days"),
        sa.func.coalesce(extended.c.extensions, 0).label("extensions"),
        days_between(company.c.first_company, start).label("company_days"),
        days_between(hours.c.first_paid, start).label("paid_days"),
        hours.c.hours_start, hours.c.hours_peak,
        sa.case((ended, hours.c.hours_end)).label("hours_end"),
        sa.case((ended, sa.func.coalesce(hours.c.paid_end, 0))).label("paid_end"),
        hours.c.stepped_down, hours.c.case_id.is_not(None).label("has_hours"),
        *[sa.case((reached[week], sa.func.coalesce(getattr(hours.c, f"paid_w{week}"), 0)))
          .label(f"paid_w{week}") for week in PAID_WEEKS],
    ).select_from(
        courses.outerjoin(hours, hours.c.case_id == courses.c.id)
        .outerjoin(company, company.c.case_id == courses.c.id)
        .outerjoin(extended, extended.c.case_id == courses.c.id)
    ).cte("facts")


def _counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _count_columns(rows: sa.CTE) -> list[sa.ColumnElement[Any]]:
    closed = rows.c.status == CaseStatus.CLOSED.value
    return [
        sa.func.count().label("started"),
        _counted(rows.c.status == CaseStatus.ACTIVE.value).label("active"),
        _counted(closed).label("ended"),
        _counted(rows.c.extensions > 0).label("extended"),
        sa.func.sum(rows.c.extensions).label("extensions"),
        *[_counted(closed & (rows.c.outcome == outcome.value)).label(f"outcome:{outcome}")
          for outcome in Outcome],
        _counted(rows.c.company_days.is_not(None)).label("company"),
        *[label for week in PAID_WEEKS for label in (
            _counted(getattr(rows.c, f"paid_w{week}").is_not(None)).label(f"reached_w{week}"),
            _counted(getattr(rows.c, f"paid_w{week}") > 0).label(f"paid_w{week}"))],
        _counted(closed & (rows.c.paid_end > 0)).label("paid_end"),
        _counted(rows.c.paid_days.is_not(None)).label("paid_ever"),
        _counted(rows.c.has_hours).label("with_hours"),
        _counted(rows.c.stepped_down == 1).label("stepped_down"),
    ]


def _medians(rows: sa.CTE) -> sa.CTE:
    """Per cohort and for all cohorts together (grp NULL), the median of each measure, with
    how many courses it is the median of: the mean of the values ranked (n+1)//2 and
    (n+2)//2. Found from each value's count and running count (a measure has few distinct
    values: days, hours), so nothing sorts a row per course."""
    values = sa.union_all(*[
        sa.select(grp, sa.literal(measure).label("measure"),
                  sa.cast(getattr(rows.c, measure), sa.Float).label("value")
                  ).where(getattr(rows.c, measure).is_not(None))
        for measure in MEDIANS for grp in (rows.c.grp, sa.literal(None, sa.String).label("grp"))
    ]).subquery("measured")
    counted = sa.select(values.c.grp, values.c.measure, values.c.value,
                        sa.func.count().label("times")
                        ).group_by(values.c.grp, values.c.measure, values.c.value
                                   ).subquery("counted")
    part = (counted.c.grp, counted.c.measure)
    running = sa.select(
        counted.c.grp, counted.c.measure, counted.c.value, counted.c.times,
        # Whole numbers (PostgreSQL sums counts as numeric): the ranks must divide evenly.
        sa.cast(sa.func.sum(counted.c.times).over(partition_by=part, order_by=counted.c.value),
                sa.Integer).label("upto"),
        sa.cast(sa.func.sum(counted.c.times).over(partition_by=part), sa.Integer).label("n"),
    ).subquery("running")

    def at_rank(rank: Any) -> Any:  # the value whose run of equal values holds the rank
        return sa.func.max(sa.case((sa.and_(running.c.upto - running.c.times < rank,
                                            rank <= running.c.upto), running.c.value)))

    n = running.c.n
    return sa.select(running.c.grp, running.c.measure,
                     ((at_rank((n + 1) // 2) + at_rank((n + 2) // 2)) / 2).label("median"),
                     sa.func.max(n).label("n")
                     ).group_by(running.c.grp, running.c.measure).cte("medians")


def courses_statement(selection: Selection) -> sa.Select[Any]:
    """Per cohort, and for all of them together (grp NULL), in one statement over the facts
    (made once): how many courses, in what state, with what outcome, reaching what, and the
    median of each measure ("median:<measure>", over "of:<measure>" courses)."""
    rows = facts(selection)
    counts = sa.union_all(
        sa.select(rows.c.grp, *_count_columns(rows)).group_by(rows.c.grp),
        sa.select(sa.literal(None, sa.String).label("grp"), *_count_columns(rows)),
    ).subquery("counts")
    medians = _medians(rows)
    joined: Any = counts
    columns: list[Any] = [counts]
    for measure in MEDIANS:
        each = medians.alias(f"m_{measure}")
        joined = joined.outerjoin(each, sa.and_(each.c.grp.is_not_distinct_from(counts.c.grp),
                                                each.c.measure == measure))
        columns += [each.c.median.label(f"median:{measure}"), each.c.n.label(f"of:{measure}")]
    return sa.select(*columns).select_from(joined)


def _month_later_or_sooner(held: Any, since: Any) -> Any:
    """Held no later than the same day a month after `since` (the last day of a shorter
    month: 31 Jan → 28 Feb), as the bot's monthly follow-up falls due."""
    def months(day: Any) -> Any:
        return (sa.cast(sa.extract("year", day), sa.Integer) * 12
                + sa.cast(sa.extract("month", day), sa.Integer))
    apart = months(held) - months(since)
    return (apart < 1) | ((apart == 1) & (sa.cast(sa.extract("day", held), sa.Integer)
                                          <= sa.cast(sa.extract("day", since), sa.Integer)))


def follow_ups_statement(selection: Selection) -> sa.Select[Any]:
    """Per cohort and kind: follow-ups held, those on time, and the courses they are of."""
    at_workplace = FOLLOW_UPS.c.kind == FollowUpKind.WORKPLACE.value
    # The one before of the same kind, in the index's own order (no sort). At a workplace,
    # one before the placement began was at an earlier one: the placement's start counts.
    previous = sa.func.lag(FOLLOW_UPS.c.held_on).over(
        partition_by=(FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.kind),
        order_by=(FOLLOW_UPS.c.held_on, FOLLOW_UPS.c.id))
    placement_start = PLACEMENTS.c.start_date
    held = sa.select(
        FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.kind, FOLLOW_UPS.c.held_on,
        cohort_key(selection.by).label("grp"),
        sa.case((at_workplace & placement_start.is_not(None)
                 & (previous.is_(None) | (previous < placement_start)), placement_start),
                else_=sa.func.coalesce(previous, CASES.c.start_date)).label("since"),
        CASES.c.cadence, PLACEMENTS.c.follow_up_cadence,
        previous.is_(None).label("first"),  # a course's first of the kind: counts it once
    ).select_from(
        FOLLOW_UPS.join(CASES, CASES.c.id == FOLLOW_UPS.c.case_id)
        .outerjoin(PLACEMENTS, PLACEMENTS.c.id == FOLLOW_UPS.c.placement_id)
    ).where(*chosen(selection)).subquery("held")
    mentor_span = sa.case((held.c.cadence == "weekly", 7), else_=14)
    workplace_span = sa.case((held.c.follow_up_cadence == FollowUpCadence.WEEKLY.value, 7),
                             else_=14)
    on_time = sa.case(
        (held.c.kind == FollowUpKind.MENTOR_MEETING.value,
         held.c.held_on <= plus_days(held.c.since, mentor_span)),
        (held.c.follow_up_cadence.in_([FollowUpCadence.WEEKLY.value,
                                       FollowUpCadence.BIWEEKLY.value]),
         held.c.held_on <= plus_days(held.c.since, workplace_span)),
        else_=_month_later_or_sooner(held.c.held_on, held.c.since))
    return sa.select(held.c.grp, held.c.kind, sa.func.count().label("held"),
                     _counted(on_time).label("on_time"), _counted(held.c.first).label("citizens")
                     ).group_by(held.c.grp, held.c.kind)


def _by_course_then_cohort(selection: Selection, source: Any, sums: dict[str, Any],
                           *where: Any) -> sa.Select[Any]:
    """`sums` per cohort, and the courses they are of ("citizens"): summed per course
    first, then per cohort (two hash aggregates; a count of distinct courses would sort)."""
    grp = cohort_key(selection.by)
    per_course = sa.select(grp.label("grp"), *[value.label(name) for name, value in sums.items()]
                           ).select_from(source).where(*where, *chosen(selection)
                                                       ).group_by(CASES.c.id, grp
                                                                  ).subquery("per_course")
    return sa.select(per_course.c.grp,
                     *[sa.func.sum(per_course.c[name]).label(name) for name in sums],
                     sa.func.count().label("citizens")).group_by(per_course.c.grp)


def decisions_statement(selection: Selection) -> sa.Select[Any]:
    present = DECISIONS.c.jobcenter_present.is_(True)
    return _by_course_then_cohort(
        selection, DECISIONS.join(CASES, CASES.c.id == DECISIONS.c.case_id),
        {"decisions": sa.func.count(), "jobcenter_present": _counted(present),
         "jobcenter_agreed": _counted(present & DECISIONS.c.jobcenter_agreed.is_(True))},
        DECISIONS.c.status != DecisionStatus.CANCELLED.value)


def actions_statement(selection: Selection) -> sa.Select[Any]:
    """Actions whose due date has come (or that are done), and those done by it."""
    done = ACTIONS.c.status == ActionStatus.DONE.value
    return _by_course_then_cohort(
        selection, ACTIONS.join(DECISIONS, DECISIONS.c.id == ACTIONS.c.decision_id)
        .join(CASES, CASES.c.id == DECISIONS.c.case_id),
        {"due": sa.func.count(),
         "on_time": _counted(done & (ACTIONS.c.done_on <= ACTIONS.c.due_date))},
        ACTIONS.c.status != ActionStatus.CANCELLED.value,
        DECISIONS.c.status != DecisionStatus.CANCELLED.value, ACTIONS.c.due_date.is_not(None),
        done | (ACTIONS.c.due_date < selection.today))


def attendance_statement(selection: Selection) -> sa.Select[Any]:
    return _by_course_then_cohort(
        selection, ATTENDANCE.join(CASES, CASES.c.id == ATTENDANCE.c.case_id),
        {"planned": sa.func.sum(ATTENDANCE.c.planned_days),
         "attended": sa.func.sum(ATTENDANCE.c.attended_days)},
        ATTENDANCE.c.planned_days > 0)
