"""The App Home: anyone the bot knows gets their own page."""

from __future__ import annotations

from sparbot.bot.entries import Registry, Who, rule
from sparbot.bot.home import handlers


def register(entries: Registry) -> None:
    entries.event("app_home_opened", rule=rule(Who.ANYONE))(
        handlers.handle_app_home_opened_event)
