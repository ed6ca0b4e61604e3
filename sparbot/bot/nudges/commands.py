"""`/spar fravær` and `/spar påmindelser`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import DATE_KEYS, Command
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import parse_date, parse_person, split_options


@dataclass(frozen=True, kw_only=True)
class Away(Command):
    """The person is away from one day to another: no nudges meanwhile."""

    verb = Verb.AWAY
    starts: date
    ends: date
    stand_in: str | None = None  # the Slack id of who takes the nudges meanwhile
    for_whom: tuple[str | None, str | None] | None = None  # (Slack id, e-mail): not oneself


@dataclass(frozen=True, kw_only=True)
class NudgeSettings(Command):
    """The person's own digest time, or pausing and resuming it (None: unchanged)."""

    verb = Verb.NUDGE_SETTINGS
    send_at: str | None = None
    paused: bool | None = None


_AWAY_KEYS = {**DATE_KEYS, "stedfortræder": "stand_in", "stedfortraeder": "stand_in",
              "vikar": "stand_in", "standin": "stand_in", "for": "for"}


def parse_away(rest: list[str], today: date) -> Away:
    positional, options = split_options(rest, _AWAY_KEYS)
    dates = [*positional, *(options[key] for key in ("from", "to") if key in options)]
    if len(dates) != 2:
        raise UserError("usage", usage="/spar fravær 1/12 5/12 stedfortræder:@navn")
    stand_in = None
    if "stand_in" in options:
        stand_in, _email = parse_person(options["stand_in"])
        if stand_in is None:  # a stand-in gets nudges in Slack: they must be in it
            raise UserError("bad_person", text=options["stand_in"])
    for_whom = parse_person(options["for"]) if "for" in options else None
    return Away(starts=parse_date(dates[0], today=today),
                ends=parse_date(dates[1], today=today), stand_in=stand_in, for_whom=for_whom)


def parse_nudge_settings(rest: list[str], today: date) -> NudgeSettings:
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
    return NudgeSettings(send_at=options.get("at"), paused=paused)
