"""Exports and reports, delivered in the asker's DM: one case's for staff and the case's
jobcenter consultant; the whole decision log for admins (a team's admins: their teams')."""

from __future__ import annotations

from sparbot.bot.entries import Carrier, Registry, Who, rule
from sparbot.bot.exports import commands, handlers
from sparbot.bot.verbs import Verb

CASE_SEEN_BY_JOBCENTER = rule(Who.STAFF, Who.CASE_JOBCENTER, case=Carrier.COMMAND_REF,
                              needs_case=True)


def register(entries: Registry) -> None:
    entries.subcommand("eksport", "eksportér", "export", parse=commands.parse_export)
    entries.subcommand("rapport", "report", parse=commands.parse_report)
    entries.subcommand("udtalelse", "statusudtalelse", "statement",
                       parse=commands.parse_statement)
    entries.command(Verb.EXPORT, example="eksport ZA",
                    rule=CASE_SEEN_BY_JOBCENTER)(handlers.export_to_dm)
    entries.command(Verb.EXPORT_ALL, example="eksport",
                    rule=rule(Who.ADMIN, Who.TEAM_ADMIN,
                                               refusal="full_export_admins_only"))(
        handlers.export_to_dm)
    entries.command(Verb.REPORT, example="rapport ZA",
                    rule=CASE_SEEN_BY_JOBCENTER)(handlers.report_to_dm)
    # The statement is the provider's to write: staff only (the jobcenter receives it).
    entries.command(Verb.STATEMENT, example="udtalelse ZA",
                    rule=rule(Who.STAFF, case=Carrier.COMMAND_REF, needs_case=True))(
        handlers.statement_to_dm)
