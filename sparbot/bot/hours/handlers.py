"""Hours and placements, and the course's length: weekly hours (internship and paid),
a placement started or ended, the course extended or closed; typed or in a form."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.changing import change_case, submit_change
from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, form_date, open_form, required
from sparbot.bot.grammar import ParsedCommand
from sparbot.bot.hours.blocks import build_hours_modal, build_placement_modal
from sparbot.bot.invocation import Invocation
from sparbot.bot.render import Renderer
from sparbot.bot.verbs import Verb
from sparbot.enums import ActionId, BlockId, PlacementKind
from sparbot.parsing import format_hours, parse_hours
from sparbot.services import roster
from sparbot.services.access import Actor


def apply_course_change(session: Session, parsed: ParsedCommand, actor: str, today: date,
                        renderer: Renderer) -> str:
    """Record hours, a placement's start or end, an extension or a closing; say what."""
    assert parsed.ref is not None
    ref = parsed.ref
    if parsed.verb is Verb.HOURS:
        assert parsed.internship is not None and parsed.day is not None
        entry = roster.record_hours(session=session, ref=ref, internship=parsed.internship,
                                    paid=parsed.paid, effective_from=parsed.day, actor=actor,
                                    today=today)
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "hours_recorded", ref=case.ref,
                             internship=str(parsed.internship),
                             paid=format_hours(entry.paid_hours) if entry.paid_hours else None,
                             total=format_hours(entry.total),
                             effective_from=entry.effective_from)
    if parsed.verb is Verb.PLACEMENT_START:
        assert parsed.kind is not None and parsed.day is not None
        placement, ended = roster.start_placement(
            session=session, ref=ref, actor=actor, today=today,
            data=roster.PlacementCreate(
                kind=parsed.kind, workplace=parsed.workplace or "", start_date=parsed.day,
                end_date=parsed.end_day, contact_name=parsed.contact_name,
                contact_email=parsed.contact_email, contact_phone=parsed.contact_phone,
                next_paid_hours_raise=parsed.next_day,
                contact_slack_user_id=parsed.contact_slack_id))
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "placement_started", ref=case.ref,
                             kind=placement.kind, workplace=placement.workplace,
                             start=placement.start_date, ended=ended)
    if parsed.verb is Verb.PLACEMENT_END:
        assert parsed.end_day is not None
        placement = roster.end_placement(session=session, ref=ref, end_date=parsed.end_day,
                                         actor=actor)
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "placement_ended", ref=case.ref,
                             workplace=placement.workplace, end=placement.end_date)
    if parsed.verb is Verb.EXTEND:
        assert parsed.weeks is not None and parsed.day is not None
        snapshot = roster.extend_course(session=session, ref=ref, weeks=parsed.weeks,
                                        decided_on=parsed.day, reason=parsed.text, actor=actor)
        return renderer.text("replies", "extended", ref=snapshot.case.ref, weeks=parsed.weeks,
                             end=snapshot.end_date, total=snapshot.total_weeks)
    if parsed.verb is Verb.CLOSE:
        assert parsed.outcome is not None and parsed.day is not None
        case = roster.close_case(session=session, ref=ref, outcome=parsed.outcome,
                                 closed_on=parsed.day, actor=actor)
        return renderer.text("replies", "closed", ref=case.ref, outcome=parsed.outcome,
                             closed_on=case.closed_on)
    raise ValueError(f"not a course change: {parsed.verb}")


def change_course(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    change_case(deps, parsed, call, apply_course_change)


def open_hours_form(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    today = deps.clock.today()
    open_form(deps, call, parsed.ref,
              lambda metadata: build_hours_modal(deps.renderer, metadata, today=today))


def open_placement_form(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    today = deps.clock.today()
    open_form(deps, call, parsed.ref,
              lambda metadata: build_placement_modal(deps.renderer, metadata, today=today))


def handle_form_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                       respond: Respond, client: WebClient, actor: Actor) -> None:
    """The case card's "Registrér timer" and "Ny praktik"."""
    call = Invocation(user_id=body["user"]["id"], channel_id=(body.get("channel") or {}).get(
        "id"), trigger_id=body.get("trigger_id", ""), respond=respond, client=client,
        actor=actor)
    opener = open_hours_form if action["action_id"] == ActionId.HOURS_ADD.value \
        else open_placement_form
    opener(deps, ParsedCommand(Verb.HOURS_FORM, ref=action.get("value")), call)


def hours_from_form(ref: str, values: Values, today: date) -> ParsedCommand:
    hours = parse_hours(required(values, BlockId.HOURS))
    paid_text = values.get(BlockId.PAID.value)
    return ParsedCommand(Verb.HOURS, ref=ref, internship=hours,
                         paid=parse_hours(paid_text) if paid_text else None,
                         day=form_date(values, BlockId.FROM) or today)


def placement_from_form(ref: str, values: Values, today: date) -> ParsedCommand:
    return ParsedCommand(
        Verb.PLACEMENT_START, ref=ref, kind=PlacementKind(required(values, BlockId.KIND)),
        workplace=required(values, BlockId.WORKPLACE),
        day=form_date(values, BlockId.START) or today, end_day=form_date(values, BlockId.END),
        contact_name=values.get(BlockId.CONTACT_NAME.value),
        contact_email=values.get(BlockId.CONTACT_EMAIL.value),
        contact_phone=values.get(BlockId.CONTACT_PHONE.value),
        contact_slack_id=values.get(BlockId.CONTACT_USER.value),
        next_day=form_date(values, BlockId.NEXT_RAISE))


def handle_hours_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                            view: dict[str, Any], client: WebClient) -> None:
    submit_change(deps, ack, body, view, client, from_form=hours_from_form,
                  apply=apply_course_change)


def handle_placement_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                view: dict[str, Any], client: WebClient) -> None:
    # The service names a wrong start date "from"; this form's field is "start".
    submit_change(deps, ack, body, view, client, from_form=placement_from_form,
                  apply=apply_course_change, aliases={"from": BlockId.START.value})


