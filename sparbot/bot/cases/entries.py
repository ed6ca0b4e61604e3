"""Case and roster: who may see a case, list the roster and add a case."""

from __future__ import annotations

from sparbot.bot.cases import commands, handlers
from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

# Staff, and the case's own jobcenter consultant: see it and decide in it.
SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF)
CASE_SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF,
                              needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("sag", "case", parse=commands.parse_case)
    entries.subcommand("sager", "cases", parse=commands.parse_roster)
    entries.subcommand("hjælp", "hjaelp", "help", parse=commands.parse_help)
    entries.subcommand("team", "teams", parse=commands.parse_teams)
    entries.command(Verb.TEAMS, example="team", rule=rule(Who.STAFF))(handlers.show_teams)
    entries.command(Verb.HELP, example="hjælp",
                    rule=rule(Who.ANYONE))(handlers.show_help)
    entries.command(Verb.CASE_SHOW, example="sag ZA",
                    rule=CASE_SEEN_BY_JOBCENTER)(handlers.show_case)
    entries.command(Verb.ROSTER, example="sager",
                    rule=SEEN_BY_JOBCENTER)(handlers.show_roster)
    entries.command(Verb.CASE_ADD, example="sag ny",
                    rule=rule(Who.STAFF))(handlers.open_case_add_form)
    entries.action(ActionId.ROSTER_PAGE, rule=rule(Who.STAFF, Who.CASE_JOBCENTER))(
        handlers.handle_roster_page_action)
    entries.action(ActionId.CASE_OPEN, rule=rule(Who.STAFF, Who.CASE_JOBCENTER,
                                                 case=Carrier.VALUE_REF))(
        handlers.handle_case_open_action)
    entries.action(ActionId.CASE_ADD, rule=rule(Who.STAFF))(handlers.handle_case_add_action)
    entries.view(CallbackId.CASE_ADD, rule=rule(Who.STAFF))(handlers.handle_case_add_submission)
