"""The course and its history: the case, extensions, placements, weekly hours and
follow-ups. History is kept, so that agenda rules, nudges and reports are queries."""


from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import (
    Cadence,
    CaseStatus,
    FollowUpKind,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)
from sparbot.models.base import REF_MAX, TEXT_MAX, created_at_field, enum_type


class CaseBase(SQLModel):
    ref: str = Field(max_length=REF_MAX)
    programme: str = Field(max_length=200)
    purpose: Purpose = Field(sa_type=enum_type(Purpose))
    start_date: date
    booked_weeks: int = Field(default=26, ge=1, le=260)
    cadence: Cadence = Field(default=Cadence.WEEKLY, sa_type=enum_type(Cadence))


class Case(CaseBase, table=True):
    __table_args__ = (
        # A reference is unique among a team's active cases (two providers may each have a
        # "ZA"), and among those in no team; closed cases keep theirs for the log.
        sa.Index(
            "uq_case_team_ref_active",
            "team_id",
            "ref_key",
            unique=True,
            sqlite_where=sa.text("status = 'active' AND team_id IS NOT NULL"),
            postgresql_where=sa.text("status = 'active' AND team_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_case_own_ref_active",
            "ref_key",
            unique=True,
            sqlite_where=sa.text("status = 'active' AND team_id IS NULL"),
            postgresql_where=sa.text("status = 'active' AND team_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref_key: str = Field(max_length=REF_MAX, index=True)
    mentor_id: int = Field(foreign_key="person.id", index=True)
    company_consultant_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    jobcenter_consultant_id: int | None = Field(default=None, foreign_key="person.id")
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    status: CaseStatus = Field(default=CaseStatus.ACTIVE, sa_type=enum_type(CaseStatus))
    outcome: Outcome | None = Field(default=None, sa_type=enum_type(Outcome))
    closed_on: date | None = None
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class Extension(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    weeks: int = Field(ge=1, le=104)
    decided_on: date
    reason: str | None = Field(default=None, max_length=TEXT_MAX)
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class Placement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    kind: PlacementKind = Field(sa_type=enum_type(PlacementKind))
    workplace: str = Field(max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=254)
    contact_phone: str | None = Field(default=None, max_length=40)
    contact_slack_user_id: str | None = Field(default=None, max_length=32)  # in Slack
    start_date: date
    end_date: date | None = None
    next_paid_hours_raise: date | None = None
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class HoursEntry(SQLModel, table=True):
    """The weekly hours from a date on: internship (unpaid) and paid hours apart."""

    __tablename__ = "hours_entry"
    # The working set walks each case's hours newest first: one index step, not a scan.
    __table_args__ = (sa.Index("ix_hours_entry_case_date", "case_id", "effective_from", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    effective_from: date
    internship_hours: float = Field(ge=0, le=60)
    paid_hours: float = Field(default=0, ge=0, le=60)
    pattern: str | None = Field(default=None, max_length=40)
    # Stamped from the entries before it whenever a case's hours change (hours_runs.py), so
    # that a whole roster's hours trend reads from one entry per case: where the unbroken
    # run of these same hours began, and what came just before.
    run_from: date | None = None
    total_before: float | None = None
    pattern_before: str | None = Field(default=None, max_length=40)
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()

    @property
    def total(self) -> float:
        return self.internship_hours + self.paid_hours


class FollowUp(SQLModel, table=True):
    """A mentor meeting, or a follow-up at the workplace."""

    __tablename__ = "follow_up"
    __table_args__ = (sa.Index("ix_follow_up_case_kind_date", "case_id", "kind", "held_on", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    kind: FollowUpKind = Field(sa_type=enum_type(FollowUpKind))
    held_on: date
    placement_id: int | None = Field(default=None, foreign_key="placement.id", ondelete="SET NULL")
    paid_hours: PaidHoursAnswer = Field(
        default=PaidHoursAnswer.NOT_RAISED, sa_type=enum_type(PaidHoursAnswer)
    )
    note: str | None = Field(default=None, max_length=TEXT_MAX)
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()
