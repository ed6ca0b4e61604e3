"""`/spar dagsorden` and `/spar deltagere`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import NO, YES, ParsedCommand
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError

_AGENDA_ADD_WORDS = {"tilføj", "tilfoej", "add", "sæt", "ny", "new"}


_AGENDA_POST_WORDS = {"post", "send", "udsend"}


def parse_agenda(rest: list[str], today: date) -> ParsedCommand:
    if not rest:
        return ParsedCommand(Verb.AGENDA_SHOW)
    word = rest[0].lower()
    if word in _AGENDA_POST_WORDS:
        return ParsedCommand(Verb.AGENDA_POST)
    if word in _AGENDA_ADD_WORDS:
        if len(rest) < 2:
            raise UserError("usage", usage="/spar dagsorden tilføj ZA Praktikken stopper")
        reason = " ".join(rest[2:]).strip()
        if not reason:
            raise UserError("missing_agenda_reason", ref=rest[1])
        return ParsedCommand(Verb.AGENDA_ADD, ref=rest[1], text=reason)
    raise UserError("usage", usage="/spar dagsorden tilføj ZA Praktikken stopper")


def parse_attendance(rest: list[str], today: date) -> ParsedCommand:
    words = [word.lower() for word in rest if word.lower() not in ("jobcenter", "jobcentret")]
    if words and words[0] in YES:
        return ParsedCommand(Verb.ATTENDANCE, present=True)
    if words and words[0] in NO:
        return ParsedCommand(Verb.ATTENDANCE, present=False)
    raise UserError("usage", usage="/spar deltagere jobcenter ja")
