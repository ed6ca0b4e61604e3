"""The agenda and the meeting: staff; the jobcenter consultants say whether they attend."""

from __future__ import annotations

from sparbot.bot.agenda import commands, handlers
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb


def register(entries: Registry) -> None:
    entries.subcommand("dagsorden", "agenda", parse=commands.parse_agenda)
    entries.subcommand("deltagere", parse=commands.parse_jobcenter_attendance)  # and "attendance"
    entries.command(Verb.AGENDA_SHOW, example="dagsorden",
                    rule=rule(Who.STAFF))(handlers.show_agenda)
    entries.command(Verb.AGENDA_ADD, example="dagsorden tilføj ZA Praktikken stopper",
                    rule=rule(Who.STAFF, case=Carrier.COMMAND_REF,
                                               needs_case=True))(handlers.add_to_agenda)
    entries.command(Verb.AGENDA_POST, example="dagsorden post",
                    rule=rule(Who.STAFF))(handlers.post_now)
    entries.command(Verb.JOBCENTER_ATTENDANCE, example="deltagere jobcenter ja",
                    rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(
        handlers.set_jobcenter_attendance)
    entries.action(ActionId.AGENDA_ADD, rule=rule(Who.STAFF, case=Carrier.VALUE_REF))(
        handlers.open_agenda_request_form)
    entries.view(CallbackId.AGENDA_REQUEST, rule=rule(Who.STAFF, case=Carrier.MODAL_REF))(
        handlers.handle_agenda_request_submission)
    entries.action(ActionId.JOBCENTER_PRESENT, ActionId.JOBCENTER_ABSENT,
                   rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(
        handlers.handle_jobcenter_presence_action)
    entries.action(ActionId.AGENDA_ITEM_DISCUSSED, rule=rule(
        Who.STAFF, case=Carrier.VALUE_AGENDA_ITEM))(handlers.handle_agenda_item_discussed_action)
