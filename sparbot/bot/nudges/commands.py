"""`/spar fravær` and `/spar påmindelser`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import DATE_KEYS, ParsedCommand
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import (
    parse_date,
    split_options,
)


def parse_away(rest: list[str], today: date) -> ParsedCommand:
    positional, options = split_options(rest, dict(DATE_KEYS))
    dates = [*positional, *(options[key] for key in ("from", "to") if key in options)]
    if len(dates) != 2:
        raise UserError("usage", usage="/spar fravær 1/12 5/12")
    return ParsedCommand(Verb.AWAY, day=parse_date(dates[0], today=today),
                         end_day=parse_date(dates[1], today=today))


def parse_nudge_settings(rest: list[str], today: date) -> ParsedCommand:
    keys = {"kl": "at", "klokken": "at", "at": "at", "tid": "at", "time": "at"}
    positional, options = split_options(rest, keys)
    paused = None
    for word in (word.lower() for word in positional):
        if word in ("pause", "paus", "stop"):
            paused = True
        elif word in ("genoptag", "resume", "start"):
            paused = False
        else:
            raise UserError("usage", usage="/spar påmindelser kl:7:45 | pause | genoptag")
    return ParsedCommand(Verb.NUDGE_SETTINGS, text=options.get("at"), present=paused)
