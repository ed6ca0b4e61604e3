"""Who asked, where, and how to answer them: what every command runner is handed."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from slack_bolt import Respond
from slack_sdk import WebClient

from sparbot.services.access import Actor


@dataclass(frozen=True)
class Invocation:
    user_id: str
    channel_id: str | None
    trigger_id: str
    respond: Respond
    client: WebClient
    actor: Actor | None = None  # as the dispatcher admitted them
    # The buttons (action ids) this person's role may use; None: every one.
    offers: frozenset[str] | None = None

    def cases(self) -> sa.ColumnElement[bool] | None:
        """The condition keeping the cases this person may see (None: all)."""
        return self.actor.cases() if self.actor is not None else None
