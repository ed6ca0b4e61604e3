"""The case and the roster: one case's card, the roster a page at a time, a case opened
from the App Home, and a new case added by its form."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import select

from sparbot.bot.cases.blocks import (
    build_case_add_modal,
    build_case_message,
    build_case_modal,
    build_roster_message,
)
from sparbot.bot.cases.commands import AddCase, Help, Roster, ShowCase, Teams
from sparbot.bot.deps import Deps
from sparbot.bot.forms import (
    Values,
    confirm,
    form_date,
    modal_context,
    open_form,
    read_state,
    required,
)
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.kit import build_help_message
from sparbot.bot.metadata import RosterPosition
from sparbot.bot.replies import modal_errors, reply, reply_text
from sparbot.enums import Cadence, Purpose
from sparbot.errors import UserError
from sparbot.models import Team
from sparbot.parsing import whole_number
from sparbot.services import roster, teams
from sparbot.services.access import Role
from sparbot.services.agreements import agreement_now
from sparbot.services.audit import AuditAction, audit
from sparbot.services.due import due_items
from sparbot.services.people import PersonRef, find_person_by_slack_id
from sparbot.services.team_members import memberships
from sparbot.services.teams import team_of_channel


def show_help(deps: Deps, command: Help, call: Invocation) -> None:
    reply(call.respond, build_help_message(deps.renderer))


def show_case(deps: Deps, command: ShowCase, call: Invocation) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_case(session=session, ref=command.ref)
        snapshot = roster.snapshot(session=session, case=case)
        agreement = agreement_now(session, snapshot, today)
        audit(session=session, actor=call.user_id, action=AuditAction.READ, what="case.show",
              refs=[case.ref])
    due = due_items(snapshot, today) if case.status == "active" else []
    # An ephemeral reply: only the asker sees it, so the agreement is shown whole.
    reply(call.respond, build_case_message(snapshot, today, due, deps.renderer, call.offers,
                                           agreement=agreement, private=True))


def show_roster(deps: Deps, command: Roster, call: Invocation, *,
                replace: bool = False) -> None:
    """The roster: in a team's channel the team's cases, `mine` the person's own; only ever
    the cases the person may see."""
    with deps.session() as session:
        person_id, team = None, None
        if command.mine:
            person = find_person_by_slack_id(session=session, slack_user_id=call.user_id)
            person_id = person.id if person and person.id else -1
        else:
            team = team_of_channel(session=session, channel_id=call.channel_id)
        within = [each for each in (team.scope.cases() if team else None, call.cases())
                  if each is not None]
        page = roster.list_roster(session=session, page=command.page, person_id=person_id,
                                  within=sa.and_(*within) if within else None)
        audit(session=session, actor=call.user_id, action=AuditAction.SEARCH,
              what="roster.list", refs=[item.case.ref for item in page.snapshots])
    reply(call.respond, build_roster_message(
        page, deps.clock.today(), deps.renderer, mine=command.mine,
        team=team.name if team else None), replace=replace)


def open_case_add_form(deps: Deps, command: AddCase, call: Invocation) -> None:
    today = deps.clock.today()
    open_form(deps, call, None, lambda metadata: build_case_add_modal(
        deps.renderer, metadata, today=today, user_id=call.user_id))


def handle_roster_page_action(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    position = RosterPosition.model_validate_json(action.get("value") or "{}")
    show_roster(deps, Roster(mine=position.mine, page=position.page), call, replace=True)


def handle_case_add_action(deps: Deps, call: Invocation) -> None:
    open_case_add_form(deps, AddCase(), call)


def handle_case_open_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                            client: WebClient) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_case(session=session, ref=action.get("value") or "")
        snapshot = roster.snapshot(session=session, case=case)
        agreement = agreement_now(session, snapshot, today)
        audit(session=session, actor=body["user"]["id"], action=AuditAction.READ,
              what="case.show", refs=[case.ref])
    view = build_case_modal(snapshot, today, due_items(snapshot, today), deps.renderer,
                            agreement)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def case_create_from_form(values: Values) -> roster.CaseCreate:
    weeks = whole_number(required(values, BlockId.WEEKS), error="bad_weeks",
                         field=BlockId.WEEKS.value)
    jobcenter: PersonRef | None = None
    if values.get(BlockId.JOBCENTER_USER.value):
        jobcenter = PersonRef(slack_user_id=values[BlockId.JOBCENTER_USER.value])
    elif values.get(BlockId.JOBCENTER_NAME.value) or values.get(BlockId.JOBCENTER_EMAIL.value):
        jobcenter = PersonRef(name=values.get(BlockId.JOBCENTER_NAME.value),
                              email=values.get(BlockId.JOBCENTER_EMAIL.value))
    consultant = values.get(BlockId.CONSULTANT.value)
    start = form_date(values, BlockId.START)
    if start is None:
        raise UserError("missing_field", field=BlockId.START.value)
    return roster.CaseCreate(
        ref=required(values, BlockId.REF),
        programme=required(values, BlockId.PROGRAMME),
        purpose=Purpose(required(values, BlockId.PURPOSE)),
        start_date=start,
        booked_weeks=weeks,
        mentor=PersonRef(slack_user_id=required(values, BlockId.MENTOR)),
        company_consultant=PersonRef(slack_user_id=consultant) if consultant else None,
        jobcenter_consultant=jobcenter,
        cadence=Cadence(values.get(BlockId.CADENCE.value) or Cadence.WEEKLY.value),
    )


def handle_case_add_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                               view: dict[str, Any], client: WebClient) -> None:
    user_id = body["user"]["id"]
    metadata = modal_context(view)
    try:
        data = case_create_from_form(read_state(view))
        with deps.session() as session:
            # The team of the channel it was added from, else of the adder's cases.
            team = teams.team_for(session=session, channel_id=metadata.channel_id,
                                  user_id=user_id, own_channel=deps.settings.channel)
            case = roster.add_case(session=session, data=data, actor=user_id,
                                   team_id=team.scope.team_id)
            end = roster.snapshot(session=session, case=case).end_date
            audit(session=session, actor=user_id, action=AuditAction.CHANGE,
                  what="case.add", refs=[case.ref])
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view))
        return
    ack()
    confirm(client, user_id, deps.renderer.text("replies", "case_added", ref=case.ref,
                                                end=end, user_id=user_id))


def show_teams(deps: Deps, command: Teams, call: Invocation) -> None:
    """The teams the person works in, and so which cases they see (`/spar team`)."""
    admin = call.actor is not None and call.actor.role is Role.ADMIN
    with deps.session() as session:
        found = memberships(session=session, user_id=call.user_id, every_team=admin)
        any_team = bool(found) or session.exec(select(Team.id)).first() is not None
    reply_text(call.respond, deps.renderer.text(
        "roster", "teams", memberships=found, admin=admin, any_team=any_team,
        channel=deps.settings.channel, user_id=call.user_id))
