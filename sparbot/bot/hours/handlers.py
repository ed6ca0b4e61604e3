"""Hours and placements, and the course's length: weekly hours (internship and paid),
a placement started or ended, the course extended or closed; typed or in a form."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.changing import change_case, submit_change
from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, form_date, open_form, required
from sparbot.bot.hours.blocks import build_hours_modal, build_placement_modal
from sparbot.bot.hours.commands import (
    Close,
    EndPlacement,
    Extend,
    HoursForm,
    PlacementForm,
    RecordHours,
    SetFollowUpCadence,
    StartPlacement,
)
from sparbot.bot.ids import ActionId, BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpCadence, PlacementKind
from sparbot.parsing import format_hours, parse_hours
from sparbot.services import roster


def apply_hours(session: Session, command: RecordHours, actor: str, today: date,
                renderer: Renderer) -> str:
    entry = roster.record_hours(session=session, ref=command.ref,
                                internship=command.internship, paid=command.paid,
                                effective_from=command.day, actor=actor, today=today)
    case = roster.get_case(session=session, ref=command.ref)
    return renderer.text("replies", "hours_recorded", ref=case.ref,
                         internship=str(command.internship),
                         paid=format_hours(entry.paid_hours) if entry.paid_hours else None,
                         total=format_hours(entry.total), effective_from=entry.effective_from)


def apply_placement_start(session: Session, command: StartPlacement, actor: str, today: date,
                          renderer: Renderer) -> str:
    placement, ended = roster.start_placement(
        session=session, ref=command.ref, actor=actor, today=today,
        data=roster.PlacementCreate(
            kind=command.kind, workplace=command.workplace, start_date=command.day,
            end_date=command.end_day, contact_name=command.contact_name,
            contact_email=command.contact_email, contact_phone=command.contact_phone,
            next_paid_hours_raise=command.next_raise,
            contact_slack_user_id=command.contact_slack_id,
            follow_up_cadence=command.follow_up_cadence))
    case = roster.get_case(session=session, ref=command.ref)
    return renderer.text("replies", "placement_started", ref=case.ref, kind=placement.kind,
                         workplace=placement.workplace, start=placement.start_date, ended=ended,
                         cadence=placement.follow_up_cadence)


def apply_follow_up_cadence(session: Session, command: SetFollowUpCadence, actor: str,
                            today: date, renderer: Renderer) -> str:
    placement = roster.set_follow_up_cadence(session=session, ref=command.ref,
                                             cadence=command.follow_up_cadence, today=today)
    case = roster.get_case(session=session, ref=command.ref)
    return renderer.text("replies", "cadence_set", ref=case.ref, workplace=placement.workplace,
                         cadence=placement.follow_up_cadence)


def apply_placement_end(session: Session, command: EndPlacement, actor: str, today: date,
                        renderer: Renderer) -> str:
    placement = roster.end_placement(session=session, ref=command.ref,
                                     end_date=command.end_day, actor=actor)
    case = roster.get_case(session=session, ref=command.ref)
    return renderer.text("replies", "placement_ended", ref=case.ref,
                         workplace=placement.workplace, end=placement.end_date)


def apply_extension(session: Session, command: Extend, actor: str, today: date,
                    renderer: Renderer) -> str:
    snapshot = roster.extend_course(session=session, ref=command.ref, weeks=command.weeks,
                                    decided_on=command.day, reason=command.reason, actor=actor)
    return renderer.text("replies", "extended", ref=snapshot.case.ref, weeks=command.weeks,
                         end=snapshot.end_date, total=snapshot.total_weeks)


def apply_closing(session: Session, command: Close, actor: str, today: date,
                  renderer: Renderer) -> str:
    case = roster.close_case(session=session, ref=command.ref, outcome=command.outcome,
                             closed_on=command.day, actor=actor)
    return renderer.text("replies", "closed", ref=case.ref, outcome=command.outcome,
                         closed_on=case.closed_on)


def record_hours(deps: Deps, command: RecordHours, call: Invocation) -> None:
    change_case(deps, command, call, apply_hours)


def start_placement(deps: Deps, command: StartPlacement, call: Invocation) -> None:
    change_case(deps, command, call, apply_placement_start)


def set_follow_up_cadence(deps: Deps, command: SetFollowUpCadence, call: Invocation) -> None:
    change_case(deps, command, call, apply_follow_up_cadence)


def end_placement(deps: Deps, command: EndPlacement, call: Invocation) -> None:
    change_case(deps, command, call, apply_placement_end)


def extend_course(deps: Deps, command: Extend, call: Invocation) -> None:
    change_case(deps, command, call, apply_extension)


def close_course(deps: Deps, command: Close, call: Invocation) -> None:
    change_case(deps, command, call, apply_closing)


def open_hours_form(deps: Deps, command: HoursForm, call: Invocation) -> None:
    today = deps.clock.today()
    open_form(deps, call, command.ref,
              lambda metadata: build_hours_modal(deps.renderer, metadata, today=today))


def open_placement_form(deps: Deps, command: PlacementForm, call: Invocation) -> None:
    today = deps.clock.today()
    open_form(deps, call, command.ref,
              lambda metadata: build_placement_modal(deps.renderer, metadata, today=today))


def handle_form_action(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    """The case card's "Registrér timer" and "Ny praktik"."""
    ref = action.get("value") or ""
    if action["action_id"] == ActionId.HOURS_ADD.value:
        open_hours_form(deps, HoursForm(ref=ref), call)
    else:
        open_placement_form(deps, PlacementForm(ref=ref), call)


def hours_from_form(ref: str, values: Values, today: date) -> RecordHours:
    paid_text = values.get(BlockId.PAID.value)
    return RecordHours(ref=ref, internship=parse_hours(required(values, BlockId.HOURS)),
                       paid=parse_hours(paid_text) if paid_text else None,
                       day=form_date(values, BlockId.FROM) or today)


def placement_from_form(ref: str, values: Values, today: date) -> StartPlacement:
    return StartPlacement(
        ref=ref, kind=PlacementKind(required(values, BlockId.KIND)),
        workplace=required(values, BlockId.WORKPLACE),
        day=form_date(values, BlockId.START) or today, end_day=form_date(values, BlockId.END),
        contact_name=values.get(BlockId.CONTACT_NAME.value),
        contact_email=values.get(BlockId.CONTACT_EMAIL.value),
        contact_phone=values.get(BlockId.CONTACT_PHONE.value),
        contact_slack_id=values.get(BlockId.CONTACT_USER.value),
        next_raise=form_date(values, BlockId.NEXT_RAISE),
        follow_up_cadence=FollowUpCadence(values.get(BlockId.FOLLOW_UP_CADENCE.value)
                                          or FollowUpCadence.MONTHLY.value))


def handle_hours_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                            view: dict[str, Any], client: WebClient) -> None:
    submit_change(deps, ack, body, view, client, from_form=hours_from_form, apply=apply_hours)


def handle_placement_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                view: dict[str, Any], client: WebClient) -> None:
    # The service names a wrong start date "from"; this form's field is "start".
    submit_change(deps, ack, body, view, client, from_form=placement_from_form,
                  apply=apply_placement_start, aliases={"from": BlockId.START.value})
