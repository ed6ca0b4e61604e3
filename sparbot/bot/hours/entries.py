"""Hours and placements, and the course's length: staff only, on a case they may see."""

from __future__ import annotations

from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.hours import commands, handlers
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

STAFF_ON_CASE = rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("praktik", "placement", parse=commands.parse_placement)
    entries.subcommand("timer", "hours", parse=commands.parse_hours_command)
    entries.subcommand("forlæng", "forlaeng", "extend", parse=commands.parse_extend)
    entries.subcommand("afslut", "close", parse=commands.parse_close)
    entries.command(Verb.HOURS_FORM, example="timer ZA",
                    rule=STAFF_ON_CASE)(handlers.open_hours_form)
    entries.command(Verb.PLACEMENT_FORM, example="praktik ZA",
                    rule=STAFF_ON_CASE)(handlers.open_placement_form)
    entries.command(Verb.HOURS, example="timer ZA 3x3", rule=STAFF_ON_CASE)(
        handlers.record_hours)
    entries.command(Verb.PLACEMENT_START, example="praktik ZA butik Genbrugsbutikken",
                    rule=STAFF_ON_CASE)(handlers.start_placement)
    entries.command(Verb.PLACEMENT_CADENCE, example="praktik ZA opfølgning:ugentlig",
                    rule=STAFF_ON_CASE)(handlers.set_follow_up_cadence)
    entries.command(Verb.PLACEMENT_END, example="praktik ZA slut", rule=STAFF_ON_CASE)(
        handlers.end_placement)
    entries.command(Verb.EXTEND, example="forlæng ZA 13", rule=STAFF_ON_CASE)(
        handlers.extend_course)
    entries.command(Verb.CLOSE, example="afslut ZA fleksjob", rule=STAFF_ON_CASE)(
        handlers.close_course)
    entries.action(ActionId.HOURS_ADD, ActionId.PLACEMENT_ADD,
                   rule=rule(Who.STAFF, case=Carrier.VALUE_REF))(handlers.handle_form_action)
    on_case = rule(Who.STAFF, case=Carrier.MODAL_REF)
    entries.view(CallbackId.HOURS, rule=on_case)(handlers.handle_hours_submission)
    entries.view(CallbackId.PLACEMENT, rule=on_case)(handlers.handle_placement_submission)
