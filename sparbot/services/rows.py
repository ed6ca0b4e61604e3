"""Light, read-only rows of the roster's tables, for reading the whole roster at once.

Each has the columns of its table that the day's work reads (and the same small methods as
its model), built straight from a database row: no ORM identity map, no change tracking.
That costs about a tenth of loading the model, which is what a 10,000-case sweep needs."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa

from sparbot.enums import (
    Cadence,
    CaseStatus,
    FollowUpKind,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)


@dataclass(slots=True, frozen=True)
class CaseRow:
    id: int
    ref: str
    ref_key: str
    programme: str
    purpose: Purpose
    start_date: date
    booked_weeks: int
    cadence: Cadence
    mentor_id: int
    company_consultant_id: int | None
    jobcenter_consultant_id: int | None
    status: CaseStatus
    outcome: Outcome | None
    closed_on: date | None


@dataclass(slots=True, frozen=True)
class PlacementRow:
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

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


@dataclass(slots=True, frozen=True)
class HoursRow:
    id: int
    case_id: int
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


@dataclass(slots=True, frozen=True)
class FollowUpRow:
    id: int
    case_id: int
    kind: FollowUpKind
    held_on: date
    placement_id: int | None
    paid_hours: PaidHoursAnswer
    note: str | None


@dataclass(slots=True, frozen=True)
class ExtensionRow:
    id: int
    case_id: int
    weeks: int
    decided_on: date
    reason: str | None


def columns(row_type: type[Any], table: sa.FromClause) -> list[sa.ColumnElement[Any]]:
    """The table's columns in the order of the row type's fields: rows build positionally."""
    return [table.c[item.name] for item in fields(row_type)]
