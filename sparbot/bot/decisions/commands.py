"""`/spar beslut` and `/spar beslutninger`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import (
    MINE_WORDS,
    NO,
    OUTCOME_WORDS,
    YES,
    CaseCommand,
    Command,
    date_option,
)
from sparbot.bot.verbs import Verb
from sparbot.enums import DecisionCategory, Outcome, ReasonCode
from sparbot.errors import UserError
from sparbot.parsing import parse_date, parse_person, split_options, whole_number

CATEGORY_WORDS = {
    "praktik": DecisionCategory.INTERNSHIP, "internship": DecisionCategory.INTERNSHIP,
    "timer": DecisionCategory.HOURS, "timetal": DecisionCategory.HOURS,
    "hours": DecisionCategory.HOURS,
    "løntimer": DecisionCategory.PAID_HOURS, "løn": DecisionCategory.PAID_HOURS,
    "paid": DecisionCategory.PAID_HOURS,
    "forlængelse": DecisionCategory.EXTENSION, "forlæng": DecisionCategory.EXTENSION,
    "extension": DecisionCategory.EXTENSION,
    "speciallæge": DecisionCategory.SPECIALIST_STATEMENT,
    "speciallægeerklæring": DecisionCategory.SPECIALIST_STATEMENT,
    "specialist": DecisionCategory.SPECIALIST_STATEMENT,
    "afklaring": DecisionCategory.WORK_CAPACITY, "arbejdsevne": DecisionCategory.WORK_CAPACITY,
    "clarification": DecisionCategory.WORK_CAPACITY,
    "afslutning": DecisionCategory.CLOSING, "closing": DecisionCategory.CLOSING,
    "andet": DecisionCategory.OTHER, "other": DecisionCategory.OTHER,
}  # fmt: skip


# The agenda reason a decision answers until `indtil:` ("om:timer indtil:1/3").
SETTLE_WORDS = {
    "timer": ReasonCode.HOURS_FLAT, "timetal": ReasonCode.HOURS_FLAT,
    "hours": ReasonCode.HOURS_FLAT,
    "løntimer": ReasonCode.PAID_HOURS, "løn": ReasonCode.PAID_HOURS,
    "paid": ReasonCode.PAID_HOURS,
    "fremmøde": ReasonCode.ATTENDANCE, "fremmode": ReasonCode.ATTENDANCE,
    "attendance": ReasonCode.ATTENDANCE,
    "praktik": ReasonCode.INTERNSHIP_LENGTH, "praktiklængde": ReasonCode.INTERNSHIP_LENGTH,
    "internship": ReasonCode.INTERNSHIP_LENGTH,
}  # fmt: skip


_OWNER_KEYS = ("ansvarlig:", "ansvarlige:", "owner:", "owners:")


@dataclass(frozen=True, kw_only=True)
class Decide(CaseCommand):
    """A decision with its owners and due date; an extension's weeks or a closing's outcome
    change the course itself."""

    verb = Verb.DECIDE
    text: str
    owners: tuple[str, ...] = ()  # Slack ids
    jobcenter_owner: bool = False
    category: DecisionCategory | None = None
    weeks: int | None = None
    outcome: Outcome | None = None
    agreed: bool | None = None  # the jobcenter's agreement, if said
    present: tuple[str, ...] = ()  # Slack ids of those at the table
    due: date | None = None
    settles: ReasonCode | None = None
    settled_until: date | None = None


@dataclass(frozen=True, kw_only=True)
class DecisionForm(Command):
    verb = Verb.DECISION_FORM
    ref: str | None = None

    @property
    def case_ref(self) -> str | None:
        return self.ref


@dataclass(frozen=True, kw_only=True)
class ListDecisions(Command):
    """The latest decisions: on one case, the person's own open actions, or all open."""

    verb = Verb.DECISIONS
    ref: str | None = None
    mine: bool = False
    open_only: bool = False

    @property
    def case_ref(self) -> str | None:
        return self.ref


