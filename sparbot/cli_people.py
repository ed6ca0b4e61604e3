"""`sparbot people`: everyone the bot knows, as Slack knows them; who it cannot reach."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sparbot.cli_common import current_settings, engine_for, say


def people(unreachable: Annotated[bool, typer.Option(
               "--unreachable", help="Only the people on active cases whom Slack cannot "
                                     "reach (their items go to the case's other owner).")
           ] = False,
           refresh: Annotated[bool, typer.Option(
               "--refresh", help="Ask Slack about everyone due a check first.")] = False,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
           ) -> None:
    """People by name, with their Slack account, e-mail, status and active cases."""
    from sparbot.bot.app import make_client, make_deps
    from sparbot.bot.people_sync import refresh_people
    from sparbot.db import session_factory
    from sparbot.services.people import list_people

    settings = current_settings()
    sessions = session_factory(engine_for(settings))
    if refresh:
        settings.require_slack(socket_mode=False, signing_secret=False)
        done = refresh_people(make_deps(settings, sessions), make_client(settings))
        typer.echo(say("people_asked", settings, asked=done.checked + done.failed,
                       named=done.named, linked=done.linked,
                       unreachable=len(done.unreachable), failed=done.failed))
    with sessions() as session:
        lines = list_people(session=session, unreachable_only=unreachable)
        rows = [{"name": line.person.name, "slack_user_id": line.person.slack_user_id,
                 "email": line.person.email, "status": line.status,
                 "checked": line.person.slack_checked_at.isoformat()
                 if line.person.slack_checked_at else None,
                 "cases": {"mentor": line.as_mentor, "company_consultant": line.as_consultant,
                           "jobcenter": line.as_jobcenter}} for line in lines]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo(say("people_none", settings, unreachable=unreachable))
        return
    for line in lines:
        person = line.person
        typer.echo("\t".join([
            person.name or "–", person.slack_user_id or "–", person.email or "–",
            say("people_status", settings, status=line.status),
            say("people_cases", settings, mentor=line.as_mentor,
                consultant=line.as_consultant, jobcenter=line.as_jobcenter)]))
