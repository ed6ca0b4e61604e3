"""Follow-ups: staff on a case they may see; the form also for the supervisor of the
case's workplace (it opens from their morning digest)."""

from __future__ import annotations

from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.followups import commands, handlers
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

STAFF_ON_CASE = rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("opfølgning", "opfolgning", "followup", "follow-up",
                       parse=commands.parse_follow_up)
    entries.command(Verb.FOLLOW_UP_FORM, example="opfølgning ZA",
                    rule=STAFF_ON_CASE)(handlers.open_follow_up_form)
    entries.command(Verb.FOLLOW_UP, example="opfølgning ZA mentor",
                    rule=STAFF_ON_CASE)(handlers.log_follow_up)
    entries.action(ActionId.FOLLOWUP_ADD, rule=rule(Who.STAFF, case=Carrier.VALUE_REF))(
        handlers.handle_follow_up_add_action)
    entries.view(CallbackId.FOLLOWUP, rule=rule(Who.STAFF, Who.WORKPLACE_SUPERVISOR,
                                                case=Carrier.MODAL_REF))(
        handlers.handle_follow_up_submission)
