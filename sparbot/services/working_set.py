"""Every active case as it stands on one day, in six queries whatever the roster's size.

The database does the trimming: of a case's hours only the entry in force (stamped with
what came before it); of its follow-ups only the last of each kind; of its placements only
those not ended before `since`. What `due_items` and the agenda rules read from such a
snapshot is exactly what they read from the case's whole history (a test holds the two
loaders to that)."""

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
    """Per active case, the entry in force on `day` (one step down the (case, date) index);
    its stamps say what came before it (hours_runs.py)."""
    entry = HOURS.alias("entry")
    latest = (sa.select(entry.c.id).where(entry.c.case_id == CASES.c.id,
                                          entry.c.effective_from <= day)
              .order_by(entry.c.effective_from.desc(), entry.c.id.desc()).limit(1)
              .scalar_subquery())
    latest_ids = (sa.select(latest.label("id"))
                  .where(CASES.c.status == CaseStatus.ACTIVE.value)
                  .cte("latest_ids").prefix_with("MATERIALIZED"))
    return (sa.select(*columns(HoursRow, HOURS))
            .join(latest_ids, latest_ids.c.id == HOURS.c.id)
            .order_by(HOURS.c.case_id))


def _last_follow_ups() -> sa.Select[Any]:
    """Per active case, the last follow-up of each kind: one step down the index each."""
    entry = FOLLOW_UPS.alias("entry")

    def last(kind: FollowUpKind) -> Any:
        return (sa.select(entry.c.id).where(entry.c.case_id == CASES.c.id,
                                            entry.c.kind == kind.value)
                .order_by(entry.c.held_on.desc(), entry.c.id.desc()).limit(1)
                .scalar_subquery())

    last_ids = (sa.select(*(last(kind).label(kind.name.lower()) for kind in FollowUpKind))
                .where(CASES.c.status == CaseStatus.ACTIVE.value)
                .cte("last_ids").prefix_with("MATERIALIZED"))
    return (sa.select(*columns(FollowUpRow, FOLLOW_UPS))
            .join(last_ids, sa.or_(*(FOLLOW_UPS.c.id == column for column in last_ids.c)))
            .order_by(FOLLOW_UPS.c.case_id, FOLLOW_UPS.c.held_on, FOLLOW_UPS.c.id))
