"""The operator's command line: run the bot, migrate, import, list, manifest, demo."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import Engine

from sparbot import cli_cases, cli_meetings, cli_people, cli_stats, cli_teams
from sparbot.cli_common import (
    clock_at,
    current_settings,
    engine_for,
    err,
    log,
    say,
    upgrade_database,
)
from sparbot.cli_help import help_language, localized
from sparbot.cli_outbox import outbox_app
from sparbot.cli_teams import team_app
from sparbot.config import Settings, SettingsError
from sparbot.logs import configure_logging

if TYPE_CHECKING:  # imported when the bot starts, not with the CLI
    from sparbot.bot.deps import Deps
    from sparbot.bot.workers import WorkerPool

app = typer.Typer(help="sparbot: the sparring meeting's Slack bot.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(cli_cases.export_app, name="export")
app.add_typer(db_app, name="db")
app.add_typer(cli_cases.import_app, name="import")
app.add_typer(cli_meetings.agenda_app, name="agenda")
app.add_typer(team_app, name="team")
app.add_typer(cli_meetings.nudges_app, name="nudges")
app.add_typer(outbox_app, name="outbox")
app.command()(cli_cases.cases)
app.command()(cli_cases.report)
app.command()(cli_cases.erase)
app.command()(cli_cases.statement)
app.command()(cli_people.people)
app.command("calendar")(cli_teams.calendar_command)
app.command("audit")(cli_cases.audit_command)
app.command("stats")(cli_stats.stats)




def main() -> None:
    configure_logging()
    try:
        localized(app, help_language())()
    except SettingsError as error:
        sys.stderr.write(f"{error.code}\n")  # one unwrapped line
        sys.exit(2)


@dataclass(frozen=True)
class _Bot:
    app: Any  # slack_bolt.App
    engine: Engine
    scheduler: Any  # a started BackgroundScheduler
    deps: Deps  # the app's own: the calendar feed serves from them too


def _start_bot(*, socket_mode: bool, upgrade: bool, workers: WorkerPool | None = None
               ) -> tuple[Settings, _Bot]:
    """What both modes do first: settings, the database (waited for), migrations, the app
    (the front, given worker processes) and its scheduler."""
    from sparbot.bot.app import create_bolt_app, make_deps
    from sparbot.db import session_factory
    from sparbot.jobs import build_scheduler

    settings = current_settings()
    settings.require_slack(socket_mode=socket_mode)
    engine = engine_for(settings, attempts=settings.db_attempts)
    if upgrade:
        upgrade_database(engine)
    deps = make_deps(settings, session_factory(engine))
    bolt = _bolt_or_one_line(lambda: create_bolt_app(deps, workers=workers), settings)
    scheduler = build_scheduler(deps, bolt.client)
    scheduler.start()
    return settings, _Bot(bolt, engine, scheduler, deps)


def _bolt_or_one_line(build: Any, settings: Settings) -> Any:
    """The app, whose start asks Slack whether the token is good: a token Slack refuses,
    or a Slack that cannot be reached, is one line in the deployment's language, exit 1."""
    from urllib.error import URLError

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from sparbot.bot.render import Renderer

    renderer = Renderer(settings.language)
    try:
        return build()
    except (BoltError, SlackApiError) as error:
        said = renderer.plain("errors", "slack_token_refused", detail=str(error)[:200])
    except (URLError, OSError) as error:
        said = renderer.plain("errors", "slack_unreachable", url=settings.slack_api_url,
                              detail=type(error).__name__)
    err.print(f"sparbot: {said}", markup=False, highlight=False)
    raise typer.Exit(1)


