"""Decisions, their owners' actions and every change made to them."""


from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import (
    ActionStatus,
    DecisionCategory,
    DecisionStatus,
    Outcome,
    ReasonCode,
)
from sparbot.models.base import TEXT_MAX, created_at_field, enum_type


class Decision(SQLModel, table=True):
    """A binding decision on a case, with its actions; posted as a structured message."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True,
                                   ondelete="SET NULL")
    text: str = Field(max_length=TEXT_MAX)
    category: DecisionCategory = Field(sa_type=enum_type(DecisionCategory))
    status: DecisionStatus = Field(default=DecisionStatus.ACTIVE,
                                   sa_type=enum_type(DecisionStatus))
    decided_on: date
    present: str = Field(default="[]", sa_type=sa.Text)  # JSON list of Slack user ids
    jobcenter_present: bool | None = None
    jobcenter_agreed: bool | None = None
    extension_weeks: int | None = None
    outcome: Outcome | None = Field(default=None, sa_type=enum_type(Outcome))
    # The agenda reason the decision answers ("hold the hours as they are"), quiet on the
    # agenda and in the digests until this date, or until the facts change.
    settles: ReasonCode | None = Field(default=None, sa_type=enum_type(ReasonCode))
    settled_until: date | None = None
    recorded_by: str | None = Field(default=None, max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class DecisionAction(SQLModel, table=True):
    """Who does what by when. The owner is a member of staff or the jobcenter consultant."""

    __tablename__ = "decision_action"
    # The agenda and the nudge sweep ask for open actions past a date: found by the index.
    __table_args__ = (sa.Index("ix_decision_action_status_due", "status", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True, ondelete="CASCADE")
    owner_id: int = Field(foreign_key="person.id", index=True)
    due_date: date | None = Field(default=None, index=True)
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_type=enum_type(ActionStatus))
    done_on: date | None = None
    done_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class DecisionChange(SQLModel, table=True):
    """The history of a decision: who changed what, and when."""

    __tablename__ = "decision_change"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True, ondelete="CASCADE")
    changed_by: str | None = Field(default=None, max_length=32)
    change: str = Field(max_length=40)  # "recorded", "edited", "action-done", "cancelled"
    detail: str = Field(default="{}", sa_type=sa.Text)  # JSON: the fields before and after
    created_at: datetime = created_at_field()
