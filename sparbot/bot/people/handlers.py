"""Slack tells the bot a user's profile changed: a known person's name is kept at once."""

from __future__ import annotations

from typing import Any

from sparbot.bot.deps import Deps
from sparbot.bot.people_sync import record_user_change


def handle_user_change_event(deps: Deps, body: dict[str, Any]) -> None:
    user = (body.get("event") or {}).get("user")
    if isinstance(user, dict):
        record_user_change(deps, user)
