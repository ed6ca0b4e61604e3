"""`/spar`: one slash command with Danish and English subcommands."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from sparbot.bot import blocks as build
from sparbot.bot.commands import ParsedCommand, Verb, parse_command
from sparbot.bot.deps import Deps
from sparbot.bot.listeners import agenda, decisions, exports
from sparbot.bot.listeners.changes import apply_change
from sparbot.bot.listeners.invocation import Invocation
from sparbot.bot.listeners.replies import error_text, reply, reply_text
from sparbot.bot.metadata import ModalContext
from sparbot.errors import UserError
from sparbot.privacy import CprNumberRefused
from sparbot.services import roster
from sparbot.services.due import due_items
from sparbot.services.people import find_person_by_slack_id

COMMAND = "/spar"


def register(app: App, deps: Deps) -> None:
    runners: dict[Verb, Callable[[ParsedCommand, Invocation], None]] = {
        Verb.HELP: lambda parsed, call: reply(call.respond,
                                              build.build_help_message(deps.renderer)),
        Verb.CASE_SHOW: lambda parsed, call: show_case(deps, parsed, call),
        Verb.CASE_ADD: lambda parsed, call: open_modal(deps, parsed, call),
        Verb.ROSTER: lambda parsed, call: show_roster(deps, parsed, call),
        Verb.PLACEMENT_FORM: lambda parsed, call: open_modal(deps, parsed, call),
        Verb.HOURS_FORM: lambda parsed, call: open_modal(deps, parsed, call),
        Verb.FOLLOW_UP_FORM: lambda parsed, call: open_modal(deps, parsed, call),
        Verb.PLACEMENT_START: lambda parsed, call: change_case(deps, parsed, call),
        Verb.PLACEMENT_END: lambda parsed, call: change_case(deps, parsed, call),
        Verb.HOURS: lambda parsed, call: change_case(deps, parsed, call),
        Verb.FOLLOW_UP: lambda parsed, call: change_case(deps, parsed, call),
        Verb.EXTEND: lambda parsed, call: change_case(deps, parsed, call),
        Verb.CLOSE: lambda parsed, call: change_case(deps, parsed, call),
        Verb.AGENDA_SHOW: lambda parsed, call: agenda.show_agenda(deps, parsed, call),
        Verb.AGENDA_ADD: lambda parsed, call: agenda.add_to_agenda(deps, parsed, call),
        Verb.AGENDA_POST: lambda parsed, call: agenda.post_now(deps, parsed, call),
        Verb.ATTENDANCE: lambda parsed, call: agenda.set_attendance(deps, parsed, call),
        Verb.DECIDE: lambda parsed, call: decisions.decide(deps, parsed, call),
        Verb.DECISION_FORM: lambda parsed, call: decisions.open_decision_form(deps, parsed, call),
        Verb.DECISIONS: lambda parsed, call: decisions.list_decisions(deps, parsed, call),
        Verb.EXPORT: lambda parsed, call: exports.export_to_dm(deps, parsed, call),
        Verb.REPORT: lambda parsed, call: exports.report_to_dm(deps, parsed, call),
    }

    def handle_spar_command(ack: Ack, command: dict[str, str], respond: Respond,
                            client: WebClient) -> None:
        ack()
        call = Invocation(user_id=command["user_id"], channel_id=command.get("channel_id"),
                          trigger_id=command.get("trigger_id", ""), respond=respond,
                          client=client)
        try:
            parsed = parse_command(command.get("text", ""), today=deps.clock.today())
            runners[parsed.verb](parsed, call)
        except CprNumberRefused:
            reply_text(respond, deps.renderer.text("errors", "cpr_refused"))
        except UserError as error:
            reply_text(respond, error_text(deps.renderer, error))

    app.command(COMMAND)(handle_spar_command)


def show_case(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    assert parsed.ref is not None
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_case(session=session, ref=parsed.ref)
        snapshot = roster.snapshot(session=session, case=case)
    due = due_items(snapshot, today) if case.status == "active" else []
    reply(call.respond, build.build_case_message(snapshot, today, due, deps.renderer))


def show_roster(deps: Deps, parsed: ParsedCommand, call: Invocation, *,
                replace: bool = False) -> None:
    with deps.session() as session:
        person_id = None
        if parsed.mine:
            person = find_person_by_slack_id(session=session, slack_user_id=call.user_id)
            person_id = person.id if person and person.id else -1
        page = roster.list_roster(session=session, page=parsed.page, person_id=person_id)
    reply(call.respond, build.build_roster_message(page, deps.clock.today(), deps.renderer,
                                                   mine=parsed.mine), replace=replace)


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
