"""The ids the bot puts into Slack and gets back: buttons (action ids), forms (callback
ids) and their fields (block ids). Every action and callback id has a declared entry
(sparbot.bot.entries refuses to build otherwise)."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    """Block Kit action ids (kebab-case values, as Slack shows them in payloads)."""

    ROSTER_PAGE = "roster-page"
    CASE_OPEN = "case-open"
    CASE_ADD = "case-add"
    HOURS_ADD = "hours-add"
    FOLLOWUP_ADD = "followup-add"
    PLACEMENT_ADD = "placement-add"
    AGENDA_ADD = "agenda-add"
    AGENDA_ITEM_DISCUSSED = "agenda-item-discussed"
    DECISION_ADD = "decision-add"
    DECISION_ACTION_DONE = "decision-action-done"
    DECISION_EDIT = "decision-edit"
    DECISION_CANCEL = "decision-cancel"
    NUDGE_FOLLOW_UP = "nudge-follow-up"
    NUDGE_SNOOZE = "nudge-snooze"
    NUDGE_DISMISS = "nudge-dismiss"
    CONTACT_EMAIL = "contact-email"
    JOBCENTER_PRESENT = "jobcenter-present"
    JOBCENTER_ABSENT = "jobcenter-absent"


class CallbackId(StrEnum):
    """Modal callback ids."""

    CASE_ADD = "case-add-modal"
    HOURS = "hours-modal"
    FOLLOWUP = "followup-modal"
    PLACEMENT = "placement-modal"
    AGENDA_REQUEST = "agenda-request-modal"
    DECISION = "decision-modal"
    DECISION_EDIT = "decision-edit-modal"
    DECISION_SHORTCUT = "decision-from-message"
    NUDGE_DISMISS = "nudge-dismiss-modal"
    CONTACT_EMAIL = "contact-email-modal"


class BlockId(StrEnum):
    """Input block ids in modals; errors are reported against these."""

    REF = "ref"
    PROGRAMME = "programme"
    PURPOSE = "purpose"
    START = "start"
    WEEKS = "weeks"
    MENTOR = "mentor"
    CONSULTANT = "company-consultant"
    JOBCENTER_USER = "jobcenter-user"
    JOBCENTER_NAME = "jobcenter-name"
    JOBCENTER_EMAIL = "jobcenter-email"
    CADENCE = "cadence"
    HOURS = "hours"
    PAID = "paid"
    FROM = "from"
    KIND = "kind"
    HELD_ON = "held-on"
    PAID_RAISED = "paid-raised"
    NOTE = "note"
    WORKPLACE = "workplace"
    CONTACT_NAME = "contact-name"
    CONTACT_EMAIL = "contact-email"
    CONTACT_PHONE = "contact-phone"
    CONTACT_USER = "contact-user"
    EMAIL_SUBJECT = "email-subject"
    EMAIL_BODY = "email-body"
    END = "end"
    NEXT_RAISE = "next-raise"
    REASON = "reason"
    DECISION_TEXT = "decision-text"
    CATEGORY = "category"
    OWNERS = "owners"
    JOBCENTER_OWNER = "jobcenter-owner"
    DUE = "due"
    PRESENT = "present"
    JOBCENTER_AGREED = "jobcenter-agreed"
    EXTENSION_WEEKS = "extension-weeks"
    OUTCOME = "outcome"
