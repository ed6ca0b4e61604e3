"""Operators' commands on the weekly rhythm: the agenda (shown or posted now) and one
nudge sweep."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from sparbot.cli_common import (
    clock_at,
    current_settings,
    engine_for,
    meeting_plan,
    say,
    team_named,
)

agenda_app = typer.Typer(help="The weekly sparring meeting's agenda.", no_args_is_help=True)


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

    settings = current_settings()
    clock = clock_at(settings, now)
    deps = make_deps(settings, session_factory(engine_for(settings)), clock=clock)
    chosen = team_named(settings, deps.session, team)
    agenda = agenda_for(deps, meeting_plan(deps, chosen, meeting_date), chosen)
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

    settings = current_settings()
    settings.require_slack(socket_mode=False, signing_secret=False)
    clock = clock_at(settings, now)
    deps = make_deps(settings, session_factory(engine_for(settings)), clock=clock)
    if team is None:
        with deps.session() as session:
            teams = meeting_channels(session=session, own_channel=settings.channel)
    else:
        teams = [team_named(settings, deps.session, team)]
    client = make_client(settings)
    failed = False
    for each in teams:  # each team's next meeting, on its own day
        plan = meeting_plan(deps, each, None)
        result = post_agenda(deps, client, plan, each)
        typer.echo(say("agenda_posted", settings,
                       outcome=deps.renderer.label("post_outcome", result.outcome.value),
                       day=deps.renderer.date(plan.held_on or plan.regular), team=each.name,
                       sent=result.sent, total=result.total))
        failed = failed or result.outcome.value in ("failed", "no-channel", "not-private")
    if failed:
        raise typer.Exit(1)


nudges_app = typer.Typer(help="Nudges: the daily digests.", no_args_is_help=True)


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

    settings = current_settings()
    if not dry_run:
        settings.require_slack(socket_mode=False, signing_secret=False)
    clock = clock_at(settings, now)
    deps = make_deps(settings, session_factory(engine_for(settings)), clock=clock)
    result = send_due_nudges(deps, make_client(settings, retry_lost_connections=False),
                             clock.now(), dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    for digest in result.planned:
        typer.echo(f"{digest.person.readable}:")
        for nudge in digest.nudges:
            typer.echo(say("nudge_line", settings,
                           kind=deps.renderer.label("nudge_kind", nudge.kind.value),
                           ref=nudge.case.ref, due=deps.renderer.date(nudge.due_on)))
    if not dry_run:
        typer.echo(say("nudges_sent", settings, sent=len(result.sent), failed=result.failed,
                       unknown=result.unknown, skipped=result.skipped))
