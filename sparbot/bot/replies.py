"""Helpers for answering a user: ephemeral replies and DMs with a plain-text fallback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from sparbot.bot.kit import build_text_message
from sparbot.bot.render import Renderer
from sparbot.errors import UserError

FALLBACK_MAX = 3000


def fallback_text(blocks: Sequence[Block]) -> str:
    """The notification text Slack shows where blocks cannot be: the first text we have."""
    for block in blocks:
        data = block.to_dict()
        text = data.get("text")
        if isinstance(text, dict) and text.get("text"):
            return str(text["text"])[:FALLBACK_MAX]
    return "sparbot"


def reply(respond: Respond, blocks: Sequence[Block], *, replace: bool = False) -> None:
    respond(text=fallback_text(blocks), blocks=[block.to_dict() for block in blocks],
            response_type="ephemeral", replace_original=replace)


def reply_text(respond: Respond, text: str) -> None:
    reply(respond, build_text_message(text))


def error_text(renderer: Renderer, error: UserError) -> str:
    return renderer.text("errors", error.key, **error.params)


def modal_errors(renderer: Renderer, error: UserError, view: dict[str, Any],
                 aliases: dict[str, str] | None = None) -> dict[str, str]:
    """A UserError shown in the modal, against its field (`aliases` maps an error's field
    to this modal's block id); an error without a field of this modal goes on the first."""
    inputs = [block.get("block_id") for block in view.get("blocks", [])
              if block.get("type") == "input"]
    field = (aliases or {}).get(error.field or "", error.field)
    if field not in inputs:
        field = inputs[0] if inputs else "ref"
    return {str(field): error_text(renderer, error)}


def message_place(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Where a button in a message was clicked: the channel, and the message itself."""
    channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
    return str(channel), body.get("message") or {}


def send_dm(client: WebClient, user_id: str, blocks: Sequence[Block]) -> Any:
    return client.chat_postMessage(channel=user_id, text=fallback_text(blocks),
                                   blocks=[block.to_dict() for block in blocks])
