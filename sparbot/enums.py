"""Statuses, kinds and every Slack id the bot uses (never string literals elsewhere)."""

from enum import StrEnum


class Language(StrEnum):
    DA = "da"
    EN = "en"


class Purpose(StrEnum):
    WORK_CAPACITY = "work-capacity"
    ORDINARY_EMPLOYMENT = "ordinary-employment"
    FLEX_JOB = "flex-job"
    RETENTION = "retention"
    EDUCATION = "education"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"

    @property
    def days(self) -> int:
        return 7 if self is Cadence.WEEKLY else 14


class FollowUpCadence(StrEnum):
    """How often the workplace is followed up in a placement (agreed per placement)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class GoalStatus(StrEnum):
    """Where a goal (or sub-goal) of a placement agreement stands."""

    OPEN = "open"
    IN_PROGRESS = "in-progress"
    REACHED = "reached"
    DROPPED = "dropped"


class CaseStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Outcome(StrEnum):
    ORDINARY_EMPLOYMENT = "ordinary-employment"
    FLEX_JOB = "flex-job"
    EDUCATION = "education"
    EARLY_RETIREMENT = "early-retirement"
    RESOURCE_COURSE = "resource-course"
    DECLARED_FIT = "declared-fit"
    STOPPED = "stopped"
    MOVED_AWAY = "moved-away"


class PlacementKind(StrEnum):
    OWN_SHOP = "own-shop"
    COMPANY_INTERNSHIP = "company-internship"
    PAID_HOURS = "paid-hours"
    HYBRID = "hybrid"
    FLEX_JOB = "flex-job"
    EMPLOYMENT = "employment"

    @property
    def is_at_company(self) -> bool:
        return self is not PlacementKind.OWN_SHOP


class FollowUpKind(StrEnum):
    MENTOR_MEETING = "mentor-meeting"
    WORKPLACE = "workplace"


class PaidHoursAnswer(StrEnum):
    """What came of raising paid hours at a follow-up."""

    NOT_RAISED = "not-raised"
    YES = "yes"
    LATER = "later"
    NO = "no"


class DueKind(StrEnum):
    MENTOR_MEETING = "mentor-meeting"
    WORKPLACE_FOLLOWUP = "workplace-followup"
    COURSE_ENDING = "course-ending"
    PAID_HOURS = "paid-hours"


class HolidayPolicy(StrEnum):
    """What happens to a meeting that falls on a holiday or closure day."""

    MOVE = "move"  # to the next working day
    CANCEL = "cancel"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    POSTING = "posting"  # claimed by one process; never posted twice
    POSTED = "posted"
    CANCELLED = "cancelled"


class ReasonCode(StrEnum):
    """Why a case is on the agenda, in priority order (lower first)."""

    CARRIED_OVER = "carried-over"
    REQUESTED = "requested"
    OWNER_AWAY = "owner-away"
    AWAY_AHEAD = "away-ahead"  # someone on the case will be away when it ends or falls due
    COURSE_ENDING = "course-ending"
    PLACEMENT_ENDING = "placement-ending"  # its agreed end is near, and nothing follows
    INTERNSHIP_LENGTH = "internship-length"  # a company internship nearing its longest
    DECISION_OVERDUE = "decision-overdue"
    MENTOR_MEETING_OVERDUE = "mentor-meeting-overdue"
    FOLLOW_UP_OVERDUE = "follow-up-overdue"
    ATTENDANCE = "attendance"  # low, falling, or absent without notice
    PAID_HOURS = "paid-hours"
    HOURS_DOWN = "hours-down"
    HOURS_FLAT = "hours-flat"
    NEW_CASE = "new-case"
    PLACEMENT_CHANGED = "placement-changed"
    ROTATION = "rotation"


class DecisionCategory(StrEnum):
    INTERNSHIP = "internship"
    HOURS = "hours"
    PAID_HOURS = "paid-hours"
    EXTENSION = "extension"
    SPECIALIST_STATEMENT = "specialist-statement"
    WORK_CAPACITY = "work-capacity"
    CLOSING = "closing"
    OTHER = "other"


class DecisionStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class NudgeKind(StrEnum):
    MENTOR_MEETING = "mentor-meeting"
    WORKPLACE_FOLLOWUP = "workplace-followup"
    PAID_HOURS = "paid-hours"
    COURSE_ENDING = "course-ending"
    ACTION_DUE = "action-due"  # a decision action due tomorrow
    ACTION_OVERDUE = "action-overdue"
    ATTENDANCE_MISSING = "attendance-missing"  # last week's attendance not logged

    @property
    def urgent(self) -> bool:
        """Urgent nudges come even when a person has paused the others."""
        return self in (NudgeKind.COURSE_ENDING, NudgeKind.ACTION_DUE, NudgeKind.ACTION_OVERDUE)

    @property
    def keyed_by_day(self) -> bool:
        """Its key holds the day it is for: only a digest of that same day can have sent it.
        (A course ending is nudged once per threshold, an action due once, a week's missing
        attendance once: not by day.)"""
        return self not in (NudgeKind.COURSE_ENDING, NudgeKind.ACTION_DUE,
                            NudgeKind.ATTENDANCE_MISSING)


class DigestStatus(StrEnum):
    SENDING = "sending"  # claimed by one process; its DM waits in the outbox
    SENT = "sent"
    FAILED = "failed"  # Slack would not take it: the next sweep plans it anew
    UNKNOWN = "unknown"  # before the outbox: a send whose outcome was not known


class OutboxStatus(StrEnum):
    PENDING = "pending"  # to be sent (now, or at its next attempt)
    SENDING = "sending"  # claimed by one process; a stale claim is checked in Slack
    SENT = "sent"
    FAILED = "failed"  # Slack refused it for good, or kept failing: a person was told
