"""Decisions in Slack: recorded by command, form, agenda button or message shortcut;
posted as a structured message in the case's agenda thread; ticked off, edited and
cancelled in place."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from sparbot.bot.decisions import blocks as build
from sparbot.bot.decisions import posting
from sparbot.bot.decisions.commands import Decide, DecisionForm, ListDecisions
from sparbot.bot.delivery import Delivery, deliver, send_now
from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, open_form, read_state
from sparbot.bot.home.handlers import publish_home
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.kit import build_text_message
from sparbot.bot.metadata import ModalContext
from sparbot.bot.replies import modal_errors, reply, reply_text, send_dm
from sparbot.enums import DecisionCategory, OutboxStatus, Outcome, ReasonCode
from sparbot.errors import UserError
from sparbot.parsing import whole_number
from sparbot.services import decisions, roster, sparring
from sparbot.services.audit import AuditAction, audit
from sparbot.services.decisions import DecisionCreate, DecisionView
from sparbot.services.people import PersonRef, find_person_by_slack_id
from sparbot.services.settled import SETTLEABLE

log = logging.getLogger(__name__)


def decide(deps: Deps, command: Decide, call: Invocation) -> None:
    data = DecisionCreate(
        ref=command.ref, text=command.text,
        category=command.category or DecisionCategory.OTHER,
        owners=[PersonRef(slack_user_id=owner) for owner in command.owners],
        jobcenter_owner=command.jobcenter_owner, due=command.due, present=command.present,
        jobcenter_agreed=command.agreed, extension_weeks=command.weeks,
        outcome=command.outcome, settles=command.settles,
        settled_until=command.settled_until)
    with deps.session() as session:  # the decision and its post, in one transaction
        view = decisions.record_decision(session=session, data=data, actor=call.user_id,
                                         today=deps.clock.today())
        queued = posting.queue_post(deps, session, view, thread=None)
    delivery = deliver(deps, call.client, queued.id, tell=False)
    reply_text(call.respond, posting.said_of_post(deps, view.case.ref, delivery))


def open_decision_form(deps: Deps, command: DecisionForm, call: Invocation) -> None:
    open_form(deps, call, command.ref, lambda metadata: build.build_decision_modal(
        deps.renderer, metadata, today=deps.clock.today()))


def list_decisions(deps: Deps, command: ListDecisions, call: Invocation) -> None:
    with deps.session() as session:
        owner_id = None
        what = None
        if command.mine:
            person = find_person_by_slack_id(session=session, slack_user_id=call.user_id)
            owner_id = person.id if person and person.id else -1
            what = deps.renderer.plain("decisions", "mine")
        elif command.open_only:
            what = deps.renderer.plain("decisions", "open")
        elif command.ref is not None:
            what = roster.get_case(session=session, ref=command.ref, within=call.cases()).ref
        views = decisions.list_decisions(session=session, ref=command.ref, owner_id=owner_id,
                                          open_only=command.open_only,
                                          within=call.cases())
        audit(session=session, actor=call.user_id, action=AuditAction.SEARCH,
              what="decisions.list", refs=[view.case.ref for view in views])
    reply(call.respond, build.build_decision_list(views, deps.renderer, what=what))


def post_decision(deps: Deps, client: WebClient, view: DecisionView,
                  thread: tuple[str, str] | None) -> Delivery:
    """Queue a recorded decision's post and send it now (for a decision recorded outside a
    request: the demo, the tests)."""
    with deps.session() as session:
        queued = posting.queue_post(deps, session, view, thread=thread)
    return deliver(deps, client, queued.id)


def decision_from_form(values: Values, metadata: ModalContext) -> DecisionCreate:
    ref = metadata.lookup or values.get(BlockId.REF.value)
    if not ref:
        raise UserError("missing_field", field=BlockId.REF.value)
    text = values.get(BlockId.DECISION_TEXT.value)
    if not text:
        raise UserError("missing_field", field=BlockId.DECISION_TEXT.value)
    weeks_text = values.get(BlockId.EXTENSION_WEEKS.value)
    weeks = whole_number(weeks_text, error="bad_extension_weeks",
                         field=BlockId.EXTENSION_WEEKS.value) if weeks_text else None
    owners = [owner for owner in (values.get(BlockId.OWNERS.value) or "").split(",") if owner]
    present = [user for user in (values.get(BlockId.PRESENT.value) or "").split(",") if user]
    due = values.get(BlockId.DUE.value)
    outcome = values.get(BlockId.OUTCOME.value)
    settles = values.get(BlockId.SETTLES.value)
    until = values.get(BlockId.SETTLED_UNTIL.value)
    return DecisionCreate(
        ref=ref, text=text,
        category=DecisionCategory(values.get(BlockId.CATEGORY.value) or "other"),
        owners=[PersonRef(slack_user_id=owner) for owner in owners], present=present,
        jobcenter_owner=values.get(BlockId.JOBCENTER_OWNER.value) == "yes",
        due=date.fromisoformat(due) if due else None,
        jobcenter_agreed=True if values.get(BlockId.JOBCENTER_AGREED.value) == "yes" else None,
        extension_weeks=weeks,
        outcome=Outcome(outcome) if outcome else None,
        settles=_settleable(settles),
        settled_until=date.fromisoformat(until) if until else None)


def _settleable(value: str | None) -> ReasonCode | None:
    """The form's choice: one of the reasons a decision may answer, nothing else."""
    if not value:
        return None
    found = next((code for code in SETTLEABLE if code.value == value), None)
    if found is None:
        raise UserError("settle_needs_reason", field=BlockId.SETTLES.value)
    return found


