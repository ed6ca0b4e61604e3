"""The placement agreement: staff on a case they may see."""

from __future__ import annotations

from sparbot.bot.agreements import commands, handlers
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb


def register(entries: Registry) -> None:
    entries.subcommand("aftale", "praktikaftale", "agreement", parse=commands.parse_agreement)
    entries.command(Verb.AGREEMENT_FORM, example="aftale ZA",
                    rule=rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True))(
        handlers.open_agreement_form)
    entries.action(ActionId.AGREEMENT_EDIT, rule=rule(Who.STAFF, case=Carrier.VALUE_REF))(
        handlers.handle_agreement_action)
    entries.view(CallbackId.AGREEMENT, rule=rule(Who.STAFF, case=Carrier.MODAL_REF))(
        handlers.handle_agreement_submission)
