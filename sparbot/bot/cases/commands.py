"""`/spar sag`, `/spar sager`, `/spar hjælp`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import MINE_WORDS, ParsedCommand
from sparbot.bot.verbs import Verb

_ADD_WORDS = {"ny", "new", "add", "opret"}


def parse_roster(rest: list[str], today: date) -> ParsedCommand:
    mine = any(word.lower() in MINE_WORDS for word in rest)
    page = next((int(word) for word in rest if word.isdigit()), 1)
    return ParsedCommand(Verb.ROSTER, mine=mine, page=page)


def parse_help(rest: list[str], today: date) -> ParsedCommand:
    return ParsedCommand(Verb.HELP)


def parse_case(rest: list[str], today: date) -> ParsedCommand:
    """`/spar sag ZA` shows a case; `/spar sag` or `/spar sag ny` opens the form for one."""
    if not rest or rest[0].lower() in _ADD_WORDS:
        return ParsedCommand(Verb.CASE_ADD)
    return ParsedCommand(Verb.CASE_SHOW, ref=rest[0])


def parse_teams(rest: list[str], today: date) -> ParsedCommand:
    return ParsedCommand(Verb.TEAMS)
