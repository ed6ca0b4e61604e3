"""`sparbot team`: the teams that each hold their own sparring meeting in their own
channel, and which cases are whose. A provider with one meeting needs none of this."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from sparbot.bot.render import weekday_name
from sparbot.cli_common import current_settings, say
from sparbot.cli_errors import err, mistakes_said
from sparbot.config import Settings
from sparbot.models import Team

team_app = typer.Typer(help="Teams, each with its own meeting and channel.",
                       no_args_is_help=True)


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    """A session that commits on success; a user's error is said politely, changing nothing."""
    from sparbot.cli_common import engine_for
    from sparbot.db import session_factory

    with mistakes_said(settings.language), session_factory(engine_for(settings))() as session:
        yield session


DayOption = Annotated[str | None, typer.Option(
    "--day", help="The team's own meeting day, such as thursday or torsdag.")]
TimeOption = Annotated[str | None, typer.Option(
    "--time", help="The team's own meeting time, such as 9:30.")]
JobcenterOption = Annotated[str | None, typer.Option(
    "--jobcenter", help="Who attends for the jobcenter: Slack ids or names, comma-separated.")]


def _meets(team: Team, settings: Settings) -> str:
    """When the team meets, as the operator reads it (the deployment's when not its own)."""
    day = None if team.meeting_weekday is None else \
        weekday_name(team.meeting_weekday, settings.language).lower()
    return say("meets", settings, day=day,
               at=team.meeting_time.strftime("%H:%M") if team.meeting_time else None,
               jobcenter=team.jobcenter_attendees)


@team_app.command("add")
def team_add(name: Annotated[str, typer.Argument(help="The team's name, such as 'Team Nord'.")],
             channel: Annotated[str, typer.Option(
                 "--channel", help="The id of the team's private channel (C…).")],
             day: DayOption = None, at: TimeOption = None,
             jobcenter: JobcenterOption = None) -> None:
    """Create a team: its agenda goes to its own channel, over its own cases, on the working
    day before its meeting (the deployment's SPARBOT_MEETING_DAY/TIME unless given)."""
    settings = current_settings()
    from sparbot.services.teams import create_team

    with _session(settings) as session:
        team = create_team(session=session, name=name, channel_id=channel, day=day, at=at,
                           jobcenter=jobcenter)
        typer.echo(say("team_added", settings, name=team.name, channel=team.channel_id,
                       meets=_meets(team, settings)))


@team_app.command("edit")
def team_edit(name: Annotated[str, typer.Argument(help="The team's name.")],
              new_name: Annotated[str | None, typer.Option(
                  "--name", help="The team's new name.")] = None,
              channel: Annotated[str | None, typer.Option(
                  "--channel", help="The id of the team's new private channel (C…).")] = None
              ) -> None:
    """Rename a team, or move its agenda to another channel."""
    settings = current_settings()
    from sparbot.services.teams import edit_team, get_team

    if new_name is None and channel is None:
        err.print(say("team_edit_needs", settings))
        raise typer.Exit(2)
    with _session(settings) as session:
        team = get_team(session=session, name=name)
        edit_team(session=session, team=team, name=new_name, channel_id=channel)
        typer.echo(say("team_edited", settings, name=team.name, channel=team.channel_id,
                       meets=_meets(team, settings)))


@team_app.command("meeting")
def team_meeting(name: Annotated[str, typer.Argument(help="The team's name.")],
                 day: DayOption = None, at: TimeOption = None,
                 jobcenter: JobcenterOption = None,
                 default: Annotated[bool, typer.Option(
                     "--default", help="Meet on the deployment's day and time, with its "
                                       "jobcenter attendees, again.")] = False
                 ) -> None:
    """Give a team's weekly meeting its own day, time or jobcenter attendees."""
    settings = current_settings()
    from sparbot.services.teams import get_team, set_meeting

    if default == (day is not None or at is not None or jobcenter is not None):
        err.print(say("team_meeting_needs", settings))
        raise typer.Exit(2)
    with _session(settings) as session:
        team = get_team(session=session, name=name)
        if default:
            team.meeting_weekday, team.meeting_time, team.jobcenter_attendees = None, None, None
        set_meeting(team, day=day, at=at, jobcenter=jobcenter)
        typer.echo(say("team_meeting_set", settings, name=team.name, meets=_meets(team, settings)))


@team_app.command("list")
def team_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
              ) -> None:
    """Every team, its channel, its number of active cases and when it meets."""
    settings = current_settings()
    from sparbot.services.teams import list_teams

    with _session(settings) as session:
        teams = list_teams(session=session)
        rows = [{"name": team.name, "channel": team.channel_id, "active_cases": count,
                 "meeting_weekday": team.meeting_weekday,
                 "meeting_time": team.meeting_time and team.meeting_time.strftime("%H:%M"),
                 "jobcenter_attendees": team.jobcenter_attendees}
                for team, count in teams]
        lines = [say("team_line", settings, name=team.name, channel=team.channel_id, count=count,
                     meets=_meets(team, settings)) for team, count in teams]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        typer.echo(say("no_teams", settings))
    for line in [] if as_json else lines:
        typer.echo(line)


