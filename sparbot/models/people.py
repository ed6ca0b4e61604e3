"""People and teams: staff and jobcenter consultants, teams with their own meeting, and
who works in which team."""


from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.models.base import created_at_field


class Person(SQLModel, table=True):
    """A member of staff (a Slack user) or a jobcenter consultant who may not be in Slack."""

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str | None = Field(default=None, max_length=32, unique=True)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, index=True)
    # When Slack last answered about them (users.info, users.lookupByEmail), and whether it
    # knows them at all: someone it cannot find gets nothing from the bot, so their items
    # go to the case's other owner and the operator sees them (`sparbot people`).
    slack_checked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    unreachable: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = created_at_field()

    @property
    def readable(self) -> str:
        """How people read them outside Slack (exports, the PDF, the CLI): by name."""
        return self.name or self.email or self.slack_user_id or "?"


class Team(SQLModel, table=True):
    """A team that holds its own weekly sparring meeting in its own private channel. Cases
    with no team are the deployment's own team, whose channel is SPARBOT_CHANNEL: a provider
    with one meeting never needs a team row."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    channel_id: str = Field(max_length=32, unique=True)
    # The team's own meeting day (0 Monday .. 4 Friday) and time; None: the deployment's.
    meeting_weekday: int | None = None
    meeting_time: time | None = Field(default=None, sa_type=sa.Time)
    # Who attends for the jobcenter (Slack ids or names, comma-separated); None: the
    # deployment's SPARBOT_JOBCENTER_ATTENDEES.
    jobcenter_attendees: str | None = Field(default=None, max_length=500)
    # When the members of its channel were last asked of Slack (None: never).
    members_refreshed_at: datetime | None = Field(default=None,
                                                 sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_at_field()


class TeamMember(SQLModel, table=True):
    """Someone who works in a team, beside the people on its cases: added by an operator
    (`sparbot team members`, who may make them the team's admin), or a member of the team's
    private channel as Slack last reported it (refreshed by a job)."""

    __tablename__ = "team_member"
    __table_args__ = (sa.UniqueConstraint("team_id", "slack_user_id", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    slack_user_id: str = Field(max_length=32, index=True)
    source: str = Field(max_length=16)  # "operator" or "channel"
    is_admin: bool = False  # exports the team's whole decision log (operator-added only)
    created_at: datetime = created_at_field()
