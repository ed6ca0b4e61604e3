"""The results charts' queries, course week by course week (up to COURSE_WEEKS): the share
of each cohort's courses with paid hours at the end of each week, and the weekly hours'
quartiles over the selection. Read only for the PDF, after the figures themselves."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sparbot.services.course_facts_sql import CASES, hours_entries
from sparbot.services.figures_sql import Selection, chosen, cohort_key, read_on
from sparbot.services.sql_dates import plus_days

COURSE_WEEKS = 26  # the weeks the charts follow a course through


def _weeks() -> sa.Subquery:
    # The weeks as a union of constants: SQLite reads no column names on a VALUES list.
    return sa.union_all(*[sa.select(sa.literal_column(str(week), sa.Integer).label("week"))
                          for week in range(1, COURSE_WEEKS + 1)]).subquery("weeks")


def _hours_by_week(selection: Selection) -> sa.Subquery:
    """Each course week (up to COURSE_WEEKS) a course has reached and has hours in force
    at the end of: its cohort, the week, the hours. Each entry meets the 26 weeks once."""
    entries = hours_entries(chosen(selection), read_on(selection).label("read_on"),
                            cohort_key(selection.by).label("grp"))
    weeks = _weeks()
    week_end = plus_days(entries.c.start_date, 7 * weeks.c.week - 1)
    return sa.select(entries.c.grp, weeks.c.week, entries.c.total, entries.c.paid_hours
                     ).select_from(entries.join(weeks, sa.and_(
                         entries.c.effective_from <= week_end,
                         entries.c.next_from.is_(None) | (entries.c.next_from > week_end),
                         week_end <= entries.c.read_on))).subquery("hours_by_week")


def paid_by_week_statement(selection: Selection) -> sa.Select[Any]:
    """Per cohort and course week: the courses that reached it (with hours or not), and
    those with paid hours in force at its end."""
    weeks = _weeks()
    reached = sa.select(
        cohort_key(selection.by).label("grp"), weeks.c.week,
        sa.literal_column("1", sa.Integer).label("reached"),
        sa.literal_column("0", sa.Integer).label("paid"),
    ).select_from(CASES.join(weeks, plus_days(CASES.c.start_date, 7 * weeks.c.week - 1)
                             <= read_on(selection))).where(*chosen(selection))
    hours = _hours_by_week(selection)
    paid = sa.select(hours.c.grp, hours.c.week, sa.literal_column("0", sa.Integer),
                     sa.literal_column("1", sa.Integer)).where(hours.c.paid_hours > 0)
    rows = sa.union_all(reached, paid).subquery("counted")
    return sa.select(rows.c.grp, rows.c.week, sa.func.sum(rows.c.reached).label("reached"),
                     sa.func.sum(rows.c.paid).label("paid")).group_by(rows.c.grp, rows.c.week)


def hours_band_statement(selection: Selection) -> sa.Select[Any]:
    """Per course week, over every course in the selection with hours: the lower quartile,
    the median and the upper quartile of the weekly hours (nearest rank), and of how many."""
    rows = _hours_by_week(selection)
    ranked = sa.select(
        rows.c.week, rows.c.total,
        sa.func.row_number().over(partition_by=rows.c.week, order_by=rows.c.total
                                  ).label("rank"),
        sa.func.count().over(partition_by=rows.c.week).label("n"),
    ).subquery("ranked")
    rank, n, total = ranked.c.rank, ranked.c.n, ranked.c.total
    return sa.select(
        ranked.c.week,
        sa.func.max(sa.case((rank == (n + 3) // 4, total))).label("low"),
        sa.func.avg(sa.case((sa.or_(rank == (n + 1) // 2, rank == (n + 2) // 2), total))
                    ).label("median"),
        sa.func.max(sa.case((rank == (3 * n + 3) // 4, total))).label("high"),
        sa.func.max(n).label("n"),
    ).group_by(ranked.c.week).order_by(ranked.c.week)