def _moving(refs: list[str], describe: Callable[[list[str]], str],
            team_name: str | None, settings: Settings) -> None:
    from sparbot.services.teams import assign_cases, get_team

    with _session(settings) as session:
        team = None if team_name is None else get_team(session=session, name=team_name)
        moved = assign_cases(session=session, team=team, refs=refs)
    typer.echo(describe(moved))


@team_app.command("assign")
def team_assign(team: Annotated[str, typer.Argument(help="The team's name.")],
                refs: Annotated[list[str], typer.Argument(help="Case references.")]) -> None:
    """Move active cases to a team's meeting (all of them, or none if one is unknown)."""
    settings = current_settings()
    _moving(refs, lambda moved: say("moved_to_team", settings, refs=moved, team=team), team,
            settings)


@team_app.command("unassign")
def team_unassign(refs: Annotated[list[str], typer.Argument(help="Case references.")]
                  ) -> None:
    """Move active cases back to the deployment's own meeting (SPARBOT_CHANNEL)."""
    settings = current_settings()
    _moving(refs, lambda moved: say("moved_to_own", settings, refs=moved), None, settings)


@team_app.command("members")
def team_members(team: Annotated[str, typer.Argument(help="The team's name.")],
                 add: Annotated[list[str] | None, typer.Option(
                     "--add", help="A Slack user id to add (repeat for more).")] = None,
                 remove: Annotated[list[str] | None, typer.Option(
                     "--remove", help="A Slack user id to take out (repeat for more).")
                 ] = None,
                 admin: Annotated[bool, typer.Option(
                     "--admin", help="Make those added the team's admins: they export its "
                                     "whole decision log.")] = False,
                 refresh: Annotated[bool, typer.Option(
                     "--refresh", help="Ask Slack who is in every team's channel now "
                                       "(the bot does so every 30 minutes).")] = False,
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
                 ) -> None:
    """Who works in a team and sees its cases: the people on its cases, the members of its
    channel (as Slack last reported them) and those added here."""
    settings = current_settings()
    from sparbot.services.team_members import add_members, list_members, remove_members
    from sparbot.services.teams import get_team

    if refresh:
        _refresh_channel_members()

    if admin and not add:
        err.print(say("admin_needs_add", settings))
        raise typer.Exit(2)
    with _session(settings) as session:
        found = get_team(session=session, name=team)
        added = add_members(session=session, team=found, people=add or [], admin=admin)
        removed = remove_members(session=session, team=found, people=remove or [])
        members = list_members(session=session, team=found)
        refreshed = found.members_refreshed_at
    for user_id in added:
        typer.echo(say("member_added", settings, user=user_id, admin=admin))
    for user_id in removed:
        typer.echo(say("member_removed", settings, user=user_id))
    if as_json:
        typer.echo(json.dumps([{"slack_user_id": member.slack_user_id,
                                "sources": list(member.sources), "admin": member.is_admin}
                               for member in members], indent=2))
        return
    typer.echo(say("members_title", settings, name=found.name, count=len(members),
                   refreshed=refreshed.strftime("%Y-%m-%d %H:%M UTC") if refreshed else None))
    for member in members:
        typer.echo(f"{member.slack_user_id}\t{', '.join(member.sources)}"
                   + ("\tadmin" if member.is_admin else ""))


def _refresh_channel_members() -> None:
    from sparbot.bot.app import make_client, make_deps
    from sparbot.bot.team_members import refresh_team_members
    from sparbot.cli_common import engine_for
    from sparbot.db import session_factory

    settings = current_settings()
    deps = make_deps(settings, session_factory(engine_for(settings)))
    for name, count in refresh_team_members(deps, make_client(settings)).items():
        typer.echo(say("channel_count", settings, name=name, count=count))


def calendar_command(team: Annotated[str | None, typer.Argument(
                 help="The team's name (none: the deployment's own meeting).")] = None,
             output: Annotated[Path | None, typer.Option(
                 "-o", "--output", help="The .ics file (default: sparringsmoede.ics).")] = None,
             url: Annotated[str | None, typer.Option(
                 help="The public base URL of `sparbot serve`, to print the feed's URL.")
             ] = None) -> None:
    """The team's sparring meeting as an iCalendar file (a weekly series in
    Europe/Copenhagen, holiday moves and cancellations as exceptions; no case details), and
    the secret URL `serve` publishes it at."""
    from sparbot.bot.app import make_deps
    from sparbot.bot.calendar import calendar_secret, team_calendar
    from sparbot.bot.server import CALENDAR_PREFIX
    from sparbot.cli_common import engine_for, team_named, writable
    from sparbot.db import session_factory
    from sparbot.services.calendar_feed import calendar_token

    settings = current_settings()
    target = output or Path("sparringsmoede.ics")
    writable(target, settings)
    sessions = session_factory(engine_for(settings))
    chosen = team_named(settings, sessions, team)
    deps = make_deps(settings, sessions)
    target.write_bytes(team_calendar(deps, chosen))
    typer.echo(str(target))
    secret = calendar_secret(deps)
    if secret is not None:
        path = f"{CALENDAR_PREFIX}{calendar_token(secret, chosen.scope.team_id)}.ics"
        typer.echo(f"{url.rstrip('/')}{path}" if url else path)
