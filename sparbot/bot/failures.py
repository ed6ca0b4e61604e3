"""What a person is told when their request fails in a way they did not cause: the truth,
in the bot's language. A database that is down and nothing saved; something saved and then
a failure (never "nothing was saved" after a commit); or a failure before anything was."""

from __future__ import annotations

import logging
import traceback

from sparbot.bot.render import Renderer
from sparbot.db import database_unreachable, writes_committed

log = logging.getLogger(__name__)


def failure_key(error: BaseException) -> str:
    """The errors template that says what happened."""
    if writes_committed():
        return "saved_then_failed"
    if database_unreachable(error):
        return "database_down"
    return "internal"


def failure_text(renderer: Renderer, error: BaseException, where: str) -> str:
    """Log the failure (its type and where, never its message: that may quote what a user
    typed about a citizen) and say it to the person."""
    key = failure_key(error)
    if key == "database_down":
        log.error("the database could not be reached during a %s (%s)", where,
                  type(error).__name__)
    else:
        log.error("unhandled %s in a %s%s at\n%s", type(error).__name__, where,
                  " after its change was saved" if key == "saved_then_failed" else "",
                  "".join(traceback.format_tb(error.__traceback__)).rstrip())
    return renderer.text("errors", key)
