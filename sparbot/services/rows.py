"""Light, read-only rows of the roster's tables, for reading the whole roster at once.

Each has the columns of its table that the day's work reads (and the same small methods as
its model), built straight from a slice of a database row: no ORM identity map, no change
tracking. A named tuple is made in one step, where a frozen dataclass sets each field in
turn; over a 10,000-case sweep that is most of the cost of reading the rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any, NamedTuple, TypeVar, cast

import sqlalchemy as sa

from sparbot.enums import (
    Cadence,
    FollowUpCadence,
    FollowUpKind,
    PaidHoursAnswer,
    PlacementKind,
)

_Row = TypeVar("_Row", bound=tuple[Any, ...])


class CaseRow(NamedTuple):
    id: int
    ref: str
    ref_key: str
    programme: str
    start_date: date
    booked_weeks: int
    cadence: Cadence
    mentor_id: int
    company_consultant_id: int | None
    jobcenter_consultant_id: int | None


class PlacementRow(NamedTuple):
    id: int
    case_id: int
    kind: PlacementKind
    workplace: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contact_slack_user_id: str | None
    start_date: date
    end_date: date | None
    next_paid_hours_raise: date | None
    follow_up_cadence: FollowUpCadence
    follows_up_id: int | None

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class HoursRow(NamedTuple):
    id: int
    effective_from: date
    internship_hours: float
    paid_hours: float
    pattern: str | None
    run_from: date | None
    total_before: float | None
    pattern_before: str | None

    @property
    def total(self) -> float:
        return self.internship_hours + self.paid_hours


class FollowUpRow(NamedTuple):
    id: int
    kind: FollowUpKind
    held_on: date
    paid_hours: PaidHoursAnswer


class AttendanceRow(NamedTuple):
    case_id: int
    week_start: date
    planned_days: int
    attended_days: int
    sick_days: int
    no_show_days: int
    left_early_days: int


class ExtensionRow(NamedTuple):
    id: int
    case_id: int
    weeks: int
    decided_on: date
    reason: str | None


def maker(row_type: type[_Row]) -> Callable[[Iterable[Any]], _Row]:
    """Builds a row of `row_type` from a slice of a database row: `_make` without its Python
    frame (the named tuple's own __new__ takes the fields one by one) and without its length
    check, as the slices are cut to the fields' number (`columns` selects them in order)."""
    return cast(Callable[[Iterable[Any]], _Row], partial(tuple.__new__, row_type))


def columns(row_type: type[Any], table: sa.FromClause) -> list[sa.ColumnElement[Any]]:
    """The table's columns in the order of the row type's fields: rows build positionally."""
    return [table.c[name] for name in row_type._fields]
