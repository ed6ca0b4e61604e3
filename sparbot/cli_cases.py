"""Operators' commands on the roster and what leaves it: import, list, the decision log,
the case report, erasure, an access request and the audit log."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from sparbot.cli_common import (
    cli_date,
    clock_at,
    current_settings,
    engine_for,
    err,
    say,
    team_named,
    upgrade_database,
    writable,
)
from sparbot.cli_errors import mistakes_said
from sparbot.clock import SystemClock

import_app = typer.Typer(help="Import data.", no_args_is_help=True)
export_app = typer.Typer(help="Exports for the jobcenter and the final report.",
                         no_args_is_help=True)


@import_app.command("roster")
def import_roster(file: Annotated[Path, typer.Argument(
                      exists=True, dir_okay=False, readable=True,
                      help="The roster: .xlsx, or CSV in UTF-8 or Windows-1252.")],
                  dry_run: Annotated[bool, typer.Option(
                      "--dry-run", help="Say what would be added and changed; keep nothing.")
                  ] = False) -> None:
    """Import cases from an .xlsx or a CSV (UTF-8 or Windows-1252, ',' or ';'): all rows,
    or none if any is bad.

    Columns: ref,programme,purpose,start,weeks,mentor,company_consultant,
    jobcenter_consultant,cadence. People as Slack user id or e-mail.
    """
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.services.importer import ImportFailed
    from sparbot.services.importer import import_roster as run_import

    settings = current_settings()
    engine = engine_for(settings)
    upgrade_database(engine)
    renderer = Renderer(settings.language)
    try:
        with session_factory(engine)() as session:
            imported = run_import(session=session, data=file.read_bytes(),
                                  today=SystemClock(settings.tz).today(), actor=None,
                                  dry_run=dry_run)
    except ImportFailed as failure:
        line_word = "linje" if settings.language == "da" else "line"
        for problem in failure.problems:
            message = renderer.text("errors", problem.error.key, **problem.error.params)
            err.print(f"{file.name}, {line_word} {problem.line}: {message}", markup=False,
                      highlight=False)
        nothing = "Intet er importeret." if settings.language == "da" else "Nothing imported."
        err.print(nothing)
        raise typer.Exit(1) from None
    for change in imported.changes:
        typer.echo(renderer.plain("exports", "import_change", change=change))
    typer.echo(renderer.plain("exports", "imported", count=imported.count,
                              updated=imported.updated, source=imported.source.value,
                              dry_run=dry_run))


def cases(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
          include_closed: Annotated[bool, typer.Option("--all", help="Closed cases too.")] = False,
          now: Annotated[str | None, typer.Option(help="As seen at this ISO instant.")] = None,
          team: Annotated[str | None, typer.Option(help="Only this team's cases.")] = None
          ) -> None:
    """List the roster, with each case's team."""
    from sqlmodel import select

    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.models import Team
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.roster import list_roster
    from sparbot.services.snapshots import CaseSnapshot

    settings = current_settings()
    sessions = session_factory(engine_for(settings))
    today = clock_at(settings, now).today()
    chosen = team_named(settings, sessions, team) if team else None
    with sessions() as session:
        page = list_roster(session=session, page_size=1_000_000, include_closed=include_closed,
                           within=chosen.scope.cases() if chosen else None)
        team_names = {found.id: found.name for found in session.exec(select(Team))}
        audit(session=session, actor="cli", action=AuditAction.SEARCH, what="roster.list",
              refs=[snapshot.case.ref for snapshot in page.snapshots])

    def who(person: Any) -> str | None:
        return None if person is None else person.readable  # by name, once Slack said it

    def row(snapshot: CaseSnapshot) -> dict[str, Any]:
        placement = snapshot.current_placement(today)
        hours = snapshot.hours_on(today)
        case = snapshot.record
        return {
            "ref": case.ref, "status": case.status.value,
            "programme": case.programme, "purpose": case.purpose.value,
            "start": case.start_date.isoformat(),
            "end": snapshot.end_date.isoformat(), "week": snapshot.week_number(today),
            "weeks": snapshot.total_weeks, "cadence": case.cadence.value,
            "outcome": case.outcome.value if case.outcome else None,
            "mentor": who(snapshot.mentor),
            "company_consultant": who(snapshot.company_consultant),
            "jobcenter_consultant": who(snapshot.jobcenter_consultant),
            "team": team_names.get(case.team_id),
            "placement": None if placement is None else {
                "kind": placement.kind.value, "workplace": placement.workplace,
                "start": placement.start_date.isoformat()},
            "hours": None if hours is None else {
                "internship": hours.internship_hours, "paid": hours.paid_hours,
                "from": hours.effective_from.isoformat()},
        }

    rows = [row(snapshot) for snapshot in page.snapshots]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    renderer = Renderer(settings.language)
    for snapshot, item in zip(page.snapshots, rows, strict=True):
        typer.echo(renderer.plain("roster", "cli_line", item=item,
                                  end=renderer.date(snapshot.end_date)))
    typer.echo(renderer.plain("roster", "cli_total", count=len(rows)))


