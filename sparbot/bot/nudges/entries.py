"""The morning digest's buttons, absences and each person's nudge settings."""

from __future__ import annotations

from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.nudges import commands, handlers
from sparbot.bot.verbs import Verb


def register(entries: Registry) -> None:
    entries.subcommand("fravær", "fravaer", "away", "ferie", parse=commands.parse_away)
    entries.subcommand("påmindelser", "paamindelser", "nudges", "reminders",
                       parse=commands.parse_nudge_settings)
    # Anyone on a case records an absence, the jobcenter consultant too: the meeting
    # before it must know (services/away_ahead.py).
    entries.command(Verb.AWAY, example="fravær 1/12 5/12",
                    rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(handlers.record_absence)
    # A supervisor in Slack gets the workplace's nudges, so may tune or pause them.
    entries.command(Verb.NUDGE_SETTINGS, example="påmindelser kl:7:45",
                    rule=rule(Who.STAFF, Who.WORKPLACE_SUPERVISOR))(
        handlers.nudge_settings)
    # A digest goes to mentors, company consultants, supervisors in Slack and the owners of
    # decision actions (a jobcenter consultant among them): each acts on their own items.
    own_items = (Who.STAFF, Who.WORKPLACE_SUPERVISOR, Who.CASE_JOBCENTER)
    entries.action(ActionId.NUDGE_FOLLOW_UP, rule=rule(
        Who.STAFF, Who.WORKPLACE_SUPERVISOR, case=Carrier.VALUE_NUDGE))(
        handlers.handle_nudge_follow_up_action)
    entries.action(ActionId.NUDGE_SNOOZE, rule=rule(*own_items, case=Carrier.VALUE_NUDGE))(
        handlers.handle_nudge_snooze_action)
    entries.action(ActionId.NUDGE_DISMISS, rule=rule(*own_items, case=Carrier.VALUE_NUDGE))(
        handlers.handle_nudge_dismiss_action)
    entries.view(CallbackId.NUDGE_DISMISS, rule=rule(*own_items, case=Carrier.MODAL_NUDGE,
                                                     needs_case=False))(
        handlers.handle_nudge_dismiss_submission)
    entries.action(ActionId.CONTACT_EMAIL, rule=rule(Who.STAFF, case=Carrier.VALUE_NUDGE))(
        handlers.handle_contact_email_action)
    entries.view(CallbackId.CONTACT_EMAIL, rule=rule(Who.STAFF, case=Carrier.MODAL_EMAIL))(
        handlers.handle_contact_email_submission)
