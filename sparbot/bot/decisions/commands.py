"""`/spar beslut` and `/spar beslutninger`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import MINE_WORDS, NO, OUTCOME_WORDS, YES, ParsedCommand, date_option
from sparbot.bot.verbs import Verb
from sparbot.enums import DecisionCategory
from sparbot.errors import UserError
from sparbot.parsing import (
    parse_person,
    split_options,
)

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


_OWNER_KEYS = ("ansvarlig:", "ansvarlige:", "owner:", "owners:")


def parse_decide(rest: list[str], today: date) -> ParsedCommand:
    if not rest:
        return ParsedCommand(Verb.DECISION_FORM)
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
        for part in filter(None, value.split(",")):
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
            for part in filter(None, value.split(",")):
                slack_id, _email = parse_person(part)
                if slack_id is None:
                    raise UserError("bad_person", text=part)
                present.append(slack_id)
        else:
            kept.append(word)
    words = kept
    keys = {"frist": "due", "due": "due", "kategori": "category", "category": "category",
            "uger": "weeks", "weeks": "weeks", "udfald": "outcome", "outcome": "outcome",
            "jobcenter": "agreed", "enig": "agreed", "agreed": "agreed"}
    positional, options = split_options(words, keys)
    text = " ".join(positional).strip()
    if not text:
        return ParsedCommand(Verb.DECISION_FORM, ref=ref)
    category = None
    if "category" in options:
        category = CATEGORY_WORDS.get(options["category"].lower())
        if category is None:
            raise UserError("bad_category", text=options["category"],
                            known=sorted(CATEGORY_WORDS))
    weeks = None
    if "weeks" in options:
        if not options["weeks"].isdigit():
            raise UserError("bad_extension_weeks", text=options["weeks"])
        weeks = int(options["weeks"])
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
    return ParsedCommand(Verb.DECIDE, ref=ref, text=text, owners=tuple(owners),
                         jobcenter_owner=jobcenter_owner, category=category, weeks=weeks,
                         outcome=outcome, agreed=agreed, present_users=tuple(present),
                         day=date_option(options, ("due",), today))


def parse_decisions(rest: list[str], today: date) -> ParsedCommand:
    if not rest:
        return ParsedCommand(Verb.DECISIONS)
    word = rest[0].lower()
    if word in MINE_WORDS:
        return ParsedCommand(Verb.DECISIONS, mine=True)
    if word in ("åbne", "aabne", "open"):
        return ParsedCommand(Verb.DECISIONS, text="open")
    return ParsedCommand(Verb.DECISIONS, ref=rest[0])
