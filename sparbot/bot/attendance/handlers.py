"""A citizen's attendance in a week: typed in one line, or in the form (from the case card
or the morning digest), prefilled so that a full week takes two clicks."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.attendance.blocks import build_attendance_modal
from sparbot.bot.attendance.commands import AttendanceForm, LogAttendance
from sparbot.bot.changing import change_case, submit_change
from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, required
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.metadata import ModalContext
from sparbot.bot.render import Renderer
from sparbot.parsing import whole_number
from sparbot.services import roster
from sparbot.services.attendance import (
    WEEK,
    AttendanceInput,
    form_guess,
    record_attendance,
    share_of,
    week_of,
)


def apply_attendance(session: Session, command: LogAttendance, actor: str, today: date,
                     renderer: Renderer) -> str:
    week, replaced = record_attendance(session=session, ref=command.ref, data=command.data,
                                       actor=actor, today=today)
    case = roster.get_case(session=session, ref=command.ref)
    return renderer.text("replies", "attendance_logged", ref=case.ref, w=week,
                         percent=_percent(week), replaced=replaced)


def _percent(week: Any) -> int | None:
    share = share_of([week])
    return None if share is None else round(share * 100)


def log_attendance(deps: Deps, command: LogAttendance, call: Invocation) -> None:
    change_case(deps, command, call, apply_attendance)


def open_attendance_form(deps: Deps, command: AttendanceForm, call: Invocation) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_active_case(session=session, ref=command.ref)
        guess = form_guess(session=session, case=case, today=today)
        metadata = ModalContext(ref=case.ref, case=roster.case_token(case),
                                channel_id=call.channel_id)
    call.client.views_open(trigger_id=call.trigger_id, view=build_attendance_modal(
        deps.renderer, metadata, this_week=week_of(today), week=guess.week,
        planned=guess.planned))


def handle_attendance_add_action(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    """The case card's and the morning digest's "Fremmøde"."""
    open_attendance_form(deps, AttendanceForm(ref=action.get("value") or ""), call)


def attendance_from_form(ref: str, values: Values, today: date) -> LogAttendance:
    def days(block: BlockId) -> int:
        return whole_number(values.get(block.value) or "0", error="bad_days", field=block.value)

    week = date.fromisoformat(required(values, BlockId.WEEK))
    if week_of(week) != week or week > week_of(today) or week < week_of(today) - WEEK * 52:
        week = week_of(today)  # a week the form never offered: never trusted as typed
    return LogAttendance(ref=ref, data=AttendanceInput(
        week_start=week, planned=days(BlockId.PLANNED_DAYS),
        attended=days(BlockId.ATTENDED_DAYS), sick=days(BlockId.SICK_DAYS),
        no_show=days(BlockId.NO_SHOW_DAYS), left_early=days(BlockId.LEFT_EARLY_DAYS),
        note=values.get(BlockId.NOTE.value)))


def handle_attendance_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                 view: dict[str, Any], client: WebClient) -> None:
    submit_change(deps, ack, body, view, client, from_form=attendance_from_form,
                  apply=apply_attendance)
