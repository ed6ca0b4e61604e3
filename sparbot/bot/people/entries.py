"""People as Slack knows them: the workspace's own events, acted on by no person."""

from __future__ import annotations

from sparbot.bot.entries import Registry, Who, rule
from sparbot.bot.people import handlers


def register(entries: Registry) -> None:
    entries.event("user_change", rule=rule(Who.WORKSPACE))(handlers.handle_user_change_event)
