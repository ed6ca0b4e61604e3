"""Runners for the roster's commands: show a case or the roster, open a form, change a case.
Shared by the slash command, buttons and the digest."""

from __future__ import annotations

import sqlalchemy as sa

from sparbot.bot import blocks as build
from sparbot.bot.commands import ParsedCommand
from sparbot.bot.deps import Deps
from sparbot.bot.listeners.changes import apply_change
from sparbot.bot.listeners.invocation import Invocation
from sparbot.bot.listeners.replies import reply, reply_text
from sparbot.bot.metadata import ModalContext
from sparbot.bot.verbs import Verb
from sparbot.services import roster
from sparbot.services.audit import AuditAction, audit
from sparbot.services.due import due_items
from sparbot.services.people import find_person_by_slack_id
from sparbot.services.teams import team_of_channel


def show_case(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    assert parsed.ref is not None
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_case(session=session, ref=parsed.ref)
        snapshot = roster.snapshot(session=session, case=case)
        audit(session=session, actor=call.user_id, action=AuditAction.READ, what="case.show",
              refs=[case.ref])
    due = due_items(snapshot, today) if case.status == "active" else []
    reply(call.respond, build.build_case_message(snapshot, today, due, deps.renderer,
                                                 call.offers))


def show_roster(deps: Deps, parsed: ParsedCommand, call: Invocation, *,
                replace: bool = False) -> None:
    with deps.session() as session:
        person_id, team = None, None
        if parsed.mine:
            person = find_person_by_slack_id(session=session, slack_user_id=call.user_id)
            person_id = person.id if person and person.id else -1
        else:  # in a team's channel, the team's own cases
            team = team_of_channel(session=session, channel_id=call.channel_id)
        within = [each for each in (team.scope.cases() if team else None, call.cases())
                  if each is not None]
        page = roster.list_roster(session=session, page=parsed.page, person_id=person_id,
                                  within=sa.and_(*within) if within else None)
        audit(session=session, actor=call.user_id, action=AuditAction.SEARCH,
              what="roster.list", refs=[item.case.ref for item in page.snapshots])
    reply(call.respond, build.build_roster_message(
        page, deps.clock.today(), deps.renderer, mine=parsed.mine,
        team=team.name if team else None), replace=replace)


def open_modal(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    today = deps.clock.today()
    metadata = ModalContext(ref=parsed.ref, channel_id=call.channel_id)
    if parsed.ref is not None:
        with deps.session() as session:  # say "unknown case" now, not after the form
            case = roster.get_active_case(session=session, ref=parsed.ref)
        metadata = ModalContext(ref=case.ref, channel_id=call.channel_id)
    builders = {
        Verb.CASE_ADD: lambda: build.build_case_add_modal(deps.renderer, metadata, today=today,
                                                          user_id=call.user_id),
        Verb.HOURS_FORM: lambda: build.build_hours_modal(deps.renderer, metadata, today=today),
        Verb.FOLLOW_UP_FORM: lambda: build.build_follow_up_modal(deps.renderer, metadata,
                                                                 today=today),
        Verb.PLACEMENT_FORM: lambda: build.build_placement_modal(deps.renderer, metadata,
                                                                 today=today),
        Verb.AGENDA_FORM: lambda: build.build_agenda_request_modal(deps.renderer, metadata),
    }
    call.client.views_open(trigger_id=call.trigger_id, view=builders[parsed.verb]())


def change_case(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    """Every command that changes a case: one transaction, one confirmation."""
    with deps.session() as session:
        text = apply_change(session=session, parsed=parsed, actor=call.user_id,
                            today=deps.clock.today(), renderer=deps.renderer)
    reply_text(call.respond, text)
