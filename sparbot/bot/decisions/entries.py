"""Decisions: staff, and the case's own jobcenter consultant, who decides with them."""

from __future__ import annotations

from sparbot.bot.decisions import commands, handlers
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF)
CASE_SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF,
                              needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("beslut", "decide", "beslutning", "decision", parse=commands.parse_decide)
    entries.subcommand("beslutninger", "decisions", parse=commands.parse_decisions)
    entries.command(Verb.DECIDE, example="beslut ZA Ny praktik afprøves frist:1/12",
                    rule=CASE_SEEN_BY_JOBCENTER)(handlers.decide)
    entries.command(Verb.DECISION_FORM, example="beslut",
                    rule=SEEN_BY_JOBCENTER)(handlers.open_decision_form)
    entries.command(Verb.DECISIONS, example="beslutninger",
                    rule=SEEN_BY_JOBCENTER)(handlers.list_decisions)
    on_decision = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.VALUE_DECISION)
    entries.view(CallbackId.DECISION, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                case=Carrier.MODAL_REF))(
        handlers.handle_decision_submission)
    entries.view(CallbackId.DECISION_EDIT, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                     case=Carrier.MODAL_DECISION))(
        handlers.handle_decision_edit_submission)
    entries.shortcut(CallbackId.DECISION_SHORTCUT, rule=rule(
        Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.THREAD))(handlers.handle_decision_shortcut)
    entries.action(ActionId.DECISION_ADD, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                    case=Carrier.VALUE_REF))(
        handlers.handle_decision_add_action)
    entries.action(ActionId.DECISION_STATUS_QUO, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                           case=Carrier.VALUE_AGENDA_ITEM))(
        handlers.handle_status_quo_action)
    entries.action(ActionId.DECISION_ACTION_DONE, rule=rule(
        Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.VALUE_DECISION_ACTION))(
        handlers.handle_decision_action_done_action)
    entries.action(ActionId.DECISION_EDIT, rule=on_decision)(handlers.handle_decision_edit_action)
    entries.action(ActionId.DECISION_CANCEL, rule=on_decision)(
        handlers.handle_decision_cancel_action)
