"""The operator's command line: run the bot, migrate, import, list, manifest, demo."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from sparbot.cli_errors import mistakes_said
from sparbot.cli_teams import team_app
from sparbot.clock import Clock, FixedClock, SystemClock
from sparbot.config import Settings, SettingsError, load_settings
from sparbot.logs import configure_logging

app = typer.Typer(help="sparbot: the sparring meeting's Slack bot.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
import_app = typer.Typer(help="Import data.", no_args_is_help=True)
agenda_app = typer.Typer(help="The weekly sparring meeting's agenda.", no_args_is_help=True)
export_app = typer.Typer(help="Exports for the jobcenter and the final report.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(agenda_app, name="agenda")
app.add_typer(team_app, name="team")

log = logging.getLogger("sparbot")
err = Console(stderr=True)


def main() -> None:
    configure_logging()
    try:
        app()
    except SettingsError as error:
        sys.stderr.write(f"{error.code}\n")  # one unwrapped line
        sys.exit(2)


def _settings() -> Settings:
    return load_settings()


def _clock(settings: Settings, now: str | None) -> Clock:
    if now is None:
        return SystemClock(settings.tz)
    try:
        return FixedClock(datetime.fromisoformat(now), settings.tz)
    except ValueError:
        err.print(f"--now must be an ISO date-time such as 2026-11-24T08:30, not {now!r}")
        raise typer.Exit(2) from None


def _engine(settings: Settings, *, attempts: int = 1) -> Engine:
    """The database, waiting with backoff when it is not up yet (a container start-up)."""
    from sparbot.db import make_engine

    engine = make_engine(settings.database_url)
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return engine
        except OperationalError:
            if attempt == attempts:
                err.print("sparbot: the database at DATABASE_URL cannot be reached "
                          f"(tried {attempts}×). Is it running, and is the URL right?")
                raise typer.Exit(1) from None
            delay = min(30, 2 ** attempt)
            log.warning("database not reachable; retrying in %ss (%s/%s)", delay, attempt,
                        attempts)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _upgrade(engine: Engine) -> None:
    from sparbot import migrate

    with engine.begin() as connection:
        migrate.upgrade(connection=connection)


@dataclass(frozen=True)
class _Bot:
    app: Any  # slack_bolt.App
    engine: Engine
    scheduler: Any  # a started BackgroundScheduler


def _start_bot(*, socket_mode: bool, upgrade: bool) -> tuple[Settings, _Bot]:
    """What both modes do first: settings, the database (waited for), migrations, the app
    and its scheduler."""
    from sparbot.bot.app import create_bolt_app, make_deps
    from sparbot.db import session_factory
    from sparbot.jobs import build_scheduler

    settings = _settings()
    settings.require_slack(socket_mode=socket_mode)
    engine = _engine(settings, attempts=settings.db_attempts)
    if upgrade:
        _upgrade(engine)
    deps = make_deps(settings, session_factory(engine))
    bolt = create_bolt_app(deps)
    scheduler = build_scheduler(deps, bolt.client)
    scheduler.start()
    return settings, _Bot(bolt, engine, scheduler)


@app.command()
def run(upgrade: Annotated[bool, typer.Option(help="Migrate the database first.")] = True
        ) -> None:
    """Run the bot in Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    settings, bot = _start_bot(socket_mode=True, upgrade=upgrade)
    assert settings.slack_app_token is not None
    log.info("sparbot is running in Socket Mode")
    handler = SocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except SlackApiError as error:
        err.print(f"sparbot: Slack refused to open a Socket Mode connection "
                  f"({error.response.get('error')}): check SLACK_APP_TOKEN and that Socket "
                  "Mode is on for the app.", markup=False)
        raise typer.Exit(1) from None


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 3000,
          upgrade: Annotated[bool, typer.Option(help="Migrate the database first.")] = True
          ) -> None:
    """Run the bot in HTTP mode: Slack posts to /slack/events; /healthz for load balancers."""
    from sparbot.bot.server import EVENTS_PATH, HEALTH_PATH, build_wsgi_app, make_server

    settings, bot = _start_bot(socket_mode=False, upgrade=upgrade)
    secret = settings.slack_signing_secret
    server = make_server(build_wsgi_app(bot.app, bot.engine, scheduler=bot.scheduler,
                                        signing_secret=secret.get_secret_value()
                                        if secret else None), host, port)
    log.info("sparbot listens on http://%s:%s%s (health: %s)", host, server.effective_port,
             EVENTS_PATH, HEALTH_PATH)
    server.run()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    settings = _settings()
    _upgrade(_engine(settings, attempts=3))
    typer.echo("The database is up to date.")


