"""`/spar dagsorden` and `/spar deltagere`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import NO, YES, CaseCommand, Command
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError

_AGENDA_ADD_WORDS = {"tilføj", "tilfoej", "add", "sæt", "ny", "new"}
_AGENDA_POST_WORDS = {"post", "send", "udsend"}


@dataclass(frozen=True, kw_only=True)
class ShowAgenda(Command):
    verb = Verb.AGENDA_SHOW


@dataclass(frozen=True, kw_only=True)
class PostAgenda(Command):
    verb = Verb.AGENDA_POST


@dataclass(frozen=True, kw_only=True)
class AddToAgenda(CaseCommand):
    verb = Verb.AGENDA_ADD
    reason: str


@dataclass(frozen=True, kw_only=True)
class JobcenterAttendance(Command):
    """Whether the jobcenter attends the coming meeting."""

    verb = Verb.JOBCENTER_ATTENDANCE
    present: bool


def parse_agenda(rest: list[str], today: date) -> ShowAgenda | PostAgenda | AddToAgenda:
    if not rest:
        return ShowAgenda()
    word = rest[0].lower()
    if word in _AGENDA_POST_WORDS:
        return PostAgenda()
    if word in _AGENDA_ADD_WORDS:
        if len(rest) < 2:
            raise UserError("usage", usage="/spar dagsorden tilføj ZA Praktikken stopper")
        reason = " ".join(rest[2:]).strip()
        if not reason:
            raise UserError("missing_agenda_reason", ref=rest[1])
        return AddToAgenda(ref=rest[1], reason=reason)
    raise UserError("usage", usage="/spar dagsorden tilføj ZA Praktikken stopper")


def parse_jobcenter_attendance(rest: list[str], today: date) -> JobcenterAttendance:
    words = [word.lower() for word in rest if word.lower() not in ("jobcenter", "jobcentret")]
    if words and words[0] in YES:
        return JobcenterAttendance(present=True)
    if words and words[0] in NO:
        return JobcenterAttendance(present=False)
    raise UserError("usage", usage="/spar deltagere jobcenter ja")
