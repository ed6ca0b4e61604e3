"""A case with everything around it, loaded for many cases in a fixed number of queries.

Two loaders: `load_snapshots` reads each case's whole history as ORM objects (the case view,
the PDF); `load_working_set` reads, for every active case, only the rows that decide what is
due on one day, as light rows, with the trimming done by the database. The agenda and the
nudge sweep run over the whole roster, so they use the second: a municipality's 10,000
cases with 200,000 hours records would otherwise be loaded in full every time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from sparbot.enums import FollowUpKind
from sparbot.models import (
    AttendanceWeek,
    Case,
    Extension,
    FollowUp,
    HoursEntry,
    Person,
    Placement,
    course_end,
)
from sparbot.services.people import people_by_id
from sparbot.services.rows import (
    AttendanceRow,
    CaseRow,
    ExtensionRow,
    FollowUpRow,
    HoursRow,
    PlacementRow,
)

_Row = TypeVar("_Row", Extension, Placement, HoursEntry, FollowUp, AttendanceWeek)

# A snapshot holds either models (a case's whole history) or light rows (the working set).
AnyCase = Case | CaseRow
AnyPlacement = Placement | PlacementRow
AnyHours = HoursEntry | HoursRow
AnyFollowUp = FollowUp | FollowUpRow
AnyExtension = Extension | ExtensionRow
AnyAttendance = AttendanceWeek | AttendanceRow


@dataclass(slots=True)
class CaseSnapshot:
    case: AnyCase
    mentor: Person
    company_consultant: Person | None
    jobcenter_consultant: Person | None
    extensions: Sequence[AnyExtension] = field(default_factory=list)
    placements: Sequence[AnyPlacement] = field(default_factory=list)
    hours: Sequence[AnyHours] = field(default_factory=list)
    follow_ups: Sequence[AnyFollowUp] = field(default_factory=list)
    # Weeks of attendance, oldest first: all of them (`load_snapshots`), or the working
    # set's last few.
    attendance: Sequence[AnyAttendance] = field(default_factory=list)
    # Worked out once: a snapshot is read, never changed, and every rule asks for them.
    total_weeks: int = field(init=False)
    end_date: date = field(init=False)

    def __post_init__(self) -> None:
        self.total_weeks = self.case.booked_weeks + (sum(
            extension.weeks for extension in self.extensions) if self.extensions else 0)
        self.end_date = course_end(self.case.start_date, self.total_weeks)

    @property
    def record(self) -> Case:
        """The case as stored, for the views of one case (`load_snapshots`): the working
        set's light row holds only what the day's rules read."""
        if not isinstance(self.case, Case):
            raise TypeError("a working-set snapshot has no full case record")
        return self.case

    def follow_up_records(self) -> list[FollowUp]:
        """The case's follow-ups as stored (see `record`)."""
        records = [item for item in self.follow_ups if isinstance(item, FollowUp)]
        if len(records) != len(self.follow_ups):
            raise TypeError("a working-set snapshot has no full follow-up records")
        return records

    def week_number(self, today: date) -> int:
        """Week N of the course (1 in its first week; 0 before it starts)."""
        if today < self.case.start_date:
            return 0
        return (today - self.case.start_date).days // 7 + 1

    # Each "the last that ..." below is the first from the end: no list built, as these are
    # asked for every case in every sweep.
    def current_placement(self, today: date) -> AnyPlacement | None:
        for placement in reversed(self.placements):
            if placement.is_current(today):
                return placement
        return None

    def hours_on(self, day: date) -> AnyHours | None:
        """The hours in force on a day: the latest entry effective on or before it."""
        for entry in reversed(self.hours):
            if entry.effective_from <= day:
                return entry
        return None

    def last_follow_up(self, kind: FollowUpKind | str, since: date | None = None
                       ) -> AnyFollowUp | None:
        """The last follow-up of a kind (held on or after `since`, when given)."""
        for item in reversed(self.follow_ups):
            if item.kind == kind and (since is None or item.held_on >= since):
                return item
        return None

    def people_ids(self) -> set[int]:
        return {person.id for person in (self.mentor, self.company_consultant,
                                         self.jobcenter_consultant)
                if person is not None and person.id is not None}


def people_of(session: Session, cases: Sequence[AnyCase]) -> dict[int | None, Person]:
    """Everyone the cases name (mentor, company consultant, jobcenter), in one query."""
    return people_by_id(session=session, ids=[person_id for case in cases for person_id in (
        case.mentor_id, case.company_consultant_id, case.jobcenter_consultant_id)])


def load_snapshots(session: Session, cases: Sequence[Case]) -> list[CaseSnapshot]:
    """Six queries whatever the number of cases."""
    if not cases:
        return []
    case_ids = [case.id for case in cases if case.id is not None]
    people = people_of(session, cases)

    def grouped(model: type[_Row], *order: Any) -> dict[int, list[_Row]]:
        groups: dict[int, list[_Row]] = defaultdict(list)
        statement = select(model).where(col(model.case_id).in_(case_ids)).order_by(*order)
        for row in session.exec(statement):
            groups[row.case_id].append(row)
        return groups

    extensions = grouped(Extension, col(Extension.id))
    placements = grouped(Placement, col(Placement.start_date), col(Placement.id))
    hours = grouped(HoursEntry, col(HoursEntry.effective_from), col(HoursEntry.id))
    follow_ups = grouped(FollowUp, col(FollowUp.held_on), col(FollowUp.id))
    attendance = grouped(AttendanceWeek, col(AttendanceWeek.week_start))
    snapshots = []
    for case in cases:
        assert case.id is not None
        snapshots.append(CaseSnapshot(
            case=case,
            mentor=people[case.mentor_id],
            company_consultant=people.get(case.company_consultant_id or -1),
            jobcenter_consultant=people.get(case.jobcenter_consultant_id or -1),
            extensions=extensions[case.id],
            placements=placements[case.id],
            hours=hours[case.id],
            follow_ups=follow_ups[case.id],
            attendance=attendance[case.id],
        ))
    return snapshots
