"""`/spar sag`, `/spar sager`, `/spar team`, `/spar hjælp`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import MINE_WORDS, CaseCommand, Command
from sparbot.bot.verbs import Verb
from sparbot.parsing import whole_number

_ADD_WORDS = {"ny", "new", "add", "opret"}


@dataclass(frozen=True, kw_only=True)
class Help(Command):
    verb = Verb.HELP


@dataclass(frozen=True, kw_only=True)
class ShowCase(CaseCommand):
    verb = Verb.CASE_SHOW


@dataclass(frozen=True, kw_only=True)
class AddCase(Command):
    verb = Verb.CASE_ADD


@dataclass(frozen=True, kw_only=True)
class Roster(Command):
    verb = Verb.ROSTER
    mine: bool = False  # the person's own cases only
    page: int = 1


@dataclass(frozen=True, kw_only=True)
class Teams(Command):
    verb = Verb.TEAMS


def parse_roster(rest: list[str], today: date) -> Roster:
    mine = any(word.lower() in MINE_WORDS for word in rest)
    # A page: a word with a digit in it must be a plain number (`²` is not page 2).
    page = next((whole_number(word, error="not_a_number") for word in rest
                 if any(char.isdigit() for char in word)), 1)
    return Roster(mine=mine, page=page)


def parse_help(rest: list[str], today: date) -> Help:
    return Help()


def parse_case(rest: list[str], today: date) -> ShowCase | AddCase:
    """`/spar sag ZA` shows a case; `/spar sag` or `/spar sag ny` opens the form for one."""
    if not rest or rest[0].lower() in _ADD_WORDS:
        return AddCase()
    return ShowCase(ref=rest[0])


def parse_teams(rest: list[str], today: date) -> Teams:
    return Teams()
