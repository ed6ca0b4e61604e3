"""`/spar`: one slash command with Danish and English subcommands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from sparbot.bot import blocks as build
from sparbot.bot.commands import ParsedCommand, Verb, parse_command
from sparbot.bot.deps import Deps
from sparbot.bot.listeners import agenda, decisions, exports, nudges
from sparbot.bot.listeners.case_runners import change_case, open_modal, show_case, show_roster
from sparbot.bot.listeners.invocation import Invocation
from sparbot.bot.listeners.replies import error_text, reply, reply_text
from sparbot.errors import UserError
from sparbot.models import Person
from sparbot.privacy import CprNumberRefused
from sparbot.services import roster
from sparbot.services.access import Role

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
        Verb.AWAY: lambda parsed, call: nudges.record_absence(deps, parsed, call),
        Verb.NUDGE_SETTINGS: lambda parsed, call: nudges.nudge_settings(deps, parsed, call),
    }

    def handle_spar_command(ack: Ack, command: dict[str, str], respond: Respond,
                            client: WebClient, context: BoltContext) -> None:
        ack()
        call = Invocation(user_id=command["user_id"], channel_id=command.get("channel_id"),
                          trigger_id=command.get("trigger_id", ""), respond=respond,
                          client=client)
        try:
            parsed = parse_command(command.get("text", ""), today=deps.clock.today())
            parsed = permitted(deps, parsed, call.user_id, context.get("role"))
            runners[parsed.verb](parsed, call)
        except CprNumberRefused:
            reply_text(respond, deps.renderer.text("errors", "cpr_refused"))
        except UserError as error:
            reply_text(respond, error_text(deps.renderer, error))

    app.command(COMMAND)(handle_spar_command)


# What a jobcenter consultant may do: see and decide on their own cases, nothing more.
JOBCENTER_VERBS = frozenset({Verb.HELP, Verb.CASE_SHOW, Verb.ROSTER, Verb.DECIDE,
                             Verb.DECISION_FORM, Verb.DECISIONS, Verb.REPORT, Verb.EXPORT,
                             Verb.ATTENDANCE})


def permitted(deps: Deps, parsed: ParsedCommand, user_id: str,
              role: Role | None) -> ParsedCommand:
    """The command as this person may run it, or a UserError saying why not."""
    if parsed.verb is Verb.EXPORT and parsed.ref is None and role is not Role.ADMIN:
        raise UserError("full_export_admins_only")
    if role is not Role.JOBCENTER:
        return parsed
    if parsed.verb not in JOBCENTER_VERBS:
        raise UserError("not_for_jobcenter")
    if parsed.ref is not None:
        with deps.session() as session:
            case = roster.get_case(session=session, ref=parsed.ref)
            consultant = session.get(Person, case.jobcenter_consultant_id) \
                if case.jobcenter_consultant_id else None
        if consultant is None or consultant.slack_user_id != user_id:
            # Said as for a case that does not exist: other jobcenters' cases stay unseen.
            raise UserError("unknown_case", ref=parsed.ref, suggestions=[])
    if parsed.verb in (Verb.ROSTER, Verb.DECISIONS) and parsed.ref is None:
        return replace(parsed, mine=True)
    return parsed
