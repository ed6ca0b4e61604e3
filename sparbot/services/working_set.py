"""Every active case as it stands on one day, in four queries whatever the roster's size.

The database does the trimming: of a case's hours only the entry in force (stamped with
what came before it); of its follow-ups only the last of each kind; of its placements only
those not ended before `since`. What `due_items` and the agenda rules read from such a
snapshot is exactly what they read from the case's whole history (a test holds the two
loaders to that)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from sparbot.enums import CaseStatus, FollowUpKind
from sparbot.models import AttendanceWeek, Case, Extension, FollowUp, HoursEntry, Placement
from sparbot.services.rows import (
    AttendanceRow,
    CaseRow,
    ExtensionRow,
    FollowUpRow,
    HoursRow,
    PlacementRow,
    columns,
    maker,
)
from sparbot.services.snapshots import CaseSnapshot, people_of
from sparbot.services.teams import TeamScope


class _OfCase(Protocol):
    @property
    def case_id(self) -> int: ...


_R = TypeVar("_R", bound=_OfCase)

CASES = sa.inspect(Case).local_table
PLACEMENTS = sa.inspect(Placement).local_table
HOURS = sa.inspect(HoursEntry).local_table
FOLLOW_UPS = sa.inspect(FollowUp).local_table
EXTENSIONS = sa.inspect(Extension).local_table
ATTENDANCE = sa.inspect(AttendanceWeek).local_table


def load_working_set(session: Session, day: date, since: date | None = None,
                     team: TeamScope | None = None,
                     attendance_from: date | None = None) -> list[CaseSnapshot]:
    """Every active case on `day` (of one team, if given), by reference. Placements that
    ended before `since` (default: `day`) are left out; the agenda passes its previous
    meeting's date. Weeks of attendance are read from `attendance_from` (a Monday) up to
    `day`; none when it is not given."""
    of_team = () if team is None else (team.cases(),)
    active = sa.select(CASES.c.id).where(CASES.c.status == CaseStatus.ACTIVE.value, *of_team)
    connection = session.connection()
    # Each wide row holds a case, its hours entry and its follow-ups, side by side.
    case_end = len(CaseRow._fields)
    hours_end = case_end + len(HoursRow._fields)
    follow_up_width = len(FollowUpRow._fields)
    follow_up_starts = range(hours_end, hours_end + follow_up_width * len(FollowUpKind),
                             follow_up_width)
    make_case, make_hours, make_follow_up = maker(CaseRow), maker(HoursRow), maker(FollowUpRow)
    cases: list[tuple[CaseRow, list[HoursRow], list[FollowUpRow]]] = []
    for row in connection.execute(
            _cases_as_they_stand(day, connection.dialect.name, *of_team)).all():
        follow_ups = [make_follow_up(row[start:start + follow_up_width])
                      for start in follow_up_starts if row[start] is not None]
        if len(follow_ups) > 1:  # in the order they were held, as in the case's history
            _in_order_held(follow_ups)
        cases.append((make_case(row[:case_end]),
                      [make_hours(row[case_end:hours_end])] if row[case_end] is not None
                      else [], follow_ups))
    if not cases:
        return []
    people = people_of(session, [case for case, _, _ in cases])

    def grouped(statement: sa.Select[Any], build: Callable[..., _R]) -> dict[int, list[_R]]:
        groups: dict[int, list[_R]] = defaultdict(list)
        for item in map(build, connection.execute(statement).all()):  # fetchall: one call
            groups[item.case_id].append(item)
        return groups

    extensions = grouped(sa.select(*columns(ExtensionRow, EXTENSIONS))
                         .where(EXTENSIONS.c.case_id.in_(active)), maker(ExtensionRow))
    placements = grouped(
        sa.select(*columns(PlacementRow, PLACEMENTS))
        .where(PLACEMENTS.c.case_id.in_(active),
               PLACEMENTS.c.end_date.is_(None) | (PLACEMENTS.c.end_date >= (since or day)))
        .order_by(PLACEMENTS.c.case_id, PLACEMENTS.c.start_date, PLACEMENTS.c.id),
        maker(PlacementRow))
    attendance: dict[int, list[AttendanceRow]] = {}
    if attendance_from is not None:
        attendance = grouped(
            sa.select(*columns(AttendanceRow, ATTENDANCE))
            .where(ATTENDANCE.c.week_start >= attendance_from, ATTENDANCE.c.week_start <= day,
                   ATTENDANCE.c.case_id.in_(active))
            .order_by(ATTENDANCE.c.case_id, ATTENDANCE.c.week_start), maker(AttendanceRow))
    return [CaseSnapshot(case=case, mentor=people[case.mentor_id],
                         company_consultant=people.get(case.company_consultant_id or -1),
                         jobcenter_consultant=people.get(case.jobcenter_consultant_id or -1),
                         extensions=extensions.get(case.id, []),
                         placements=placements.get(case.id, []),
                         hours=hours, follow_ups=follow_ups,
                         attendance=attendance.get(case.id, []))
            for case, hours, follow_ups in cases]


def _held(item: FollowUpRow) -> tuple[date, int]:
    return item.held_on, item.id


def _in_order_held(follow_ups: list[FollowUpRow]) -> None:
    """Sorts in place; two (one of each kind, the usual case) are compared, not sorted."""
    if len(follow_ups) == 2:
        first, second = follow_ups
        if (second.held_on, second.id) < (first.held_on, first.id):
            follow_ups.reverse()
    else:
        follow_ups.sort(key=_held)


def _cases_as_they_stand(day: date, dialect: str, *where: sa.ColumnElement[bool]
                         ) -> sa.Select[Any]:
    """One row per active case: the case, its hours entry in force on `day` (stamped with
    what came before it, hours_runs.py) and its last follow-up of each kind, each found by
    one step down an index. PostgreSQL takes each step as a LATERAL join; SQLite, which has
    no LATERAL, as a scalar subquery in a materialized CTE. `where` narrows the cases."""
    if dialect == "postgresql":
        return _lateral_steps(day, *where)
    return _materialized_steps(day, *where)


def _newest(table: sa.FromClause, *where: Any, by: sa.ColumnElement[Any],
            select: Sequence[sa.ColumnElement[Any]]) -> sa.Select[Any]:
    return (sa.select(*select).where(table.c.case_id == CASES.c.id, *where)
            .order_by(by.desc(), table.c.id.desc()).limit(1))


def _lateral_steps(day: date, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Each step a nested loop by construction: joined back by id, PostgreSQL hash-joined
    the steps' ids against whole tables (280 ms against 120 on the benchmark's roster)."""
    hours = _newest(HOURS, HOURS.c.effective_from <= day, by=HOURS.c.effective_from,
                    select=columns(HoursRow, HOURS)).lateral("hours_now")
    found = [_newest(FOLLOW_UPS, FOLLOW_UPS.c.kind == kind.value, by=FOLLOW_UPS.c.held_on,
                     select=columns(FollowUpRow, FOLLOW_UPS)).lateral(f"last_{number}")
             for number, kind in enumerate(FollowUpKind)]
    joined = CASES.outerjoin(hours, sa.true())
    for table in found:
        joined = joined.outerjoin(table, sa.true())
    return (sa.select(*columns(CaseRow, CASES), *columns(HoursRow, hours),
                      *(column for table in found for column in columns(FollowUpRow, table)))
            .select_from(joined).where(CASES.c.status == CaseStatus.ACTIVE.value, *where)
            .order_by(CASES.c.ref_key))


