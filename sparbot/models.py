"""Every table. The schema keeps history (hours, placements, follow-ups, extensions) so that
agenda rules, nudges and reports are queries, not new bookkeeping."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.clock import utcnow
from sparbot.enums import (
    ActionStatus,
    Cadence,
    CaseStatus,
    DecisionCategory,
    DecisionStatus,
    DigestStatus,
    FollowUpKind,
    MeetingStatus,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)

REF_MAX = 24
TEXT_MAX = 2000


class _ValueEnum(sa.Enum):
    """An enum column whose values are read back through the value-to-member dict itself:
    one C call a value, where sa.Enum makes two Python calls (a whole-roster read has some
    100,000 such values). Written, and in the schema, it is sa.Enum."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if sa.String().result_processor(dialect, coltype) is not None:  # the driver's own
            return super().result_processor(dialect, coltype)  # type: ignore[no-untyped-call]
        return self._object_lookup.__getitem__  # None is in it, and maps to None


def enum_type(enum_cls: type[StrEnum]) -> sa.Enum:
    """Store an enum by its value as VARCHAR: the same on SQLite and PostgreSQL."""
    return _ValueEnum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


class Person(SQLModel, table=True):
    """A member of staff (a Slack user) or a jobcenter consultant who may not be in Slack."""

    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str | None = Field(default=None, max_length=32, unique=True)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, index=True)
    created_at: datetime = created_at_field()


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


class Absence(SQLModel, table=True):
    """A member of staff away (holiday, illness: the reason is not kept)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    starts_on: date
    ends_on: date
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


class SeenRequest(SQLModel, table=True):
    """Slack requests already taken in (by their signature), so that a request delivered
    twice or replayed is answered but never handled twice, on any replica."""

    __tablename__ = "seen_request"

    signature: str = Field(primary_key=True, max_length=80)
    at: datetime = created_at_field()


class AuditEvent(SQLModel, table=True):
    """Who read, searched, changed, exported or erased which case, and when. The application
    only ever appends here; the retention job removes events past their own period."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor: str = Field(max_length=64)  # a Slack user id, "cli" or "system"
    action: str = Field(max_length=16)  # read, search, change, export, erase
    what: str = Field(max_length=64)  # e.g. "case.show", "hours.record"
    case_ref: str | None = Field(default=None, max_length=REF_MAX, index=True)


def course_end(start: date, weeks: int) -> date:
    """The last day of a course of `weeks` weeks starting on `start`."""
    return start + timedelta(days=7 * weeks - 1)