@export_app.command("decisions")
def export_decisions_command(
        case: Annotated[str | None, typer.Option("--case", help="One case's decisions.")] = None,
        team: Annotated[str | None, typer.Option("--team", help="One team's decisions.")
                        ] = None,
        date_from: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="To this date.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, md or json.")] = "csv",
        separator: Annotated[str, typer.Option(
            help="CSV separator: ';' (the default) is what a Danish spreadsheet reads."
        )] = ";",
        output: Annotated[Path | None, typer.Option("-o", "--output",
                                                   help="File to write (default: stdout).")
                          ] = None) -> None:
    """The decision log: one row per decision action, streamed whatever its size."""
    from sparbot.bot.exports.files import export_decisions
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.exports import ExportFilter, ExportFormat
    from sparbot.services.roster import get_case

    settings = current_settings()
    try:
        export_format = ExportFormat(fmt.lower())
    except ValueError:
        err.print(say("format_is", settings, option="--format",
                      values=["csv", "xlsx", "md", "json"]), highlight=False)
        raise typer.Exit(2) from None
    selection = ExportFilter(ref=case, date_from=cli_date(date_from, "--from", settings),
                             date_to=cli_date(date_to, "--to", settings))
    if separator not in (",", ";", "\t"):
        err.print(say("format_is", settings, option="--separator", values=["';'", "','"]),
                  markup=False, highlight=False)
        raise typer.Exit(2)
    if output is not None:  # before anything is read or audited
        writable(output, settings)
    if export_format is ExportFormat.XLSX and output is None:
        err.print(say("xlsx_needs_file", settings, name="beslutninger.xlsx"
                      if settings.language == "da" else "decisions.xlsx"))
        raise typer.Exit(2)
    engine = engine_for(settings)
    renderer = Renderer(settings.language)
    if team is not None:
        team_id = team_named(settings, session_factory(engine), team).scope.team_id
        selection = replace(selection, team_ids=(team_id,))
    if case is not None:
        with mistakes_said(settings.language), session_factory(engine)() as session:
            found = get_case(session=session, ref=case)
            selection = replace(selection, ref=found.ref, case_id=found.id)
    with session_factory(engine)() as session:
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="decisions.export",
              refs=[case])
        if output is None:
            count = export_decisions(session=session, selection=selection, fmt=export_format,
                                     out=sys.stdout.buffer, renderer=renderer,
                                     separator=separator)
            sys.stdout.buffer.flush()
        else:
            with writable(output, settings).open("wb") as out:
                count = export_decisions(session=session, selection=selection,
                                         fmt=export_format, out=out, renderer=renderer,
                                         separator=separator)
    err.print(say("rows_written", settings, count=count), highlight=False)


def report(ref: Annotated[str, typer.Argument(help="The case's initials or pseudonym.")],
           output: Annotated[Path | None, typer.Option(
               "-o", "--output", help="PDF file (default: sagsrapport-REF.pdf).")] = None,
           now: Annotated[str | None, typer.Option(help="As at this ISO instant.")] = None
           ) -> None:
    """The case report (PDF): course, placements, hours chart, follow-ups, decisions."""
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.reports.case_pdf import case_report_pdf
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.report import gather_case_report

    settings = current_settings()
    if output is not None:  # before anything is read or audited
        writable(output, settings)
    renderer = Renderer(settings.language)
    with mistakes_said(settings.language), session_factory(engine_for(settings))() as session:
        case_report = gather_case_report(session=session, ref=ref,
                                         today=clock_at(settings, now).today())
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="case.report",
              refs=[case_report.ref])
    target = output or Path(f"sagsrapport-{case_report.ref}.pdf")
    writable(target, settings).write_bytes(case_report_pdf(case_report, renderer))
    typer.echo(str(target))