def _materialized_steps(day: date, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """The steps' ids first, materialized so that SQLite plans no scan; then the rows."""
    hours, follow_up = HOURS.alias("hours_step"), FOLLOW_UPS.alias("follow_up_step")
    kinds = list(FollowUpKind)
    steps = (sa.select(CASES.c.id.label("case_id"),
                       _newest(hours, hours.c.effective_from <= day, by=hours.c.effective_from,
                               select=[hours.c.id]).scalar_subquery().label("hours_id"),
                       *(_newest(follow_up, follow_up.c.kind == kind.value,
                                 by=follow_up.c.held_on, select=[follow_up.c.id])
                         .scalar_subquery().label(f"last_{number}")
                         for number, kind in enumerate(kinds)))
             .where(CASES.c.status == CaseStatus.ACTIVE.value, *where)
             .cte("steps").prefix_with("MATERIALIZED"))
    found = [FOLLOW_UPS.alias(f"last_{number}") for number in range(len(kinds))]
    joined = steps.join(CASES, CASES.c.id == steps.c.case_id).outerjoin(
        HOURS, HOURS.c.id == steps.c.hours_id)
    for number, table in enumerate(found):
        joined = joined.outerjoin(table, table.c.id == steps.c[f"last_{number}"])
    return (sa.select(*columns(CaseRow, CASES), *columns(HoursRow, HOURS),
                      *(column for table in found for column in columns(FollowUpRow, table)))
            .select_from(joined).order_by(CASES.c.ref_key))
