"""Operators' view of the outbox: what waits for Slack or was given up on, a message sent
again, and a sweep now."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sparbot.bot.render import Renderer
from sparbot.cli_common import current_settings, engine_for, say

outbox_app = typer.Typer(help="Messages to Slack that record state: waiting, given up, sent.",
                         no_args_is_help=True)


@outbox_app.command("list")
def outbox_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                include_sent: Annotated[bool, typer.Option("--all",
                                                           help="Sent ones too.")] = False
                ) -> None:
    """The messages waiting for Slack and those given up on (a person was told)."""
    from sqlmodel import col, select

    from sparbot.db import session_factory
    from sparbot.enums import OutboxStatus
    from sparbot.models import OutboxMessage

    settings = current_settings()
    with session_factory(engine_for(settings))() as session:
        statement = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if not include_sent:
            statement = statement.where(col(OutboxMessage.status) != OutboxStatus.SENT)
        rows = [{"id": message.id, "kind": message.kind, "status": message.status.value,
                 "channel": message.sent_channel or message.channel_id,
                 "attempts": message.attempts, "error": message.last_error,
                 "next_attempt": message.next_attempt_at.isoformat(timespec="seconds"),
                 "created": message.created_at.isoformat(timespec="seconds")}
                for message in session.exec(statement)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(say("outbox_empty", settings))
    renderer = Renderer(settings.language)
    for row in rows:
        typer.echo(say("outbox_line", settings, id=row["id"], kind=row["kind"],
                       status=renderer.label("outbox_status", str(row["status"])),
                       channel=row["channel"], attempts=row["attempts"], error=row["error"]))


@outbox_app.command("retry")
def outbox_retry(message_id: Annotated[int, typer.Argument(help="The message's id.")]) -> None:
    """Send a message again that was given up on (or send a waiting one now)."""
    from sparbot.bot.app import make_client, make_deps
    from sparbot.bot.delivery import deliver
    from sparbot.db import session_factory
    from sparbot.enums import OutboxStatus
    from sparbot.services import outbox

    settings = current_settings()
    deps = make_deps(settings, session_factory(engine_for(settings)))
    with deps.session() as session:
        if not outbox.reopen(session=session, message_id=message_id):
            typer.echo(say("outbox_missing", settings, id=message_id), err=True)
            raise typer.Exit(1)
    delivery = deliver(deps, make_client(settings, retry_lost_connections=False), message_id)
    typer.echo(say("outbox_retried", settings, id=message_id, error=delivery.error,
                   status=Renderer(settings.language).label("outbox_status",
                                                            delivery.status.value)))
    if delivery.status is not OutboxStatus.SENT:
        raise typer.Exit(1)


@outbox_app.command("send")
def outbox_send() -> None:
    """Send now what is due (as the every-minute job does on each replica)."""
    from sparbot.bot.app import make_client, make_deps
    from sparbot.bot.delivery import sweep_outbox
    from sparbot.db import session_factory

    settings = current_settings()
    deps = make_deps(settings, session_factory(engine_for(settings)))
    result = sweep_outbox(deps, make_client(settings, retry_lost_connections=False))
    typer.echo(say("outbox_swept", settings, sent=result.sent, waiting=result.waiting,
                   failed=result.failed, unknown=result.unknown, settled=result.settled,
                   seconds=f"{result.seconds:.1f}"))
