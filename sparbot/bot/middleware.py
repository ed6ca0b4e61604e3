"""Global middleware: refuse any request that carries a CPR number before a listener runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltResponse

from sparbot.bot.deps import Deps
from sparbot.privacy import contains_cpr, payload_contains_cpr, strings_in

log = logging.getLogger(__name__)


def cpr_guard(deps: Deps) -> Callable[..., Any]:
    def guard(body: dict[str, Any], ack: Ack, next: Callable[[], BoltResponse]) -> Any:
        if not payload_contains_cpr(_user_input(body)):
            return next()
        # Never log the payload: only that a request was refused.
        log.warning("refused a %s request holding a CPR number", body.get("type", "command"))
        message = deps.renderer.text("errors", "cpr_refused")
        if body.get("type") == "view_submission":
            values = body.get("view", {}).get("state", {}).get("values", {})
            blocks = [block for block, value in values.items()
                      if any(contains_cpr(text) for text in strings_in(value))]
            return ack(response_action="errors", errors={block: message for block in blocks})
        if "command" in body:
            return ack(text=message)
        return ack()

    return guard


def _user_input(body: dict[str, Any]) -> Any:
    """The parts of a payload that people typed (not ids, timestamps or our own blocks)."""
    if "command" in body:
        return body.get("text", "")
    if body.get("type") == "view_submission":
        return body.get("view", {}).get("state", {}).get("values", {})
    if body.get("type") == "block_actions":
        return [action.get("value") for action in body.get("actions", [])]
    if body.get("type") in ("message_action", "shortcut"):
        return body.get("message", {}).get("text", "")
    event = body.get("event", {})
    return event.get("text", "") if isinstance(event, dict) else ""