def handle_decision_submission(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                               client: WebClient) -> None:
    user_id = body["user"]["id"]
    metadata = ModalContext.model_validate_json(view.get("private_metadata") or "{}")
    thread = (metadata.channel_id, metadata.thread_ts) if metadata.thread_ts and \
        metadata.channel_id else None
    try:
        data = decision_from_form(read_state(view), metadata)
        with deps.session() as session:
            recorded = decisions.record_decision(session=session, data=data,
                                                 actor=user_id, today=deps.clock.today())
            queued = posting.queue_post(deps, session, recorded, thread=thread)
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view))
        return
    ack()
    delivery = deliver(deps, client, queued.id, tell=False)
    if delivery.status is not OutboxStatus.SENT:  # the form is gone: say it by DM
        send_dm(client, user_id, build_text_message(
            posting.said_of_post(deps, recorded.case.ref, delivery)))


def handle_decision_edit_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                    view: dict[str, Any], client: WebClient) -> None:
    metadata = ModalContext.model_validate_json(view.get("private_metadata") or "{}")
    values = read_state(view)
    owners = [owner for owner in (values.get(BlockId.OWNERS.value) or "").split(",")
              if owner]
    due = values.get(BlockId.DUE.value)
    try:
        with deps.session() as session:
            edited = decisions.edit_decision(
                session=session, decision_id=metadata.decision_id or 0,
                actor=body["user"]["id"], text=values.get(BlockId.DECISION_TEXT.value),
                category=DecisionCategory(values.get(BlockId.CATEGORY.value) or "other"),
                due=date.fromisoformat(due) if due else None,
                owners=[PersonRef(slack_user_id=owner) for owner in owners],
                today=deps.clock.today())
            queued = posting.queue_update(deps, session, edited)
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view))
        return
    ack()
    send_now(deps, client, queued)


_STATUS_QUO_CATEGORY = {ReasonCode.HOURS_FLAT: DecisionCategory.HOURS,
                        ReasonCode.PAID_HOURS: DecisionCategory.PAID_HOURS,
                        ReasonCode.INTERNSHIP_LENGTH: DecisionCategory.INTERNSHIP}


