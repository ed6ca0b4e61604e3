"""Buttons: roster pages, opening a case from the App Home, and the case's form buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from sparbot.bot import blocks as build
from sparbot.bot.commands import ParsedCommand
from sparbot.bot.deps import Deps
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.listeners.case_runners import open_modal, show_roster
from sparbot.bot.listeners.invocation import Invocation
from sparbot.bot.listeners.replies import error_text, reply_text
from sparbot.bot.metadata import RosterPosition
from sparbot.bot.verbs import Verb
from sparbot.enums import ActionId
from sparbot.errors import UserError
from sparbot.services import roster
from sparbot.services.access import Actor
from sparbot.services.audit import AuditAction, audit
from sparbot.services.due import due_items

_FORMS = {ActionId.HOURS_ADD: Verb.HOURS_FORM, ActionId.FOLLOWUP_ADD: Verb.FOLLOW_UP_FORM,
          ActionId.PLACEMENT_ADD: Verb.PLACEMENT_FORM, ActionId.CASE_ADD: Verb.CASE_ADD,
          ActionId.AGENDA_ADD: Verb.AGENDA_FORM}


def _invocation(body: dict[str, Any], respond: Respond, client: WebClient,
                actor: Actor) -> Invocation:
    return Invocation(user_id=body["user"]["id"],
                      channel_id=(body.get("channel") or {}).get("id"),
                      trigger_id=body.get("trigger_id", ""), respond=respond, client=client,
                      actor=actor)


def handle_roster_page_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                              respond: Respond, client: WebClient, actor: Actor) -> None:
    position = RosterPosition.model_validate_json(action.get("value") or "{}")
    show_roster(deps, ParsedCommand(Verb.ROSTER, mine=position.mine, page=position.page),
                _invocation(body, respond, client, actor), replace=True)


def handle_form_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                       respond: Respond, client: WebClient, actor: Actor) -> None:
    verb = _FORMS[ActionId(action["action_id"])]
    ref = None if verb is Verb.CASE_ADD else action.get("value")
    try:
        open_modal(deps, ParsedCommand(verb, ref=ref), _invocation(body, respond, client, actor))
    except UserError as error:
        if body.get("response_url"):
            reply_text(respond, error_text(deps.renderer, error))


def handle_case_open_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                            client: WebClient) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_case(session=session, ref=action.get("value") or "")
        snapshot = roster.snapshot(session=session, case=case)
        audit(session=session, actor=body["user"]["id"], action=AuditAction.READ,
              what="case.show", refs=[case.ref])
    view = build.build_case_modal(snapshot, today, due_items(snapshot, today), deps.renderer)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def register(entries: Registry) -> None:
    on_case = rule(Who.STAFF, case=Carrier.VALUE_REF)
    entries.action(ActionId.ROSTER_PAGE, rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(
        handle_roster_page_action)
    entries.action(ActionId.CASE_OPEN, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                 case=Carrier.VALUE_REF))(
        handle_case_open_action)
    entries.action(ActionId.CASE_ADD, rule=rule(Who.STAFF))(handle_form_action)
    entries.action(ActionId.HOURS_ADD, ActionId.FOLLOWUP_ADD, ActionId.PLACEMENT_ADD,
                   ActionId.AGENDA_ADD, rule=on_case)(handle_form_action)
