"""`/spar`: every subcommand declared with who may use it. The dispatcher
(sparbot.bot.dispatch) parses the text, checks the subcommand's rule and runs its runner."""

from __future__ import annotations

from sparbot.bot import blocks as build
from sparbot.bot.commands import ParsedCommand
from sparbot.bot.deps import Deps
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.listeners import agenda, decisions, exports, nudges
from sparbot.bot.listeners.case_runners import change_case, open_modal, show_case, show_roster
from sparbot.bot.listeners.invocation import Invocation
from sparbot.bot.listeners.replies import reply
from sparbot.bot.verbs import Verb

# Staff work on a case; the case's jobcenter consultant may see it and decide in it.
STAFF_ON_CASE = rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True)
SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF)
CASE_SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF,
                              needs_case=True)


def show_help(deps: Deps, parsed: ParsedCommand, call: Invocation) -> None:
    reply(call.respond, build.build_help_message(deps.renderer))


def register(entries: Registry) -> None:
    entries.command(Verb.HELP, rule=rule(Who.ANYONE))(show_help)
    entries.command(Verb.CASE_SHOW, rule=CASE_SEEN_BY_JOBCENTER)(show_case)
    entries.command(Verb.ROSTER, rule=SEEN_BY_JOBCENTER)(show_roster)
    entries.command(Verb.CASE_ADD, rule=rule(Who.STAFF))(open_modal)
    entries.command(Verb.PLACEMENT_FORM, Verb.HOURS_FORM, Verb.FOLLOW_UP_FORM,
                    rule=STAFF_ON_CASE)(open_modal)
    entries.command(Verb.PLACEMENT_START, Verb.PLACEMENT_END, Verb.HOURS, Verb.FOLLOW_UP,
                    Verb.EXTEND, Verb.CLOSE, rule=STAFF_ON_CASE)(change_case)
    entries.command(Verb.AGENDA_SHOW, rule=rule(Who.STAFF))(agenda.show_agenda)
    entries.command(Verb.AGENDA_ADD, rule=STAFF_ON_CASE)(agenda.add_to_agenda)
    entries.command(Verb.AGENDA_POST, rule=rule(Who.STAFF))(agenda.post_now)
    entries.command(Verb.ATTENDANCE, rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(
        agenda.set_attendance)
    entries.command(Verb.DECIDE, rule=CASE_SEEN_BY_JOBCENTER)(decisions.decide)
    entries.command(Verb.DECISION_FORM, rule=SEEN_BY_JOBCENTER)(decisions.open_decision_form)
    entries.command(Verb.DECISIONS, rule=SEEN_BY_JOBCENTER)(decisions.list_decisions)
    entries.command(Verb.EXPORT, rule=CASE_SEEN_BY_JOBCENTER)(exports.export_to_dm)
    entries.command(Verb.EXPORT_ALL, rule=rule(Who.ADMIN, Who.TEAM_ADMIN,
                                               refusal="full_export_admins_only"))(
        exports.export_to_dm)
    entries.command(Verb.REPORT, rule=CASE_SEEN_BY_JOBCENTER)(exports.report_to_dm)
    entries.command(Verb.AWAY, rule=rule(Who.STAFF))(nudges.record_absence)
    # A supervisor in Slack gets the workplace's nudges, so may tune or pause them.
    entries.command(Verb.NUDGE_SETTINGS, rule=rule(Who.STAFF, Who.WORKPLACE_SUPERVISOR))(
        nudges.nudge_settings)
