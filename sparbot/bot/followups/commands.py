"""`/spar opfølgning`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import DATE_KEYS, CaseCommand, date_option, require_ref
from sparbot.bot.verbs import Verb
from sparbot.enums import FollowUpKind, GoalStatus, PaidHoursAnswer
from sparbot.errors import UserError
from sparbot.parsing import split_options

FOLLOW_UP_WORDS = {
    "mentor": FollowUpKind.MENTOR_MEETING, "mentorsamtale": FollowUpKind.MENTOR_MEETING,
    "arbejdsplads": FollowUpKind.WORKPLACE, "virksomhed": FollowUpKind.WORKPLACE,
    "praktiksted": FollowUpKind.WORKPLACE, "butik": FollowUpKind.WORKPLACE,
    "workplace": FollowUpKind.WORKPLACE, "company": FollowUpKind.WORKPLACE,
}  # fmt: skip


PAID_WORDS = {
    "ja": PaidHoursAnswer.YES, "yes": PaidHoursAnswer.YES,
    "senere": PaidHoursAnswer.LATER, "later": PaidHoursAnswer.LATER,
    "nej": PaidHoursAnswer.NO, "no": PaidHoursAnswer.NO,
    "ikke": PaidHoursAnswer.NOT_RAISED, "not": PaidHoursAnswer.NOT_RAISED,
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class FollowUpForm(CaseCommand):
    verb = Verb.FOLLOW_UP_FORM


@dataclass(frozen=True, kw_only=True)
class LogFollowUp(CaseCommand):
    """A mentor meeting or a workplace follow-up held on a day, and whether paid hours were
    raised (and when they are raised next)."""

    verb = Verb.FOLLOW_UP
    kind: FollowUpKind = FollowUpKind.MENTOR_MEETING
    paid_answer: PaidHoursAnswer = PaidHoursAnswer.NOT_RAISED
    day: date
    next_raise: date | None = None
    note: str | None = None
    goals: tuple[tuple[int, GoalStatus], ...] = ()  # where the agreement's goals stand


def parse_follow_up(rest: list[str], today: date) -> FollowUpForm | LogFollowUp:
    ref, rest = require_ref(rest, "/spar opfølgning ZA mentor")
    keys = {**DATE_KEYS, "løn": "paid", "loen": "paid", "løntimer": "paid", "paid": "paid",
            "note": "note"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return FollowUpForm(ref=ref)
    kind = FollowUpKind.MENTOR_MEETING
    if positional:
        found = FOLLOW_UP_WORDS.get(positional[0].lower())
        if found is None:
            raise UserError("bad_follow_up_kind", text=positional[0])
        kind = found
        positional = positional[1:]
    answer = PaidHoursAnswer.NOT_RAISED
    if "paid" in options:
        found_answer = PAID_WORDS.get(options["paid"].lower())
        if found_answer is None:
            raise UserError("bad_paid_answer", text=options["paid"])
        answer = found_answer
    note = options.get("note") or (" ".join(positional) or None)
    return LogFollowUp(ref=ref, kind=kind, paid_answer=answer,
                       day=date_option(options, ("date", "from"), today) or today,
                       next_raise=date_option(options, ("next",), today), note=note)
