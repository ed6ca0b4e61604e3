"""Every active case as it stands on one day, in six queries whatever the roster's size.

The database does the trimming: of a case's hours only the entries that decide what is in
force (the latest, where its unbroken run of equal hours began, and the one before that);
of its follow-ups only the last of each kind; of its placements only those not ended before
`since`. What `due_items` and the agenda rules read from such a snapshot is exactly what
they read from the case's whole history (a test holds the two loaders to that)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from sparbot.enums import CaseStatus, FollowUpKind
from sparbot.models import Case, Extension, FollowUp, HoursEntry, Person, Placement
from sparbot.services.rows import (
    CaseRow,
    ExtensionRow,
    FollowUpRow,
    HoursRow,
    PlacementRow,
    columns,
)
from sparbot.services.snapshots import CaseSnapshot

_R = TypeVar("_R")

CASES = sa.inspect(Case).local_table
PLACEMENTS = sa.inspect(Placement).local_table
HOURS = sa.inspect(HoursEntry).local_table
FOLLOW_UPS = sa.inspect(FollowUp).local_table
EXTENSIONS = sa.inspect(Extension).local_table


def load_working_set(session: Session, day: date, since: date | None = None
                     ) -> list[CaseSnapshot]:
    """Every active case on `day`, by reference. Placements that ended before `since`
    (default: `day`) are left out; the agenda passes its previous meeting's date."""
    active = sa.select(CASES.c.id).where(CASES.c.status == CaseStatus.ACTIVE.value)
    connection = session.connection()
    cases = [CaseRow(*row) for row in connection.execute(
        sa.select(*columns(CaseRow, CASES)).where(CASES.c.status == CaseStatus.ACTIVE.value)
        .order_by(CASES.c.ref_key))]
    if not cases:
        return []
    person_ids = {person_id for case in cases for person_id in (
        case.mentor_id, case.company_consultant_id, case.jobcenter_consultant_id) if person_id}
    people = {person.id: person for person in session.exec(
        select(Person).where(col(Person.id).in_(person_ids)))}

    def grouped(statement: sa.Select[Any], build: Callable[..., _R]) -> dict[int, list[_R]]:
        groups: dict[int, list[_R]] = defaultdict(list)
        for row in connection.execute(statement):
            item = build(*row)
            groups[row.case_id].append(item)
        return groups

    extensions = grouped(sa.select(*columns(ExtensionRow, EXTENSIONS))
                         .where(EXTENSIONS.c.case_id.in_(active)), ExtensionRow)
    placements = grouped(
        sa.select(*columns(PlacementRow, PLACEMENTS))
        .where(PLACEMENTS.c.case_id.in_(active),
               PLACEMENTS.c.end_date.is_(None) | (PLACEMENTS.c.end_date >= (since or day)))
        .order_by(PLACEMENTS.c.case_id, PLACEMENTS.c.start_date, PLACEMENTS.c.id),
        PlacementRow)
    hours = grouped(_hours_in_force(day), HoursRow)
    follow_ups = grouped(_last_follow_ups(), FollowUpRow)
    return [CaseSnapshot(case=case, mentor=people[case.mentor_id],
                         company_consultant=people.get(case.company_consultant_id or -1),
                         jobcenter_consultant=people.get(case.jobcenter_consultant_id or -1),
                         extensions=extensions.get(case.id, []),
                         placements=placements.get(case.id, []),
                         hours=hours.get(case.id, []), follow_ups=follow_ups.get(case.id, []))
            for case in cases]


def _hours_in_force(day: date) -> sa.Select[Any]:
    """Per active case, of the entries in force on `day`: the latest, the first of the
    unbroken run of equal hours it ends, and the entry before that run (what the hours went
    down from). Each is a short walk down the (case, date) index, never the whole history;
    the steps are materialized so that no database re-plans them into a scan."""
    entry = HOURS.alias("entry")
    in_force = entry.c.effective_from <= day

    def step(statement: sa.Select[Any], name: str) -> sa.CTE:
        return statement.cte(name).prefix_with("MATERIALIZED")

    def newest(case_id: Any, *where: Any) -> Any:
        return (sa.select(entry.c.id).where(entry.c.case_id == case_id, in_force, *where)
                .order_by(entry.c.effective_from.desc(), entry.c.id.desc()).limit(1)
                .scalar_subquery())

    latest_id = step(sa.select(CASES.c.id.label("case_id"), newest(CASES.c.id).label("id"))
                     .where(CASES.c.status == CaseStatus.ACTIVE.value), "latest_id")
    latest = step(sa.select(latest_id.c.case_id, HOURS.c.id,
                            (HOURS.c.internship_hours + HOURS.c.paid_hours).label("total"),
                            HOURS.c.paid_hours.label("paid"))
                  .join(HOURS, HOURS.c.id == latest_id.c.id), "latest")
    differs = (entry.c.internship_hours + entry.c.paid_hours != latest.c.total) | (
        entry.c.paid_hours != latest.c.paid)
    before_id = step(sa.select(latest.c.case_id, latest.c.id,
                               newest(latest.c.case_id, differs).label("before_id")),
                     "before_id")
    before_entry = HOURS.alias("before_entry")
    before = step(sa.select(before_id, before_entry.c.effective_from.label("before_from"))
                  .outerjoin(before_entry, before_entry.c.id == before_id.c.before_id),
                  "before")
    after_before = (before.c.before_id.is_(None)
                    | (entry.c.effective_from > before.c.before_from)
                    | ((entry.c.effective_from == before.c.before_from)
                       & (entry.c.id > before.c.before_id)))
    run = (sa.select(entry.c.id).where(entry.c.case_id == before.c.case_id, in_force,
                                       after_before)
           .order_by(entry.c.effective_from, entry.c.id).limit(1).scalar_subquery())
    trio = step(sa.select(before.c.id, before.c.before_id, run.label("run_id")), "trio")
    kept = sa.union(sa.select(trio.c.id), sa.select(trio.c.before_id),
                    sa.select(trio.c.run_id))
    return (sa.select(*columns(HoursRow, HOURS)).where(HOURS.c.id.in_(kept))
            .order_by(HOURS.c.case_id, HOURS.c.effective_from, HOURS.c.id))


def _last_follow_ups() -> sa.Select[Any]:
    """Per active case, the last follow-up of each kind: one step down the index each."""
    entry = FOLLOW_UPS.alias("entry")

    def last(kind: FollowUpKind) -> Any:
        return (sa.select(entry.c.id).where(entry.c.case_id == CASES.c.id,
                                            entry.c.kind == kind.value)
                .order_by(entry.c.held_on.desc(), entry.c.id.desc()).limit(1)
                .scalar_subquery())

    kept = sa.union(*(sa.select(last(kind)).where(CASES.c.status == CaseStatus.ACTIVE.value)
                      for kind in FollowUpKind))
    return (sa.select(*columns(FollowUpRow, FOLLOW_UPS)).where(FOLLOW_UPS.c.id.in_(kept))
            .order_by(FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.held_on, FOLLOW_UPS.c.id))
