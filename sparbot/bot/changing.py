"""A change to a case, typed or submitted in a form: one transaction, an audit row, and
one confirmation saying what was recorded. Each subject brings its own `apply`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack
from sqlmodel import Session

from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, confirm, modal_context, read_state
from sparbot.bot.grammar import ParsedCommand
from sparbot.bot.invocation import Invocation
from sparbot.bot.render import Renderer
from sparbot.bot.replies import modal_errors, reply_text
from sparbot.errors import UserError
from sparbot.services import roster
from sparbot.services.audit import AuditAction, audit

# Record the change; return the confirmation to show.
Apply = Callable[[Session, ParsedCommand, str, date, Renderer], str]
# A submitted form as the command it stands for: (case reference, the form's values, today).
FromForm = Callable[[str, Values, date], ParsedCommand]


def apply_change(*, session: Session, parsed: ParsedCommand, actor: str, today: date,
                 renderer: Renderer, apply: Apply) -> str:
    assert parsed.ref is not None
    text = apply(session, parsed, actor, today, renderer)
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what=parsed.verb.value,
          refs=[roster.get_case(session=session, ref=parsed.ref).ref])
    return text


def change_case(deps: Deps, parsed: ParsedCommand, call: Invocation, apply: Apply) -> None:
    """A change typed as a command."""
    with deps.session() as session:
        text = apply_change(session=session, parsed=parsed, actor=call.user_id,
                            today=deps.clock.today(), renderer=deps.renderer, apply=apply)
    reply_text(call.respond, text)


def submit_change(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                  client: Any, *, from_form: FromForm, apply: Apply,
                  aliases: dict[str, str] | None = None) -> None:
    """A change submitted in a form: a mistake is shown against its field (`aliases` maps an
    error's field to this form's block id), nothing saved."""
    user_id = body["user"]["id"]
    today = deps.clock.today()
    try:
        parsed = from_form(modal_context(view).ref or "", read_state(view), today)
        with deps.session() as session:
            text = apply_change(session=session, parsed=parsed, actor=user_id, today=today,
                                renderer=deps.renderer, apply=apply)
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view, aliases))
        return
    ack()
    confirm(client, user_id, text)
