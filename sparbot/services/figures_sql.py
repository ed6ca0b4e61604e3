"""The results figures' queries: every figure an aggregate in the database, over one row of
kept facts per course (course_facts_sql.py, where the definitions are). Two statements whatever
the roster's size: the courses (counts, sums and medians over their facts) and the decision
actions (whether one was done by its due date depends on the day). The charts'
week-by-week queries are in figures_weeks_sql.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from sparbot.enums import ActionStatus, CaseStatus, DecisionStatus, Outcome
from sparbot.models import DecisionAction
from sparbot.services.course_facts_sql import CASES, DECISIONS, FACTS, PAID_WEEKS, counted
from sparbot.services.sql_dates import days_between, plus_days

ACTIONS: sa.Table = DecisionAction.__table__  # type: ignore[attr-defined]

# The kept facts read as they are; the weeks' paid hours are read against the day.
KEPT = tuple(column.name for column in FACTS.columns if column.name != "case_id"
             and column.name not in {f"paid_w{week}" for week in PAID_WEEKS})
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


def facts(selection: Selection) -> sa.CTE:
    """One row per course in the selection: its kept facts (course_facts.py), with what
    depends on the day they are read (has the course reached week 13?) worked out now."""
    start, ended = CASES.c.start_date, CASES.c.status == CaseStatus.CLOSED.value
    reached = {week: plus_days(start, 7 * week - 1) <= read_on(selection) for week in PAID_WEEKS}
    kept = [FACTS.c[name] for name in KEPT]
    return sa.select(
        CASES.c.id, cohort_key(selection.by).label("grp"), CASES.c.status, CASES.c.outcome,
        sa.case((ended, days_between(CASES.c.closed_on, start))).label("length_days"),
        *kept,
        *[sa.case((reached[week], sa.func.coalesce(FACTS.c[f"paid_w{week}"], 0)))
          .label(f"paid_w{week}") for week in PAID_WEEKS],
    ).select_from(CASES.outerjoin(FACTS, FACTS.c.case_id == CASES.c.id)
                  ).where(*chosen(selection)).cte("facts")


def _count_columns(rows: sa.CTE) -> list[sa.ColumnElement[Any]]:
    closed = rows.c.status == CaseStatus.CLOSED.value
    return [
        sa.func.count().label("started"),
        counted(rows.c.status == CaseStatus.ACTIVE.value).label("active"),
        counted(closed).label("ended"),
        counted(rows.c.extensions > 0).label("extended"),
        sa.func.sum(rows.c.extensions).label("extensions"),
        *[counted(closed & (rows.c.outcome == outcome.value)).label(f"outcome:{outcome}")
          for outcome in Outcome],
        counted(rows.c.company_days.is_not(None)).label("company"),
        *[label for week in PAID_WEEKS for label in (
            counted(getattr(rows.c, f"paid_w{week}").is_not(None)).label(f"reached_w{week}"),
            counted(getattr(rows.c, f"paid_w{week}") > 0).label(f"paid_w{week}"))],
        counted(closed & (rows.c.paid_end > 0)).label("paid_end"),
        counted(rows.c.paid_days.is_not(None)).label("paid_ever"),
        counted(rows.c.has_hours.is_(True)).label("with_hours"),
        counted(rows.c.stepped_down.is_(True)).label("stepped_down"),
        # Follow-ups, decisions and attendance: the sums, and the courses they are of.
        *[column for prefix, held in (("mentor", "mentor_held"),
                                      ("workplace", "workplace_held"))
          for column in (sa.func.sum(rows.c[held]).label(f"{prefix}:held"),
                         sa.func.sum(rows.c[f"{prefix}_on_time"]).label(f"{prefix}:on_time"),
                         counted(rows.c[held] > 0).label(f"{prefix}:citizens"))],
        *[sa.func.sum(rows.c[name]).label(f"decisions:{name}")
          for name in ("decisions", "jobcenter_present", "jobcenter_agreed")],
        counted(rows.c.decisions > 0).label("decisions:citizens"),
        sa.func.sum(rows.c.planned_days).label("attendance:planned"),
        sa.func.sum(rows.c.attended_days).label("attendance:attended"),
        counted(rows.c.planned_days > 0).label("attendance:citizens"),
    ]


def _medians(rows: sa.CTE) -> sa.CTE:
    """Per cohort and for all cohorts together (grp NULL), the median of each measure, with
    how many courses it is the median of: the mean of the values ranked (n+1)//2 and
    (n+2)//2. Found from each value's count and running count (a measure has few distinct
    values: days, hours), so nothing sorts a row per course: the courses are read once,
    each beside every measure, and the whole's counts are the cohorts' added up."""
    measures = sa.union_all(*[sa.select(sa.literal(measure, sa.String).label("measure"))
                              for measure in MEDIANS]).subquery("measures")
    value = sa.cast(sa.case(*[(measures.c.measure == measure, rows.c[measure])
                              for measure in MEDIANS]), sa.Float)
    per_cohort = sa.select(rows.c.grp, measures.c.measure, value.label("value"),
                           sa.func.count().label("times")
                           ).select_from(rows.join(measures, sa.true())
                                         ).where(value.is_not(None)
                                                 ).group_by(rows.c.grp, measures.c.measure,
                                                            value).cte("per_cohort")
    counted = sa.union_all(
        sa.select(per_cohort),
        sa.select(sa.literal(None, sa.String).label("grp"), per_cohort.c.measure,
                  per_cohort.c.value, sa.func.sum(per_cohort.c.times)
                  ).group_by(per_cohort.c.measure, per_cohort.c.value),
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
    """Per cohort, and for all of them together (grp NULL), in one statement over the facts:
    how many courses, in what state, with what outcome, reaching what, and the median of
    each measure ("median:<measure>", over "of:<measure>" courses). The whole's counts are
    the cohorts' added up (every course is in one cohort)."""
    rows = facts(selection)
    grouped = sa.select(rows.c.grp, *_count_columns(rows)).group_by(rows.c.grp).cte("grouped")
    counts = sa.union_all(
        sa.select(grouped),
        sa.select(sa.literal(None, sa.String).label("grp"),
                  *[sa.func.sum(column).label(column.name)
                    for column in grouped.c if column.name != "grp"]),
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


def actions_statement(selection: Selection) -> sa.Select[Any]:
    """Actions whose due date has come (or that are done), and those done by it."""
    done = ACTIONS.c.status == ActionStatus.DONE.value
    return _by_course_then_cohort(
        selection, ACTIONS.join(DECISIONS, DECISIONS.c.id == ACTIONS.c.decision_id)
        .join(CASES, CASES.c.id == DECISIONS.c.case_id),
        {"due": sa.func.count(),
         "on_time": counted(done & (ACTIONS.c.done_on <= ACTIONS.c.due_date))},
        ACTIONS.c.status != ActionStatus.CANCELLED.value,
        DECISIONS.c.status != DecisionStatus.CANCELLED.value, ACTIONS.c.due_date.is_not(None),
        done | (ACTIONS.c.due_date < selection.today))
