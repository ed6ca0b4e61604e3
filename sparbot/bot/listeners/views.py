"""Modal submissions. Validation errors are shown in the modal, against their field."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sparbot.bot.agenda_posting import coming_meeting
from sparbot.bot.blocks import build_text_message
from sparbot.bot.commands import ParsedCommand
from sparbot.bot.deps import Deps
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.listeners.changes import apply_change
from sparbot.bot.listeners.replies import modal_errors, send_dm
from sparbot.bot.metadata import ModalContext
from sparbot.bot.verbs import Verb
from sparbot.enums import (
    BlockId,
    Cadence,
    CallbackId,
    FollowUpKind,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)
from sparbot.errors import UserError
from sparbot.models import Case
from sparbot.parsing import clean_text, parse_hours
from sparbot.services import roster, sparring, teams
from sparbot.services.audit import AuditAction, audit
from sparbot.services.people import PersonRef

log = logging.getLogger(__name__)
Values = dict[str, str | None]


def read_state(view: dict[str, Any]) -> Values:
    """Each input block's value, whatever its element: text, date, user or select."""
    values: Values = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for element in actions.values():
            kind = element.get("type")
            if kind == "datepicker":
                value = element.get("selected_date")
            elif kind == "users_select":
                value = element.get("selected_user")
            elif kind == "static_select":
                value = (element.get("selected_option") or {}).get("value")
            elif kind == "multi_users_select":
                value = ",".join(element.get("selected_users") or [])
            elif kind == "checkboxes":
                value = ",".join(option["value"] for option in
                                 element.get("selected_options") or [])
            else:
                value = element.get("value")
            text = clean_text(value).strip() if isinstance(value, str) else ""
            values[block_id] = text or None
    return values


def _required(values: Values, block: BlockId) -> str:
    value = values.get(block.value)
    if value is None:
        raise UserError("missing_field", field=block.value)
    return value


def _date(values: Values, block: BlockId) -> date | None:
    value = values.get(block.value)
    return date.fromisoformat(value) if value else None


def case_create_from_form(values: Values) -> roster.CaseCreate:
    weeks_text = _required(values, BlockId.WEEKS)
    if not weeks_text.isdigit():
        raise UserError("bad_weeks", field=BlockId.WEEKS.value, text=weeks_text)
    jobcenter: PersonRef | None = None
    if values.get(BlockId.JOBCENTER_USER.value):
        jobcenter = PersonRef(slack_user_id=values[BlockId.JOBCENTER_USER.value])
    elif values.get(BlockId.JOBCENTER_NAME.value) or values.get(BlockId.JOBCENTER_EMAIL.value):
        jobcenter = PersonRef(name=values.get(BlockId.JOBCENTER_NAME.value),
                              email=values.get(BlockId.JOBCENTER_EMAIL.value))
    consultant = values.get(BlockId.CONSULTANT.value)
    start = _date(values, BlockId.START)
    if start is None:
        raise UserError("missing_field", field=BlockId.START.value)
    return roster.CaseCreate(
        ref=_required(values, BlockId.REF),
        programme=_required(values, BlockId.PROGRAMME),
        purpose=Purpose(_required(values, BlockId.PURPOSE)),
        start_date=start,
        booked_weeks=int(weeks_text),
        mentor=PersonRef(slack_user_id=_required(values, BlockId.MENTOR)),
        company_consultant=PersonRef(slack_user_id=consultant) if consultant else None,
        jobcenter_consultant=jobcenter,
        cadence=Cadence(values.get(BlockId.CADENCE.value) or Cadence.WEEKLY.value),
    )


def change_from_form(callback: CallbackId, ref: str, values: Values,
                     today: date) -> ParsedCommand:
    if callback is CallbackId.HOURS:
        hours = parse_hours(_required(values, BlockId.HOURS))
        paid_text = values.get(BlockId.PAID.value)
        return ParsedCommand(Verb.HOURS, ref=ref, internship=hours,
                             paid=parse_hours(paid_text) if paid_text else None,
                             day=_date(values, BlockId.FROM) or today)
    if callback is CallbackId.FOLLOWUP:
        return ParsedCommand(
            Verb.FOLLOW_UP, ref=ref,
            follow_up_kind=FollowUpKind(_required(values, BlockId.KIND)),
            day=_date(values, BlockId.HELD_ON) or today,
            paid_answer=PaidHoursAnswer(values.get(BlockId.PAID_RAISED.value)
                                        or PaidHoursAnswer.NOT_RAISED.value),
            next_day=_date(values, BlockId.NEXT_RAISE), text=values.get(BlockId.NOTE.value))
    return ParsedCommand(
        Verb.PLACEMENT_START, ref=ref, kind=PlacementKind(_required(values, BlockId.KIND)),
        workplace=_required(values, BlockId.WORKPLACE),
        day=_date(values, BlockId.START) or today, end_day=_date(values, BlockId.END),
        contact_name=values.get(BlockId.CONTACT_NAME.value),
        contact_email=values.get(BlockId.CONTACT_EMAIL.value),
        contact_phone=values.get(BlockId.CONTACT_PHONE.value),
        contact_slack_id=values.get(BlockId.CONTACT_USER.value),
        next_day=_date(values, BlockId.NEXT_RAISE))


