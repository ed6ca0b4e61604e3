"""What every listener needs, handed to each module's register(app, deps)."""

from __future__ import annotations

from dataclasses import dataclass

from sparbot.bot.render import Renderer
from sparbot.clock import Clock
from sparbot.config import Settings
from sparbot.db import SessionFactory


@dataclass(frozen=True)
class Deps:
    settings: Settings
    session: SessionFactory
    clock: Clock
    renderer: Renderer
