"""What every operator command shares: the settings, the clock (`--now`), the database
(waited for, migrated), a team by name and a team's meeting."""

from __future__ import annotations

import logging
import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from sparbot.cli_errors import mistakes_said
from sparbot.clock import Clock, FixedClock, SystemClock
from sparbot.config import Settings, load_settings

log = logging.getLogger("sparbot")


err = Console(stderr=True)


def current_settings() -> Settings:
    return load_settings()


def clock_at(settings: Settings, now: str | None) -> Clock:
    if now is None:
        return SystemClock(settings.tz)
    try:
        return FixedClock(datetime.fromisoformat(now), settings.tz)
    except ValueError:
        err.print(say("bad_now", settings, value=repr(now)), markup=False, highlight=False)
        raise typer.Exit(2) from None


def cli_date(text: str | None, option: str, settings: Settings,
             today: date | None = None) -> date | None:
    """Every date an operator types, read as the bot reads dates (`1/12`, `1.12.2026`,
    `2026-12-01`, `3. nov`): a mistake is one line saying what to type, exit 2."""
    if text is None:
        return None
    from sparbot.bot.render import Renderer
    from sparbot.errors import UserError
    from sparbot.parsing import parse_date

    try:
        return parse_date(text, today=today or SystemClock(settings.tz).today())
    except UserError as error:
        said = Renderer(settings.language).plain("errors", error.key, **error.params)
        err.print(f"{option}: {said}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def writable(path: Path, settings: Settings) -> Path:
    """The file an operator names with -o, checked before anything is made for it: a folder
    that is missing or not writable is one line, exit 2, never a traceback."""
    from sparbot.bot.render import Renderer

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK) or path.is_dir() or (
            path.exists() and not os.access(path, os.W_OK)):
        said = Renderer(settings.language).plain("errors", "output_not_writable",
                                                 path=str(path))
        err.print(said, markup=False, highlight=False)
        raise typer.Exit(2)
    return path


def engine_for(settings: Settings, *, attempts: int = 1) -> Engine:
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
                err.print(say("db_unreachable", settings, attempts=attempts), markup=False,
                          highlight=False)
                raise typer.Exit(1) from None
            delay = min(30, 2 ** attempt)
            log.warning("database not reachable; retrying in %ss (%s/%s)", delay, attempt,
                        attempts)
            time.sleep(delay)
    raise AssertionError("unreachable")


def upgrade_database(engine: Engine) -> None:
    from sparbot import migrate

    with engine.begin() as connection:
        migrate.upgrade(connection=connection)


def team_named(settings: Settings, sessions: Any, name: str | None) -> Any:
    """The named team's channel, or the deployment's own; an unknown name is said."""
    from sparbot.services.teams import TeamChannel, get_team, team_channel

    if name is None:
        return TeamChannel.own(settings.channel)
    with mistakes_said(settings.language), sessions() as session:
        return team_channel(get_team(session=session, name=name))


def meeting_plan(deps: Any, team: Any, meeting_date: str | None) -> Any:
    """The team's meeting in the week of `meeting_date`, or its next one."""
    from sparbot.bot.agenda.posting import team_rules
    from sparbot.services.meetings import next_meeting, plan_meeting, regular_date_on_or_after

    rules, clock = team_rules(deps, team), deps.clock
    if meeting_date is None:
        return next_meeting(clock.now(), rules)
    day = cli_date(meeting_date, "--date", deps.settings, clock.today())
    assert day is not None
    return plan_meeting(regular_date_on_or_after(day, rules), rules)


def say(name: str, /, settings: Settings | None = None, **context: Any) -> str:
    """A CLI message in the deployment's language (prompts/<lang>/cli.md.j2)."""
    from sparbot.bot.render import Renderer

    return Renderer((settings or current_settings()).language).plain("cli", name, **context)