# UserError.field names that differ from a modal's block ids.
_FIELD_TO_BLOCK = {CallbackId.PLACEMENT: {"from": BlockId.START.value}}


def _errors(deps: Deps, error: UserError, view: dict[str, Any],
            callback: CallbackId) -> dict[str, str]:
    return modal_errors(deps.renderer, error, view, _FIELD_TO_BLOCK.get(callback))


def handle_case_add_submission(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                               client: WebClient) -> None:
    user_id = body["user"]["id"]
    metadata = ModalContext.model_validate_json(view.get("private_metadata") or "{}")
    try:
        data = case_create_from_form(read_state(view))
        with deps.session() as session:
            # The team of the channel it was added from, else of the adder's cases.
            team = teams.team_for(session=session, channel_id=metadata.channel_id,
                                  user_id=user_id, own_channel=deps.settings.channel)
            case = roster.add_case(session=session, data=data, actor=user_id)
            case.team_id = team.scope.team_id
            end = roster.snapshot(session=session, case=case).end_date
            audit(session=session, actor=user_id, action=AuditAction.CHANGE,
                  what="case.add", refs=[case.ref])
    except UserError as error:
        ack(response_action="errors", errors=_errors(deps, error, view,
                                                     CallbackId.CASE_ADD))
        return
    ack()
    text = deps.renderer.text("replies", "case_added", ref=case.ref, end=end,
                              user_id=user_id)
    _confirm(client, user_id, text)


def handle_case_change_submission(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                                  client: WebClient) -> None:
    user_id = body["user"]["id"]
    callback = CallbackId(view["callback_id"])
    metadata = ModalContext.model_validate_json(view.get("private_metadata") or "{}")
    today = deps.clock.today()
    try:
        parsed = change_from_form(callback, metadata.ref or "", read_state(view), today)
        with deps.session() as session:
            text = apply_change(session=session, parsed=parsed, actor=user_id, today=today,
                                renderer=deps.renderer)
    except UserError as error:
        ack(response_action="errors", errors=_errors(deps, error, view, callback))
        return
    ack()
    _confirm(client, user_id, text)


def handle_agenda_request_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                     view: dict[str, Any], client: WebClient) -> None:
    user_id = body["user"]["id"]
    metadata = ModalContext.model_validate_json(view.get("private_metadata") or "{}")
    try:
        reason = _required(read_state(view), BlockId.REASON)
        with deps.session() as session:
            request = sparring.add_agenda_request(
                session=session, ref=metadata.ref or "", reason=reason, actor=user_id,
                today=deps.clock.today())
            ref = session.get_one(Case, request.case_id).ref
            team = teams.team_of_case(session=session, case_id=request.case_id,
                                      own_channel=deps.settings.channel)
    except UserError as error:
        ack(response_action="errors", errors=_errors(deps, error, view,
                                                     CallbackId.AGENDA_REQUEST))
        return
    ack()
    _confirm(client, user_id, deps.renderer.text(
        "agenda", "request_added", ref=ref, meeting=coming_meeting(deps, team).held_on))


def register(entries: Registry) -> None:
    entries.view(CallbackId.CASE_ADD, rule=rule(Who.STAFF))(handle_case_add_submission)
    on_case = rule(Who.STAFF, case=Carrier.MODAL_REF)
    entries.view(CallbackId.AGENDA_REQUEST, rule=on_case)(handle_agenda_request_submission)
    entries.view(CallbackId.HOURS, CallbackId.PLACEMENT, rule=on_case)(
        handle_case_change_submission)
    # The digest's "Registrér opfølgning" opens this form for a supervisor in Slack too.
    entries.view(CallbackId.FOLLOWUP, rule=rule(Who.STAFF, Who.WORKPLACE_SUPERVISOR,
                                                case=Carrier.MODAL_REF))(
        handle_case_change_submission)


def _confirm(client: WebClient, user_id: str, text: str) -> None:
    """The change is saved; the confirmation is a courtesy, so a failed DM is only logged."""
    try:
        send_dm(client, user_id, build_text_message(text))
    except SlackApiError as error:
        log.warning("could not confirm a change by DM: %s", error.response.get("error"))