@db_app.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from sparbot import migrate

    engine = _engine(_settings())
    with engine.connect() as connection:
        migrate.check(connection=connection)
    typer.echo("No drift: the migrations match the models.")


@import_app.command("roster")
def import_roster(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                       readable=True)]) -> None:
    """Import cases from a CSV (UTF-8, ',' or ';'): all rows, or none if any is bad.

    Columns: ref,programme,purpose,start,weeks,mentor,company_consultant,
    jobcenter_consultant,cadence. People as Slack user id or e-mail.
    """
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.services.importer import ImportFailed
    from sparbot.services.importer import import_roster as run_import

    settings = _settings()
    engine = _engine(settings)
    _upgrade(engine)
    renderer = Renderer(settings.language)
    try:
        with session_factory(engine)() as session:
            count = run_import(session=session, data=file.read_bytes(),
                               today=SystemClock(settings.tz).today(), actor=None)
    except ImportFailed as failure:
        line_word = "linje" if settings.language == "da" else "line"
        for problem in failure.problems:
            message = renderer.text("errors", problem.error.key, **problem.error.params)
            err.print(f"{file.name}, {line_word} {problem.line}: {message}", markup=False,
                      highlight=False)
        nothing = "Intet er importeret." if settings.language == "da" else "Nothing imported."
        err.print(nothing)
        raise typer.Exit(1) from None
    word = "sager importeret" if settings.language == "da" else "cases imported"
    typer.echo(f"{count} {word}.")


@app.command()
def cases(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
          include_closed: Annotated[bool, typer.Option("--all", help="Closed cases too.")] = False,
          now: Annotated[str | None, typer.Option(help="As seen at this ISO instant.")] = None,
          team: Annotated[str | None, typer.Option(help="Only this team's cases.")] = None
          ) -> None:
    """List the roster, with each case's team."""
    from sqlmodel import select

    from sparbot.db import session_factory
    from sparbot.models import Team
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.roster import list_roster
    from sparbot.services.snapshots import CaseSnapshot

    settings = _settings()
    sessions = session_factory(_engine(settings))
    today = _clock(settings, now).today()
    chosen = _team(settings, sessions, team) if team else None
    with sessions() as session:
        page = list_roster(session=session, page_size=1_000_000, include_closed=include_closed,
                           within=chosen.scope.cases() if chosen else None)
        team_names = {found.id: found.name for found in session.exec(select(Team))}
        audit(session=session, actor="cli", action=AuditAction.SEARCH, what="roster.list",
              refs=[snapshot.case.ref for snapshot in page.snapshots])

    def who(person: Any) -> str | None:
        return None if person is None else (person.slack_user_id or person.email or person.name)

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
    for item in rows:
        typer.echo(f"{item['ref']:<10} uge {item['week']:>2}/{item['weeks']:<3} "
                   f"slut {item['end']}  mentor {item['mentor']}"
                   + (f"  team {item['team']}" if item["team"] else ""))
    typer.echo(f"{len(rows)} sager")


