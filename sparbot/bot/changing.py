"""A change to a case, typed or submitted in a form: one transaction, an audit row, and
one confirmation saying what was recorded. Each subject brings its own `apply`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from slack_bolt import Ack
from sqlmodel import Session

from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, confirm, modal_context, read_state
from sparbot.bot.grammar import CaseCommand
from sparbot.bot.invocation import Invocation
from sparbot.bot.render import Renderer
from sparbot.bot.replies import modal_errors, reply_text
from sparbot.errors import UserError
from sparbot.services import roster
from sparbot.services.audit import AuditAction, audit

C = TypeVar("C", bound=CaseCommand)
# Record the change; return the confirmation to show.
Apply = Callable[[Session, C, str, date, Renderer], str]


def apply_change(*, session: Session, command: C, actor: str, today: date,
                 renderer: Renderer, apply: Apply[C]) -> str:
    text = apply(session, command, actor, today, renderer)
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what=command.verb.value,
          refs=[roster.get_case(session=session, ref=command.ref).ref])
    return text


def change_case(deps: Deps, command: C, call: Invocation, apply: Apply[C]) -> None:
    """A change typed as a command."""
    with deps.session() as session:
        text = apply_change(session=session, command=command, actor=call.user_id,
                            today=deps.clock.today(), renderer=deps.renderer, apply=apply)
    reply_text(call.respond, text)


def submit_change(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                  client: Any, *, from_form: Callable[[str, Values, date], C], apply: Apply[C],
                  aliases: dict[str, str] | None = None) -> None:
    """A change submitted in a form (`from_form`: the case's reference, the form's values and
    today → the command it stands for): a mistake is shown against its field (`aliases` maps
    an error's field to this form's block id), nothing saved."""
    user_id = body["user"]["id"]
    today = deps.clock.today()
    try:
        command = from_form(modal_context(view).lookup or "", read_state(view), today)
        with deps.session() as session:
            text = apply_change(session=session, command=command, actor=user_id, today=today,
                                renderer=deps.renderer, apply=apply)
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view, aliases))
        return
    ack()
    confirm(client, user_id, text)
