"""The course and its history: the case, extensions, placements, weekly hours and
follow-ups. History is kept, so that agenda rules, nudges and reports are queries."""


from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import (
    Cadence,
    CaseStatus,
    FollowUpCadence,
    FollowUpKind,
    GoalStatus,
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
    # How often the workplace is followed up, as agreed for this placement.
    follow_up_cadence: FollowUpCadence = Field(
        default=FollowUpCadence.MONTHLY, sa_type=enum_type(FollowUpCadence),
        sa_column_kwargs={"server_default": FollowUpCadence.MONTHLY.value})
    # Who follows up at the workplace, as agreed (None: the company consultant, at a
    # company; the mentor otherwise).
    follows_up_id: int | None = Field(default=None, foreign_key="person.id",
                                      ondelete="SET NULL")
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


class AttendanceWeek(SQLModel, table=True):
    """One week's attendance in the course: days planned and days met, and why days were
    missed, as counts (a health reason is the code "sick", never a diagnosis). A week is
    recorded once; recording it again replaces it."""

    __tablename__ = "attendance_week"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "week_start", name="uq_attendance_case_week"),
        # The working set reads every case's last weeks: a range over the week.
        sa.Index("ix_attendance_week_start", "week_start", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", ondelete="CASCADE")
    week_start: date  # the Monday
    planned_days: int = Field(ge=0, le=7)
    attended_days: int = Field(ge=0, le=7)
    sick_days: int = Field(default=0, ge=0, le=7)
    no_show_days: int = Field(default=0, ge=0, le=7)  # absent without notice
    left_early_days: int = Field(default=0, ge=0, le=7)
    note: str | None = Field(default=None, max_length=TEXT_MAX)
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()

    @property
    def share(self) -> float | None:
        """Days met of days planned (None for a week with no days planned)."""
        return self.attended_days / self.planned_days if self.planned_days else None


class PlacementAgreement(SQLModel, table=True):
    """The individual agreement for a placement: tasks, the hours plan and accommodations
    (skånehensyn). Its planned end, next paid-hours talk, cadence and who follows up are
    the placement's own fields; its goals are rows of their own. Accommodations are shown
    only where just the reader sees them, never in a channel post."""

    __tablename__ = "placement_agreement"

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", unique=True, ondelete="CASCADE")
    tasks: str | None = Field(default=None, max_length=TEXT_MAX)
    hours_plan: str | None = Field(default=None, max_length=500)
    accommodations: str | None = Field(default=None, max_length=TEXT_MAX)
    updated_by: str | None = Field(default=None, max_length=32)
    updated_on: date | None = None
    created_at: datetime = created_at_field()


class AgreementGoal(SQLModel, table=True):
    """A goal of the agreement, or a sub-goal (delmål) under one, with where it stands."""

    __tablename__ = "agreement_goal"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="placement_agreement.id", index=True,
                              ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="agreement_goal.id",
                                  ondelete="CASCADE")
    position: int
    text: str = Field(max_length=500)
    status: GoalStatus = Field(default=GoalStatus.OPEN, sa_type=enum_type(GoalStatus))
    status_on: date | None = None
    created_at: datetime = created_at_field()
