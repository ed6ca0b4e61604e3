"""`sparbot team`: the teams that each hold their own sparring meeting in their own
channel, and which cases are whose. A provider with one meeting needs none of this."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlmodel import Session

team_app = typer.Typer(help="Teams, each with its own meeting and channel.",
                       no_args_is_help=True)
err = Console(stderr=True)


@contextmanager
def _session() -> Iterator[Session]:
    """A session that commits on success; a user's error is said politely, changing nothing."""
    from sparbot.bot.render import Renderer
    from sparbot.cli import _engine, _settings
    from sparbot.db import session_factory
    from sparbot.errors import UserError

    settings = _settings()
    try:
        with session_factory(_engine(settings))() as session:
            yield session
    except UserError as error:
        err.print(Renderer(settings.language).text("errors", error.key, **error.params),
                  markup=False)
        raise typer.Exit(1) from None


@team_app.command("add")
def team_add(name: Annotated[str, typer.Argument(help="The team's name, such as 'Team Nord'.")],
             channel: Annotated[str, typer.Option(
                 "--channel", help="The id of the team's private channel (C…).")]) -> None:
    """Create a team: its agenda goes to its own channel, over its own cases."""
    from sparbot.services.teams import create_team

    with _session() as session:
        team = create_team(session=session, name=name, channel_id=channel)
        typer.echo(f"{team.name}: agenda in {team.channel_id}. "
                   f"Give it cases with: sparbot team assign '{team.name}' <ref> ...")


@team_app.command("list")
def team_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
              ) -> None:
    """Every team, its channel and its number of active cases."""
    from sparbot.services.teams import list_teams

    with _session() as session:
        rows = [{"name": team.name, "channel": team.channel_id, "active_cases": count}
                for team, count in list_teams(session=session)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        typer.echo("No teams: every case is on the one agenda in SPARBOT_CHANNEL.")
    for row in [] if as_json else rows:
        typer.echo(f"{row['name']}\t{row['channel']}\t{row['active_cases']} active cases")


def _moving(refs: list[str], describe: Callable[[list[str]], str],
            team_name: str | None) -> None:
    from sparbot.services.teams import assign_cases, get_team

    with _session() as session:
        team = None if team_name is None else get_team(session=session, name=team_name)
        moved = assign_cases(session=session, team=team, refs=refs)
    typer.echo(describe(moved))


@team_app.command("assign")
def team_assign(team: Annotated[str, typer.Argument(help="The team's name.")],
                refs: Annotated[list[str], typer.Argument(help="Case references.")]) -> None:
    """Move active cases to a team's meeting (all of them, or none if one is unknown)."""
    _moving(refs, lambda moved: f"{', '.join(moved)} now on the agenda of {team}.", team)


@team_app.command("unassign")
def team_unassign(refs: Annotated[list[str], typer.Argument(help="Case references.")]
                  ) -> None:
    """Move active cases back to the deployment's own meeting (SPARBOT_CHANNEL)."""
    _moving(refs, lambda moved: f"{', '.join(moved)} now on the agenda in SPARBOT_CHANNEL.",
            None)
