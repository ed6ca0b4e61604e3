"""`/spar` text → a command: the first word names the subcommand (each subject declares
its words and parser in its entries.py), and the helpers every subject's parser shares.
Pure: no Slack, no database; a mistake is a UserError saying what to type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sparbot.bot.verbs import Verb
from sparbot.enums import Outcome
from sparbot.errors import UserError
from sparbot.parsing import clean_text, parse_date, split_words
from sparbot.privacy import ensure_no_cpr

OUTCOME_WORDS = {
    "ordinær": Outcome.ORDINARY_EMPLOYMENT, "ordinaer": Outcome.ORDINARY_EMPLOYMENT,
    "job": Outcome.ORDINARY_EMPLOYMENT, "ordinary": Outcome.ORDINARY_EMPLOYMENT,
    "fleksjob": Outcome.FLEX_JOB, "fleks": Outcome.FLEX_JOB, "flexjob": Outcome.FLEX_JOB,
    "flex": Outcome.FLEX_JOB,
    "uddannelse": Outcome.EDUCATION, "education": Outcome.EDUCATION,
    "førtidspension": Outcome.EARLY_RETIREMENT, "pension": Outcome.EARLY_RETIREMENT,
    "ressourceforløb": Outcome.RESOURCE_COURSE, "resource": Outcome.RESOURCE_COURSE,
    "raskmeldt": Outcome.DECLARED_FIT, "fit": Outcome.DECLARED_FIT,
    "stoppet": Outcome.STOPPED, "stopped": Outcome.STOPPED,
    "fraflyttet": Outcome.MOVED_AWAY, "moved": Outcome.MOVED_AWAY,
}  # fmt: skip


MINE_WORDS = {"mine", "mig", "mine-sager", "me"}


@dataclass(frozen=True, kw_only=True)
class Command:
    """A /spar command as parsed. Each subcommand has its own type, in its subject's
    commands.py, carrying just what it needs; its `verb` names the entry that runs it."""

    verb: ClassVar[Verb]

    @property
    def case_ref(self) -> str | None:
        """The case the command names, as typed (None: it names none)."""
        return None


@dataclass(frozen=True, kw_only=True)
class CaseCommand(Command):
    """A command about one case, named by its reference."""

    ref: str

    @property
    def case_ref(self) -> str | None:
        return self.ref


YES = {"ja", "yes", "til", "tilstede", "present", "deltager", "med"}


NO = {"nej", "no", "fraværende", "fravaerende", "absent", "væk", "away"}


def require_ref(rest: list[str], usage: str) -> tuple[str, list[str]]:
    if not rest:
        raise UserError("missing_ref", usage=usage)
    return rest[0], rest[1:]


DATE_KEYS = {"fra": "from", "from": "from", "dato": "date", "date": "date",
              "til": "to", "to": "to", "næste": "next", "naeste": "next", "next": "next"}


def date_option(options: dict[str, str], names: tuple[str, ...], today: date) -> date | None:
    for name in names:
        if name in options:
            return parse_date(options[name], today=today)
    return None


Parser = Callable[[list[str], date], Command]


def parse_command(text: str, *, today: date, heads: Mapping[str, Parser]) -> Command:
    """The command typed after /spar: its first word picks the subcommand's parser (`heads`,
    every subject's declared words), which reads the rest. Nothing typed: help."""
    text = clean_text(text)
    ensure_no_cpr(text)
    words = split_words(text) or ["help"]
    parser = heads.get(words[0].lower())
    if parser is None:
        raise UserError("unknown_command", word=words[0])
    return parser(words[1:], today)
