"""Attendance: staff on a case they may see, typed or in the form (from the case card or
the morning digest)."""

from __future__ import annotations

from sparbot.bot.attendance import commands, handlers
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

STAFF_ON_CASE = rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("fremmøde", "fremmode", "fremmoede", parse=commands.parse_attendance)
    entries.subcommand("attendance", parse=commands.parse_attendance_word)
    entries.command(Verb.ATTENDANCE_FORM, example="fremmøde ZA",
                    rule=STAFF_ON_CASE)(handlers.open_attendance_form)
    entries.command(Verb.ATTENDANCE_LOG, example="fremmøde ZA mødt:3 af:4",
                    rule=STAFF_ON_CASE)(handlers.log_attendance)
    entries.action(ActionId.ATTENDANCE_ADD, rule=rule(Who.STAFF, case=Carrier.VALUE_REF))(
        handlers.handle_attendance_add_action)
    entries.view(CallbackId.ATTENDANCE, rule=rule(Who.STAFF, case=Carrier.MODAL_REF))(
        handlers.handle_attendance_submission)