def _plan(deps: Any, team: Any, meeting_date: str | None) -> Any:
    """The team's meeting in the week of `meeting_date`, or its next one."""
    from sparbot.bot.agenda.posting import team_rules
    from sparbot.services.meetings import next_meeting, plan_meeting, regular_date_on_or_after

    rules, clock = team_rules(deps, team), deps.clock
    if meeting_date is None:
        return next_meeting(clock.now(), rules)
    try:
        day = datetime.fromisoformat(meeting_date).date()
    except ValueError:
        err.print(f"--date must be a date such as 2026-12-01, not {meeting_date!r}")
        raise typer.Exit(2) from None
    return plan_meeting(regular_date_on_or_after(day, rules), rules)


@agenda_app.command("show")
def agenda_show(
        meeting_date: Annotated[str | None, typer.Option(
            "--date", help="The meeting in the week of this date (default: the next one).")
        ] = None,
        now: Annotated[str | None, typer.Option(help="As seen at this ISO instant.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        team: Annotated[str | None, typer.Option(
            help="The team's meeting (default: the one in SPARBOT_CHANNEL).")] = None) -> None:
    """Print the agenda the bot would post for a meeting."""
    from sparbot.bot.agenda.blocks import build_agenda_item, build_agenda_overview
    from sparbot.bot.agenda.posting import agenda_for
    from sparbot.bot.app import make_deps
    from sparbot.db import session_factory
    from sparbot.devtools.terminal import show

    settings = _settings()
    clock = _clock(settings, now)
    deps = make_deps(settings, session_factory(_engine(settings)), clock=clock)
    chosen = _team(settings, deps.session, team)
    agenda = agenda_for(deps, _plan(deps, chosen, meeting_date), chosen)
    if as_json:
        typer.echo(json.dumps(agenda.to_json(), ensure_ascii=False, indent=2))
        return
    console = Console()
    blocks = [block.to_dict() for block in build_agenda_overview(agenda, deps.renderer)]
    show(console, "Dagsorden", blocks, {})
    for position, item in enumerate(agenda.items, start=1):
        item_blocks = build_agenda_item(item, position, agenda, deps.renderer)
        show(console, item.ref, [block.to_dict() for block in item_blocks], {})


@agenda_app.command("post")
def agenda_post(now: Annotated[str | None, typer.Option(
        help="Post the agenda of the meeting that is next at this ISO instant.")] = None,
        team: Annotated[str | None, typer.Option(
            help="Only this team's (default: every team's, and SPARBOT_CHANNEL's).")] = None
        ) -> None:
    """Post the next meeting's agenda to each team's channel now (once per meeting)."""
    from sparbot.bot.agenda.posting import post_agenda
    from sparbot.bot.app import make_client, make_deps
    from sparbot.db import session_factory
    from sparbot.services.teams import meeting_channels

    settings = _settings()
    settings.require_slack(socket_mode=False, signing_secret=False)
    clock = _clock(settings, now)
    deps = make_deps(settings, session_factory(_engine(settings)), clock=clock)
    if team is None:
        with deps.session() as session:
            teams = meeting_channels(session=session, own_channel=settings.channel)
    else:
        teams = [_team(settings, deps.session, team)]
    client = make_client(settings)
    failed = False
    for each in teams:  # each team's next meeting, on its own day
        plan = _plan(deps, each, None)
        result = post_agenda(deps, client, plan, each)
        typer.echo(f"{result.outcome.value}: meeting {plan.held_on or plan.regular}"
                   + (f" of {each.name}" if each.name else ""))
        failed = failed or result.outcome.value in ("failed", "no-channel", "not-private")
    if failed:
        raise typer.Exit(1)


def _team(settings: Settings, sessions: Any, name: str | None) -> Any:
    """The named team's channel, or the deployment's own; an unknown name is said."""
    from sparbot.services.teams import TeamChannel, get_team, team_channel

    if name is None:
        return TeamChannel.own(settings.channel)
    with mistakes_said(settings.language), sessions() as session:
        return team_channel(get_team(session=session, name=name))


