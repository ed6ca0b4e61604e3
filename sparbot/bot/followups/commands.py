"""`/spar opfølgning`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import DATE_KEYS, ParsedCommand, date_option, require_ref
from sparbot.bot.verbs import Verb
from sparbot.enums import FollowUpKind, PaidHoursAnswer
from sparbot.errors import UserError
from sparbot.parsing import (
    split_options,
)

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


def parse_follow_up(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = require_ref(rest, "/spar opfølgning ZA mentor")
    keys = {**DATE_KEYS, "løn": "paid", "loen": "paid", "løntimer": "paid", "paid": "paid",
            "note": "note"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return ParsedCommand(Verb.FOLLOW_UP_FORM, ref=ref)
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
    return ParsedCommand(Verb.FOLLOW_UP, ref=ref, follow_up_kind=kind, paid_answer=answer,
                         day=date_option(options, ("date", "from"), today) or today,
                         next_day=date_option(options, ("next",), today), text=note)
