"""Helpers for answering a user: ephemeral replies and DMs with a plain-text fallback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from sparbot.bot.blocks import build_text_message
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


def send_dm(client: WebClient, user_id: str, blocks: Sequence[Block]) -> Any:
    return client.chat_postMessage(channel=user_id, text=fallback_text(blocks),
                                   blocks=[block.to_dict() for block in blocks])