@export_app.command("decisions")
def export_decisions_command(
        case: Annotated[str | None, typer.Option("--case", help="One case's decisions.")] = None,
        team: Annotated[str | None, typer.Option("--team", help="One team's decisions.")
                        ] = None,
        date_from: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="To this date.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, md or json.")] = "csv",
        separator: Annotated[str, typer.Option(
            help="CSV separator: ';' for a Danish spreadsheet.")] = ",",
        output: Annotated[Path | None, typer.Option("-o", "--output",
                                                   help="File to write (default: stdout).")
                          ] = None) -> None:
    """The decision log: one row per decision action, streamed whatever its size."""
    from sparbot.bot.exports.files import export_decisions
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.exports import ExportFilter, ExportFormat

    settings = _settings()
    try:
        export_format = ExportFormat(fmt.lower())
        selection = ExportFilter(
            ref=case, date_from=datetime.fromisoformat(date_from).date() if date_from else None,
            date_to=datetime.fromisoformat(date_to).date() if date_to else None)
    except ValueError:
        err.print("--format is csv, xlsx, md or json; --from and --to are dates such as "
                  "2026-01-31")
        raise typer.Exit(2) from None
    if separator not in (",", ";", "\t", "\t"):
        err.print("--separator is ',' or ';'")
        raise typer.Exit(2)
    if export_format is ExportFormat.XLSX and output is None:
        err.print("XLSX is a file: give -o decisions.xlsx")
        raise typer.Exit(2)
    engine = _engine(settings)
    renderer = Renderer(settings.language)
    if team is not None:
        team_id = _team(settings, session_factory(engine), team).scope.team_id
        selection = replace(selection, team_ids=(team_id,))
    with session_factory(engine)() as session:
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="decisions.export",
              refs=[case])
        if output is None:
            count = export_decisions(session=session, selection=selection, fmt=export_format,
                                     out=sys.stdout.buffer, renderer=renderer,
                                     separator=separator)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                count = export_decisions(session=session, selection=selection,
                                         fmt=export_format, out=out, renderer=renderer,
                                         separator=separator)
    err.print(f"{count} rows", highlight=False)


@app.command()
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

    settings = _settings()
    renderer = Renderer(settings.language)
    with mistakes_said(settings.language), session_factory(_engine(settings))() as session:
        case_report = gather_case_report(session=session, ref=ref,
                                         today=_clock(settings, now).today())
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="case.report",
              refs=[case_report.ref])
    target = output or Path(f"sagsrapport-{case_report.ref}.pdf")
    target.write_bytes(case_report_pdf(case_report, renderer))
    typer.echo(str(target))


nudges_app = typer.Typer(help="Nudges: the daily digests.", no_args_is_help=True)
app.add_typer(nudges_app, name="nudges")


