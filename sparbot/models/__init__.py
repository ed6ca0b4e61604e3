"""Every table, one module by subject. The schema keeps history (hours, placements,
follow-ups, extensions) so that agenda rules, nudges and reports are queries, not new
bookkeeping. Importing this package registers every table on SQLModel.metadata."""

from sparbot.models.base import REF_MAX, TEXT_MAX, course_end, created_at_field, enum_type
from sparbot.models.cases import (
    AgreementGoal,
    AttendanceWeek,
    Case,
    CaseBase,
    Extension,
    FollowUp,
    HoursEntry,
    Placement,
    PlacementAgreement,
)
from sparbot.models.decisions import Decision, DecisionAction, DecisionChange
from sparbot.models.meetings import AgendaItem, AgendaRequest, CalendarInvitation, Meeting
from sparbot.models.nudges import (
    Absence,
    ContactMessage,
    Digest,
    DigestItem,
    NudgePreference,
    NudgeSuppression,
)
from sparbot.models.outbox import OutboxMessage
from sparbot.models.people import Person, Team, TeamMember
from sparbot.models.results import CourseFacts
from sparbot.models.trust import AuditEvent, SeenRequest

__all__ = [
    "REF_MAX",
    "TEXT_MAX",
    "Absence",
    "AgendaItem",
    "AgendaRequest",
    "AgreementGoal",
    "AttendanceWeek",
    "AuditEvent",
    "CalendarInvitation",
    "Case",
    "CaseBase",
    "ContactMessage",
    "CourseFacts",
    "Decision",
    "DecisionAction",
    "DecisionChange",
    "Digest",
    "DigestItem",
    "Extension",
    "FollowUp",
    "HoursEntry",
    "Meeting",
    "NudgePreference",
    "NudgeSuppression",
    "OutboxMessage",
    "Person",
    "Placement",
    "PlacementAgreement",
    "SeenRequest",
    "Team",
    "TeamMember",
    "course_end",
    "created_at_field",
    "enum_type",
]
