"""The weekly sparring meeting: its posting (claimed once), requests to take a case up,
and each case as it was posted."""


from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import (
    MeetingStatus,
)
from sparbot.models.base import created_at_field, enum_type


class Meeting(SQLModel, table=True):
    """One week's sparring meeting (or its cancellation). Its status is the claim that
    makes posting the agenda happen exactly once, whatever the number of replicas: one
    meeting a week for each team (team_id None: the deployment's own team)."""

    __table_args__ = (
        sa.Index("uq_meeting_week_own_team", "regular_date", unique=True,
                 sqlite_where=sa.text("team_id IS NULL"),
                 postgresql_where=sa.text("team_id IS NULL")),
        sa.Index("uq_meeting_team_week", "team_id", "regular_date", unique=True,
                 sqlite_where=sa.text("team_id IS NOT NULL"),
                 postgresql_where=sa.text("team_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    regular_date: date
    team_id: int | None = Field(default=None, foreign_key="team.id")
    held_on: date | None = None
    status: MeetingStatus = Field(default=MeetingStatus.PLANNED,
                                  sa_type=enum_type(MeetingStatus))
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    posted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # When the posting was claimed: a claim older than the send timeout was left by a
    # process that died, and another replica checks the channel for what it posted.
    claimed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    jobcenter_present: bool | None = None
    created_at: datetime = created_at_field()


class AgendaRequest(SQLModel, table=True):
    """A team member asked for a case to be taken up ("/spar dagsorden tilføj")."""

    __tablename__ = "agenda_request"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=500)
    requested_by: str | None = Field(default=None, max_length=32)
    requested_on: date
    taken_up_at_meeting_id: int | None = Field(default=None, foreign_key="meeting.id",
                                               ondelete="SET NULL")
    created_at: datetime = created_at_field()


class AgendaItem(SQLModel, table=True):
    """A case as it was posted on a meeting's agenda, with its reasons and its thread."""

    __tablename__ = "agenda_item"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    position: int
    reached: bool  # within the meeting's time box
    reasons: str = Field(sa_type=sa.Text)  # JSON: [{"code": ..., "facts": {...}}]
    discussed: bool = False
    thread_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = created_at_field()


class CalendarInvitation(SQLModel, table=True):
    """The meeting series as last sent to one attendee by e-mail (an iCalendar REQUEST):
    what it said, so that a change sends one update (a higher SEQUENCE) and a newly
    cancelled meeting one CANCEL, each exactly once, whichever replica sends it."""

    __tablename__ = "calendar_invitation"
    __table_args__ = (sa.UniqueConstraint("team_key", "email", name="uq_invitation_team_email"),)

    id: int | None = Field(default=None, primary_key=True)
    team_key: str = Field(max_length=32)
    email: str = Field(max_length=254)
    series_start: date  # the series' first meeting, fixed when first sent
    sequence: int = 0
    fingerprint: str = Field(max_length=64)  # the series as sent: rules and exceptions
    cancelled_sent: str = Field(default="[]", sa_type=sa.Text)  # ISO dates CANCELled
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_at_field()