@nudges_app.command("run")
def nudges_run(now: Annotated[str | None, typer.Option(help="Run as at this ISO instant.")
                              ] = None,
               dry_run: Annotated[bool, typer.Option(
                   "--dry-run", help="List what would be sent, to whom and why.")] = False,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
               ) -> None:
    """One sweep, the same code the scheduler runs: each digest at most once a day."""
    from sparbot.bot.app import make_client, make_deps
    from sparbot.bot.nudges.sending import send_due_nudges
    from sparbot.db import session_factory

    settings = _settings()
    if not dry_run:
        settings.require_slack(socket_mode=False, signing_secret=False)
    clock = _clock(settings, now)
    deps = make_deps(settings, session_factory(_engine(settings)), clock=clock)
    result = send_due_nudges(deps, make_client(settings, retry_lost_connections=False),
                             clock.now(), dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    for digest in result.planned:
        typer.echo(f"{digest.person.slack_user_id}:")
        for nudge in digest.nudges:
            typer.echo(f"  {nudge.kind.value:<20} {nudge.case.ref:<10} {nudge.due_on}")
    if not dry_run:
        typer.echo(f"{len(result.sent)} sent, {result.failed} failed, {result.unknown} unknown, "
                   f"{result.skipped} already sent")


@app.command()
def erase(case: Annotated[str, typer.Option("--case", help="The case's reference.")],
          yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
          force: Annotated[bool, typer.Option(
              "--force", help="Erase even an active case.")] = False) -> None:
    """Erase one case now, for real: everything the bot holds about it."""
    from sparbot.db import session_factory
    from sparbot.enums import CaseStatus
    from sparbot.services.erasure import erase_case
    from sparbot.services.roster import get_case

    settings = _settings()
    with session_factory(_engine(settings))() as session:
        with mistakes_said(settings.language):
            found = get_case(session=session, ref=case)
        if found.status == CaseStatus.ACTIVE and not force:
            err.print(f"{found.ref} is an active course: close it first, or use --force.")
            raise typer.Exit(1)
        if not yes:
            typer.confirm(f"Erase {found.ref} and everything about it, for good?", abort=True)
        erase_case(session=session, case=found, actor="cli")
    typer.echo(f"{found.ref} is erased.")


@export_app.command("case")
def export_case_command(
        ref: Annotated[str, typer.Argument(help="The case's reference.")],
        output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """Everything the bot holds about one case, as JSON (a data subject's access request)."""
    from sparbot.db import session_factory
    from sparbot.services.erasure import export_case
    from sparbot.services.roster import get_case

    settings = _settings()
    with session_factory(_engine(settings))() as session:
        document = export_case(session=session, case=get_case(session=session, ref=ref),
                               actor="cli")
    data = json.dumps(document, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(data)
    else:
        output.write_text(data, encoding="utf-8")


@app.command("audit")
def audit_command(
        case: Annotated[str | None, typer.Option("--case", help="One case's reference.")] = None,
        user: Annotated[str | None, typer.Option("--user", help="One Slack user id.")] = None,
        date_from: Annotated[str | None, typer.Option("--from")] = None,
        date_to: Annotated[str | None, typer.Option("--to")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Who read, searched, changed, exported or erased case data, and when."""
    from sparbot.db import session_factory
    from sparbot.services.audit import audit_events

    settings = _settings()
    with session_factory(_engine(settings))() as session:
        events = audit_events(
            session=session, ref=case, actor=user,
            date_from=datetime.fromisoformat(date_from).date() if date_from else None,
            date_to=datetime.fromisoformat(date_to).date() if date_to else None)
        rows = [{"at": event.at.isoformat(), "actor": event.actor, "action": event.action,
                 "what": event.what, "case": event.case_ref} for event in events]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{str(row['at'])[:19]}  {row['actor']:<14} {row['action']:<7} "
                   f"{row['what']:<18} {row['case'] or ''}")


@app.command()
def manifest(url: Annotated[str | None, typer.Option(
                 help="Public base URL for HTTP mode, e.g. https://sparbot.example.dk")] = None,
             socket: Annotated[bool | None, typer.Option(
                 "--socket/--http", help="Socket Mode (default when SLACK_APP_TOKEN is set)."
             )] = None,
             name: str = "sparbot") -> None:
    """Print the Slack app manifest for this configuration (paste it at api.slack.com/apps)."""
    from sparbot.manifest import build_manifest

    settings = _settings()
    socket_mode = socket if socket is not None else (settings.slack_app_token is not None
                                                     or url is None)
    try:
        document = build_manifest(name=name, base_url=url, socket_mode=socket_mode)
    except ValueError as error:
        err.print(str(error))
        raise typer.Exit(2) from None
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@app.command()
def demo(database: Annotated[str, typer.Option(
             help="Where the demo roster is kept (a fresh SQLite file by default).")
         ] = "sqlite:///sparbot-demo.db",
         now: Annotated[str | None, typer.Option(help="Show the demo as at this ISO instant.")
                        ] = None) -> None:
    """Show the bot with fictional cases, offline: no Slack account, no server."""
    from sparbot.demo import run_demo

    logging.getLogger().setLevel(logging.ERROR)  # the demo speaks through its panels
    settings = Settings(_env_file=None)
    run_demo(database_url=database, clock=_clock(settings, now), console=Console())
