"""Who asked, where, and how to answer them: what every command runner is handed."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import Respond
from slack_sdk import WebClient


@dataclass(frozen=True)
class Invocation:
    user_id: str
    channel_id: str | None
    trigger_id: str
    respond: Respond
    client: WebClient