def parse_decide(rest: list[str], today: date) -> Decide | DecisionForm:
    if not rest:
        return DecisionForm()
    ref, rest = rest[0], rest[1:]
    owners: list[str] = []
    jobcenter_owner = False
    words: list[str] = []
    taking_owners = False
    for word in rest:
        lowered = word.lower()
        value = next((word[len(key):] for key in _OWNER_KEYS if lowered.startswith(key)), None)
        if value is None and taking_owners and (word.startswith("<@") or
                                                lowered in ("jobcenter", "jobcentret")):
            value = word
        if value is None:
            taking_owners = False
            words.append(word)
            continue
        taking_owners = True
        for part in filter(None, (part.strip() for part in value.split(","))):
            if part.lower() in ("jobcenter", "jobcentret"):
                jobcenter_owner = True
            else:
                slack_id, _email = parse_person(part)
                if slack_id is None:
                    raise UserError("bad_person", text=part)
                owners.append(slack_id)
    present: list[str] = []
    kept: list[str] = []
    for word in words:  # til_stede:@a,@b / present:@a,@b
        key, sep, value = word.partition(":")
        if sep and key.lower() in ("tilstede", "til_stede", "present", "deltagere"):
            for part in filter(None, (part.strip() for part in value.split(","))):
                slack_id, _email = parse_person(part)
                if slack_id is None:
                    raise UserError("bad_person", text=part)
                present.append(slack_id)
        else:
            kept.append(word)
    words = kept
    # Only known option words are options, and a "key: value" written as prose (a space
    # after the colon, a value that is no such option's) is text, kept as typed.
    positional = [word for word in words if not _is_option(word, today)]
    _text, options = split_options([word for word in words if _is_option(word, today)],
                                   _DECISION_KEYS)
    text = " ".join(positional).strip()
    if not text:
        return DecisionForm(ref=ref)
    category = None
    if "category" in options:
        category = CATEGORY_WORDS.get(options["category"].lower())
        if category is None:
            raise UserError("bad_category", text=options["category"],
                            known=sorted(CATEGORY_WORDS))
    weeks = None
    if "weeks" in options:
        weeks = whole_number(options["weeks"], error="bad_extension_weeks")
        category = category or DecisionCategory.EXTENSION
    outcome = None
    if "outcome" in options:
        outcome = OUTCOME_WORDS.get(options["outcome"].lower())
        if outcome is None:
            raise UserError("bad_outcome", text=options["outcome"], known=sorted(OUTCOME_WORDS))
        category = category or DecisionCategory.CLOSING
    agreed = None
    if "agreed" in options:
        answer = options["agreed"].lower()
        if answer in YES | {"enig", "agree", "agrees"}:
            agreed = True
        elif answer in NO | {"uenig", "disagree"}:
            agreed = False
    settles = None
    if "settles" in options:
        settles = SETTLE_WORDS.get(options["settles"].lower())
        if settles is None:
            raise UserError("bad_settles", text=options["settles"])
    return Decide(ref=ref, text=text, owners=tuple(owners), jobcenter_owner=jobcenter_owner,
                  category=category, weeks=weeks, outcome=outcome, agreed=agreed,
                  present=tuple(present), due=date_option(options, ("due",), today),
                  settles=settles, settled_until=date_option(options, ("until",), today))


_DECISION_KEYS = {"frist": "due", "due": "due", "kategori": "category",
                  "category": "category", "uger": "weeks", "weeks": "weeks",
                  "udfald": "outcome", "outcome": "outcome", "jobcenter": "agreed",
                  "enig": "agreed", "agreed": "agreed", "indtil": "until",
                  "until": "until", "om": "settles", "about": "settles"}
_AGREEMENT = YES | NO | {"enig", "agree", "agrees", "uenig", "disagree"}


def _is_option(word: str, today: date) -> bool:
    """Whether a word of a decision's text is one of its options."""
    key, sep, value = word.partition(":")
    canonical = _DECISION_KEYS.get(key.lower()) if sep else None
    if canonical is None:
        return False  # "Mål: 10 timer", a link, a time of day: the decision's words
    if not value.startswith(" "):
        return True  # `uger:13`: an option, and a mistake in it is said
    return _fits(canonical, value.strip(), today)


def _fits(option: str, value: str, today: date) -> bool:
    if option == "weeks":
        return value.isascii() and value.isdigit() and len(value) <= 4
    if option == "category":
        return value.lower() in CATEGORY_WORDS
    if option == "outcome":
        return value.lower() in OUTCOME_WORDS
    if option == "agreed":
        return value.lower() in _AGREEMENT
    if option == "settles":
        return value.lower() in SETTLE_WORDS
    try:
        parse_date(value, today=today)
    except UserError:
        return False
    return True


def parse_decisions(rest: list[str], today: date) -> ListDecisions:
    if not rest:
        return ListDecisions()
    word = rest[0].lower()
    if word in MINE_WORDS:
        return ListDecisions(mine=True, open_only=True)
    if word in ("åbne", "aabne", "open"):
        return ListDecisions(open_only=True)
    return ListDecisions(ref=rest[0])