@app.command()
def run(upgrade: Annotated[bool, typer.Option(help="Migrate the database first.")] = True,
        health_host: Annotated[str, typer.Option(help="Address of /healthz.")] = "127.0.0.1",
        health_port: Annotated[int, typer.Option(
            help="Port of /healthz (-1: none). A container's healthcheck polls it.")] = 3000
        ) -> None:
    """Run the bot in Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from sparbot.bot.server import HEALTH_PATH, BackgroundServer, build_health_app

    settings, bot = _start_bot(socket_mode=True, upgrade=upgrade)
    assert settings.slack_app_token is not None
    if health_port >= 0:
        try:
            health = BackgroundServer(build_health_app(bot.engine, bot.scheduler),
                                      health_host, health_port).start()
            log.info("sparbot health on http://%s:%s%s", health_host, health.port,
                     HEALTH_PATH)
        except OSError as error:  # the bot still runs; the healthcheck will say so
            log.error("cannot serve %s on %s:%s (%s)", HEALTH_PATH, health_host, health_port,
                      error.strerror or type(error).__name__)
    log.info("sparbot is running in Socket Mode")
    handler = SocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except SlackApiError as error:
        err.print(say("socket_refused", settings, error=error.response.get("error")),
                  markup=False, highlight=False)
        raise typer.Exit(1) from None


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 3000,
          upgrade: Annotated[bool, typer.Option(help="Migrate the database first.")] = True,
          workers: Annotated[int | None, typer.Option(
              envvar="SPARBOT_WORKERS", show_default=False,
              help="Worker processes for the work after each ack (0: all in this process; "
                   "default: one a core, at most 4).")
          ] = None) -> None:
    """Run the bot in HTTP mode: Slack posts to /slack/events; /healthz for load balancers."""
    import signal
    from functools import partial

    from sparbot.bot.calendar import calendar_for_token
    from sparbot.bot.server import EVENTS_PATH, HEALTH_PATH, build_wsgi_app, make_server
    from sparbot.bot.workers import WorkerPool, default_workers

    count = default_workers() if workers is None else max(0, workers)
    pool = WorkerPool(count) if count else None
    settings, bot = _start_bot(socket_mode=False, upgrade=upgrade, workers=pool)
    if pool is not None:
        pool.start()
    secret = settings.slack_signing_secret
    server = make_server(build_wsgi_app(bot.app, bot.engine, scheduler=bot.scheduler,
                                        workers=pool,
                                        signing_secret=secret.get_secret_value()
                                        if secret else None,
                                        calendars=partial(calendar_for_token, bot.deps)),
                         host, port)
    log.info("sparbot listens on http://%s:%s%s (health: %s)", host, server.effective_port,
             EVENTS_PATH, HEALTH_PATH)

    def stop(*_: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    finally:  # the workers finish the requests they hold
        if pool is not None:
            pool.stop()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    settings = current_settings()
    upgrade_database(engine_for(settings, attempts=3))
    typer.echo(say("db_up_to_date", settings))


@db_app.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from sparbot import migrate

    engine = engine_for(current_settings())
    with engine.connect() as connection:
        migrate.check(connection=connection)
    typer.echo(say("db_no_drift"))


@db_app.command("facts")
def db_facts(repair: Annotated[bool, typer.Option(
                 "--repair", help="Make every course's facts again from its history.")
             ] = False) -> None:
    """Check that each course's facts for the results figures match its history."""
    from sparbot.services.course_facts import differences, rebuild

    settings = current_settings()
    engine = engine_for(settings)
    with engine.begin() as connection:
        wrong = differences(connection)
        if wrong and repair:
            made = rebuild(connection)
            typer.echo(say("facts_repaired", settings, wrong=len(wrong), made=made))
            return
    if wrong:
        err.print(say("facts_differ", settings, wrong=len(wrong)), highlight=False)
        raise typer.Exit(1)
    typer.echo(say("facts_match", settings))


@app.command()
def manifest(url: Annotated[str | None, typer.Option(
                 help="Public base URL for HTTP mode, e.g. https://sparbot.example.dk")] = None,
             socket: Annotated[bool | None, typer.Option(
                 "--socket/--http", help="Socket Mode (default when SLACK_APP_TOKEN is set)."
             )] = None,
             name: Annotated[str, typer.Option(help="The app's name in Slack.")] = "sparbot"
             ) -> None:
    """Print the Slack app manifest for this configuration (paste it at api.slack.com/apps)."""
    from sparbot.manifest import build_manifest

    settings = current_settings()
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
    run_demo(database_url=database, clock=clock_at(settings, now), console=Console())