def statement(ref: Annotated[str, typer.Argument(help="The case's initials or pseudonym.")],
              fmt: Annotated[str, typer.Option(
                  "--format", help="docx (editable in Word) or pdf.")] = "docx",
              output: Annotated[Path | None, typer.Option(
                  "-o", "--output", help="The file (default: statusudtalelse-REF.docx).")
              ] = None,
              now: Annotated[str | None, typer.Option(help="As at this ISO instant.")] = None
              ) -> None:
    """A draft of the provider's status statement for the jobcenter, from what is recorded:
    course, placements, hours, attendance, goals, accommodations, follow-ups, decisions."""
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.reports.statement import draft_statement
    from sparbot.reports.statement_files import statement_docx, statement_pdf
    from sparbot.services.audit import AuditAction, audit

    settings = current_settings()
    if fmt not in ("docx", "pdf"):
        err.print(say("format_is", settings, option="--format", values=["docx", "pdf"]),
                  highlight=False)
        raise typer.Exit(2)
    if output is not None:  # before anything is read or audited
        writable(output, settings)
    renderer = Renderer(settings.language)
    with mistakes_said(settings.language), session_factory(engine_for(settings))() as session:
        drafted = draft_statement(session=session, ref=ref, renderer=renderer,
                                  today=clock_at(settings, now).today())
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="case.statement",
              refs=[drafted.ref])
    stem = "statusudtalelse" if settings.language == "da" else "status-statement"
    target = output or Path(f"{stem}-{drafted.ref}.{fmt}")
    writable(target, settings).write_bytes(
        statement_docx(drafted) if fmt == "docx" else statement_pdf(drafted))
    typer.echo(str(target))


def erase(case: Annotated[str, typer.Option("--case", help="The case's reference.")],
          yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
          force: Annotated[bool, typer.Option(
              "--force", help="Erase even an active case.")] = False) -> None:
    """Erase one case now, for real: everything the bot holds about it."""
    from sparbot.db import session_factory
    from sparbot.enums import CaseStatus
    from sparbot.services.erasure import erase_case
    from sparbot.services.roster import get_case

    settings = current_settings()
    with session_factory(engine_for(settings))() as session:
        with mistakes_said(settings.language):
            found = get_case(session=session, ref=case)
        if found.status == CaseStatus.ACTIVE and not force:
            err.print(say("active_needs_force", settings, ref=found.ref))
            raise typer.Exit(1)
        if not yes:
            typer.confirm(say("erase_confirm", settings, ref=found.ref), abort=True)
        erase_case(session=session, case=found, actor="cli")
    typer.echo(say("erased", settings, ref=found.ref))


@export_app.command("case")
def export_case_command(
        ref: Annotated[str, typer.Argument(help="The case's reference.")],
        output: Annotated[Path | None, typer.Option(
            "-o", "--output", help="JSON file (default: stdout).")] = None) -> None:
    """Everything the bot holds about one case, as JSON (a data subject's access request)."""
    from sparbot.db import session_factory
    from sparbot.services.erasure import export_case
    from sparbot.services.roster import get_case

    settings = current_settings()
    with session_factory(engine_for(settings))() as session:
        document = export_case(session=session, case=get_case(session=session, ref=ref),
                               actor="cli")
    data = json.dumps(document, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(data)
    else:
        output.write_text(data, encoding="utf-8")


def audit_command(
        case: Annotated[str | None, typer.Option("--case", help="One case's reference.")] = None,
        user: Annotated[str | None, typer.Option("--user", help="One Slack user id.")] = None,
        date_from: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="To this date.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Who read, searched, changed, exported or erased case data, and when."""
    from sparbot.db import session_factory
    from sparbot.services.audit import audit_events

    settings = current_settings()
    since, until = cli_date(date_from, "--from", settings), cli_date(date_to, "--to", settings)
    with session_factory(engine_for(settings))() as session:
        events = audit_events(session=session, ref=case, actor=user, date_from=since,
                              date_to=until)
        # In the deployment's time zone, with its offset: never a bare UTC time.
        zone = ZoneInfo(settings.tz)
        rows = [{"at": event.at.astimezone(zone).isoformat(timespec="seconds"),
                 "actor": event.actor, "action": event.action, "what": event.what,
                 "case": event.case_ref} for event in events]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['at']!s}  {row['actor']:<14} {row['action']:<7} "
                   f"{row['what']:<18} {row['case'] or ''}")
