"""Nudges: absences, each person's settings, the digests (claimed once) and what they
held, what was snoozed or dismissed, and e-mails sent to workplaces."""


from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import (
    DigestStatus,
)
from sparbot.models.base import created_at_field, enum_type


class Absence(SQLModel, table=True):
    """A member of staff away (holiday, illness: the reason is not kept)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    starts_on: date
    ends_on: date
    # Who takes the absent person's nudges meanwhile (None: they wait until the return).
    stand_in_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    recorded_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class NudgePreference(SQLModel, table=True):
    __tablename__ = "nudge_preference"

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    send_at: str = Field(default="08:30", max_length=5)  # HH:MM, Europe/Copenhagen
    paused: bool = False  # non-urgent nudges paused


class Digest(SQLModel, table=True):
    """One person's nudges for one working day, sent as one DM. The unique (person, day) row
    is claimed before sending: that is what makes a digest go out exactly once."""

    __table_args__ = (sa.UniqueConstraint("person_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    day: date
    status: DigestStatus = Field(default=DigestStatus.SENDING, sa_type=enum_type(DigestStatus))
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    # When the current claim was taken: a claim older than the send timeout belongs to a
    # process that died, and another replica checks Slack for what it did.
    claimed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class DigestItem(SQLModel, table=True):
    """A nudge in a digest. `key` names the thing nudged (kind, case or action, period)."""

    __tablename__ = "digest_item"

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(foreign_key="digest.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=120, index=True)
    kind: str = Field(max_length=32)
    case_id: int | None = Field(default=None, foreign_key="case.id", ondelete="CASCADE")


class NudgeSuppression(SQLModel, table=True):
    """Snoozed ("Udsæt 1 uge") or not relevant: a nudge key held back until a date."""

    __tablename__ = "nudge_suppression"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=120, index=True)
    until: date
    reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()


class ContactMessage(SQLModel, table=True):
    """An e-mail the bot sent to a workplace's contact for the company consultant: the case
    keeps a record of it (to whom, what about, when, by whom), not its text."""

    __tablename__ = "contact_message"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    placement_id: int | None = Field(default=None, foreign_key="placement.id",
                                     ondelete="SET NULL")
    to_email: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    sent_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()