def handle_status_quo_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                             client: WebClient) -> None:
    """An agenda item's "Behold status quo…": the decision form, set to answer the item's
    reason until a date the team picks, in the item's thread."""
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id")
    with deps.session() as session:
        item, case = sparring.agenda_item_with_case(session=session,
                                                    item_id=int(action.get("value") or 0))
        settles = next((code for code in sparring.reason_codes(item) if code in SETTLEABLE),
                       None)
        metadata = ModalContext(ref=case.ref, case=roster.case_token(case), channel_id=channel,
                                thread_ts=message.get("thread_ts") or message.get("ts"))
    client.views_open(trigger_id=body["trigger_id"], view=build.build_decision_modal(
        deps.renderer, metadata, today=deps.clock.today(),
        category=_STATUS_QUO_CATEGORY.get(settles) if settles else None, settles=settles,
        text=deps.renderer.plain("decisions", "status_quo_text",
                                 settles=settles.value if settles else None)))


def handle_decision_add_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                               client: WebClient) -> None:
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id")
    in_dm = (channel or "").startswith("D")  # from a digest: post where the team sees it
    with deps.session() as session:
        case = roster.get_active_case(session=session, ref=action.get("value") or "")
    metadata = ModalContext(ref=case.ref, case=roster.case_token(case),
                            channel_id=None if in_dm else channel,
                            thread_ts=None if in_dm else
                            message.get("thread_ts") or message.get("ts"))
    client.views_open(trigger_id=body["trigger_id"], view=build.build_decision_modal(
        deps.renderer, metadata, today=deps.clock.today()))


def handle_decision_shortcut(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    message = body.get("message") or {}
    metadata = ModalContext(channel_id=(body.get("channel") or {}).get("id"),
                            thread_ts=message.get("thread_ts") or message.get("ts"))
    with deps.session() as session:  # a reply on an agenda item: its case is known
        found = sparring.case_for_thread(session=session, thread_ts=metadata.thread_ts)
        if found is not None:
            metadata = ModalContext(ref=found.ref, case=roster.case_token(found),
                                    channel_id=metadata.channel_id,
                                    thread_ts=metadata.thread_ts)
    client.views_open(trigger_id=body["trigger_id"], view=build.build_decision_modal(
        deps.renderer, metadata, today=deps.clock.today(), text=message.get("text")))


def handle_decision_action_done_action(deps: Deps, body: dict[str, Any],
                                       action: dict[str, Any], client: WebClient,
                                       offers: frozenset[str]) -> None:
    user_id = body["user"]["id"]
    update = reply = None
    with deps.session() as session:
        view, changed = decisions.complete_action(
            session=session, action_id=int(action["value"]), actor=user_id,
            today=deps.clock.today())
        owner = next((item.owner for item in view.actions
                      if str(item.action.id) == action["value"]), None)
        if changed:
            update = posting.queue_update(deps, session, view)
            reply = posting.queue_reply(session, view, deps.renderer.text(
                "decisions", "done_reply", user_id=user_id, owner=owner,
                text=view.decision.text))
    if (body.get("container") or {}).get("type") == "view":
        publish_home(deps, client, user_id, offers)  # ticked off from the App Home
    send_now(deps, client, update, reply)


def handle_decision_edit_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                                client: WebClient) -> None:
    with deps.session() as session:
        view = decisions.load_decision(session=session, decision_id=int(action["value"]))
    metadata = ModalContext(ref=view.case.ref, decision_id=view.decision.id)
    client.views_open(trigger_id=body["trigger_id"], view=build.build_decision_modal(
        deps.renderer, metadata, today=deps.clock.today(), editing=view))


def handle_decision_cancel_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                                  client: WebClient) -> None:
    with deps.session() as session:
        view = decisions.cancel_decision(session=session, decision_id=int(action["value"]),
                                         actor=body["user"]["id"])
        queued = posting.queue_update(deps, session, view)
    send_now(deps, client, queued)
