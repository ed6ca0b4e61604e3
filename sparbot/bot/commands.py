"""`/spar` text → a typed command. Pure: no Slack, no database; raises UserError."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.verbs import Verb
from sparbot.enums import DecisionCategory, FollowUpKind, Outcome, PaidHoursAnswer, PlacementKind
from sparbot.errors import UserError
from sparbot.parsing import (
    WeeklyHours,
    clean_text,
    parse_date,
    parse_hours,
    parse_person,
    split_options,
    split_words,
)
from sparbot.privacy import ensure_no_cpr

_SUBCOMMANDS = {
    "sag": "case", "case": "case",
    "sager": "cases", "cases": "cases",
    "praktik": "placement", "placement": "placement",
    "timer": "hours", "hours": "hours",
    "opfølgning": "follow-up", "opfolgning": "follow-up", "followup": "follow-up",
    "follow-up": "follow-up",
    "forlæng": "extend", "forlaeng": "extend", "extend": "extend",
    "afslut": "close", "close": "close",
    "hjælp": "help", "hjaelp": "help", "help": "help",
    "dagsorden": "agenda", "agenda": "agenda",
    "deltagere": "attendance", "attendance": "attendance",
    "beslut": "decide", "decide": "decide", "beslutning": "decide", "decision": "decide",
    "beslutninger": "decisions", "decisions": "decisions",
    "eksport": "export", "eksportér": "export", "export": "export",
    "rapport": "report", "report": "report",
    "fravær": "away", "fravaer": "away", "away": "away", "ferie": "away",
    "påmindelser": "nudges", "paamindelser": "nudges", "nudges": "nudges",
    "reminders": "nudges",
}  # fmt: skip

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

PLACEMENT_WORDS = {
    "butik": PlacementKind.OWN_SHOP, "shop": PlacementKind.OWN_SHOP,
    "virksomhed": PlacementKind.COMPANY_INTERNSHIP, "company": PlacementKind.COMPANY_INTERNSHIP,
    "virksomhedspraktik": PlacementKind.COMPANY_INTERNSHIP,
    "løn": PlacementKind.PAID_HOURS, "løntimer": PlacementKind.PAID_HOURS,
    "paid": PlacementKind.PAID_HOURS,
    "hybrid": PlacementKind.HYBRID,
    "fleksjob": PlacementKind.FLEX_JOB, "fleks": PlacementKind.FLEX_JOB,
    "flexjob": PlacementKind.FLEX_JOB, "flex": PlacementKind.FLEX_JOB,
    "ansat": PlacementKind.EMPLOYMENT, "ansættelse": PlacementKind.EMPLOYMENT,
    "employed": PlacementKind.EMPLOYMENT, "employment": PlacementKind.EMPLOYMENT,
}  # fmt: skip

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

_ADD_WORDS = {"ny", "new", "add", "opret"}
_END_WORDS = {"slut", "stop", "afslut", "end"}
_MINE_WORDS = {"mine", "mig", "mine-sager", "me"}


@dataclass(frozen=True)
class ParsedCommand:
    verb: Verb
    ref: str | None = None
    mine: bool = False
    page: int = 1
    internship: WeeklyHours | None = None
    paid: WeeklyHours | None = None
    day: date | None = None
    end_day: date | None = None
    next_day: date | None = None
    kind: PlacementKind | None = None
    follow_up_kind: FollowUpKind | None = None
    paid_answer: PaidHoursAnswer = PaidHoursAnswer.NOT_RAISED
    workplace: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    weeks: int | None = None
    outcome: Outcome | None = None
    text: str | None = None
    present: bool | None = None
    owners: tuple[str, ...] = ()
    jobcenter_owner: bool = False
    category: DecisionCategory | None = None
    agreed: bool | None = None
    contact_slack_id: str | None = None
    present_users: tuple[str, ...] = ()


def parse_command(text: str, *, today: date) -> ParsedCommand:
    text = clean_text(text)
    ensure_no_cpr(text)
    words = split_words(text)
    if not words:
        return ParsedCommand(Verb.HELP)
    head = _SUBCOMMANDS.get(words[0].lower())
    rest = words[1:]
    if head is None:
        raise UserError("unknown_command", word=words[0])
    if head == "help":
        return ParsedCommand(Verb.HELP)
    if head == "case":
        if not rest or rest[0].lower() in _ADD_WORDS:
            return ParsedCommand(Verb.CASE_ADD)
        return ParsedCommand(Verb.CASE_SHOW, ref=rest[0])
    if head == "cases":
        return _parse_roster(rest)
    if head == "agenda":
        return _parse_agenda(rest)
    if head == "attendance":
        return _parse_attendance(rest)
    if head == "decide":
        return _parse_decide(rest, today)
    if head == "decisions":
        return _parse_decisions(rest)
    if head == "export":
        return _parse_export(rest, today)
    if head == "away":
        return _parse_away(rest, today)
    if head == "nudges":
        return _parse_nudge_settings(rest)
    if head == "report":
        ref, _rest = _require_ref(rest, "/spar rapport ZA")
        return ParsedCommand(Verb.REPORT, ref=ref)
    parser = {"placement": _parse_placement, "hours": _parse_hours,
              "follow-up": _parse_follow_up, "extend": _parse_extend,
              "close": _parse_close}[head]
    return parser(rest, today)


_AGENDA_ADD_WORDS = {"tilføj", "tilfoej", "add", "sæt", "ny", "new"}
_AGENDA_POST_WORDS = {"post", "send", "udsend"}
_YES = {"ja", "yes", "til", "tilstede", "present", "deltager", "med"}
_NO = {"nej", "no", "fraværende", "fravaerende", "absent", "væk", "away"}


def _parse_agenda(rest: list[str]) -> ParsedCommand:
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


def _parse_attendance(rest: list[str]) -> ParsedCommand:
    words = [word.lower() for word in rest if word.lower() not in ("jobcenter", "jobcentret")]
    if words and words[0] in _YES:
        return ParsedCommand(Verb.ATTENDANCE, present=True)
    if words and words[0] in _NO:
        return ParsedCommand(Verb.ATTENDANCE, present=False)
    raise UserError("usage", usage="/spar deltagere jobcenter ja")


_OWNER_KEYS = ("ansvarlig:", "ansvarlige:", "owner:", "owners:")


def _parse_decide(rest: list[str], today: date) -> ParsedCommand:
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
        if answer in _YES | {"enig", "agree", "agrees"}:
            agreed = True
        elif answer in _NO | {"uenig", "disagree"}:
            agreed = False
    return ParsedCommand(Verb.DECIDE, ref=ref, text=text, owners=tuple(owners),
                         jobcenter_owner=jobcenter_owner, category=category, weeks=weeks,
                         outcome=outcome, agreed=agreed, present_users=tuple(present),
                         day=_date_option(options, ("due",), today))


def _parse_away(rest: list[str], today: date) -> ParsedCommand:
    positional, options = split_options(rest, dict(_DATE_KEYS))
    dates = [*positional, *(options[key] for key in ("from", "to") if key in options)]
    if len(dates) != 2:
        raise UserError("usage", usage="/spar fravær 1/12 5/12")
    return ParsedCommand(Verb.AWAY, day=parse_date(dates[0], today=today),
                         end_day=parse_date(dates[1], today=today))


def _parse_nudge_settings(rest: list[str]) -> ParsedCommand:
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
    return ParsedCommand(Verb.NUDGE_SETTINGS, text=options.get("at"), present=paused)


EXPORT_FORMATS = ("csv", "xlsx", "md", "json")


def _parse_export(rest: list[str], today: date) -> ParsedCommand:
    keys = {**_DATE_KEYS, "format": "format", "formát": "format"}
    positional, options = split_options(rest, keys)
    fmt = options.get("format", "xlsx").lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise UserError("bad_export_format", text=fmt, known=list(EXPORT_FORMATS))
    verb = Verb.EXPORT if positional else Verb.EXPORT_ALL  # the whole log is for admins
    return ParsedCommand(verb, ref=positional[0] if positional else None, text=fmt,
                         day=_date_option(options, ("from",), today),
                         end_day=_date_option(options, ("to",), today))


def _parse_decisions(rest: list[str]) -> ParsedCommand:
    if not rest:
        return ParsedCommand(Verb.DECISIONS)
    word = rest[0].lower()
    if word in _MINE_WORDS:
        return ParsedCommand(Verb.DECISIONS, mine=True)
    if word in ("åbne", "aabne", "open"):
        return ParsedCommand(Verb.DECISIONS, text="open")
    return ParsedCommand(Verb.DECISIONS, ref=rest[0])


def _parse_roster(rest: list[str]) -> ParsedCommand:
    mine = any(word.lower() in _MINE_WORDS for word in rest)
    page = next((int(word) for word in rest if word.isdigit()), 1)
    return ParsedCommand(Verb.ROSTER, mine=mine, page=page)


def _require_ref(rest: list[str], usage: str) -> tuple[str, list[str]]:
    if not rest:
        raise UserError("missing_ref", usage=usage)
    return rest[0], rest[1:]


_DATE_KEYS = {"fra": "from", "from": "from", "dato": "date", "date": "date",
              "til": "to", "to": "to", "næste": "next", "naeste": "next", "next": "next"}


def _parse_placement(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = _require_ref(rest, "/spar praktik ZA")
    keys = {**_DATE_KEYS, "kontakt": "contact", "contact": "contact", "email": "email",
            "e-mail": "email", "mail": "email", "tlf": "phone", "telefon": "phone",
            "phone": "phone"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return ParsedCommand(Verb.PLACEMENT_FORM, ref=ref)
    if positional and positional[0].lower() in _END_WORDS:
        end = _date_option(options, ("to", "date", "from"), today) or today
        return ParsedCommand(Verb.PLACEMENT_END, ref=ref, end_day=end)
    if not positional:
        raise UserError("usage", usage="/spar praktik ZA virksomhed Solbakken fra:4/10")
    kind = PLACEMENT_WORDS.get(positional[0].lower())
    if kind is None:
        raise UserError("bad_kind", text=positional[0], known=sorted(PLACEMENT_WORDS))
    workplace = " ".join(positional[1:]).strip()
    if not workplace:
        raise UserError("missing_workplace")
    contact = options.get("contact")
    contact_slack_id = None
    if contact and contact.startswith("<@"):  # the supervisor is in Slack
        contact_slack_id, _email = parse_person(contact)
        contact = None
    return ParsedCommand(
        Verb.PLACEMENT_START, ref=ref, kind=kind, workplace=workplace,
        day=_date_option(options, ("from", "date"), today) or today,
        end_day=_date_option(options, ("to",), today),
        next_day=_date_option(options, ("next",), today),
        contact_name=contact, contact_email=options.get("email"),
        contact_phone=options.get("phone"), contact_slack_id=contact_slack_id)


def _date_option(options: dict[str, str], names: tuple[str, ...], today: date) -> date | None:
    for name in names:
        if name in options:
            return parse_date(options[name], today=today)
    return None


def _parse_hours(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = _require_ref(rest, "/spar timer ZA 3x3")
    keys = {**_DATE_KEYS, "lønnet": "paid", "loennet": "paid", "løn": "paid",
            "paid": "paid", "ordinære": "paid"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return ParsedCommand(Verb.HOURS_FORM, ref=ref)
    hours_text = " ".join(positional)
    internship = parse_hours(hours_text) if hours_text else parse_hours("0")
    paid = parse_hours(options["paid"]) if "paid" in options else None
    if internship.total + (paid.total if paid else 0) > 60:
        raise UserError("hours_out_of_range", text=f"{hours_text} + {options.get('paid')}",
                        maximum=60)
    return ParsedCommand(Verb.HOURS, ref=ref, internship=internship, paid=paid,
                         day=_date_option(options, ("from", "date"), today) or today)


def _parse_follow_up(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = _require_ref(rest, "/spar opfølgning ZA mentor")
    keys = {**_DATE_KEYS, "løn": "paid", "loen": "paid", "løntimer": "paid", "paid": "paid",
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
                         day=_date_option(options, ("date", "from"), today) or today,
                         next_day=_date_option(options, ("next",), today), text=note)


def _parse_extend(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = _require_ref(rest, "/spar forlæng ZA 13")
    keys = {**_DATE_KEYS, "begrundelse": "reason", "reason": "reason", "note": "reason"}
    positional, options = split_options(rest, keys)
    if not positional:
        raise UserError("usage", usage="/spar forlæng ZA 13")
    weeks_text = positional[0].lower().removesuffix("uger").removesuffix("weeks").strip()
    if not weeks_text.isdigit():
        raise UserError("bad_extension_weeks", text=positional[0])
    reason = options.get("reason") or (" ".join(positional[1:]) or None)
    return ParsedCommand(Verb.EXTEND, ref=ref, weeks=int(weeks_text), text=reason,
                         day=_date_option(options, ("date", "from"), today) or today)


def _parse_close(rest: list[str], today: date) -> ParsedCommand:
    ref, rest = _require_ref(rest, "/spar afslut ZA fleksjob")
    positional, options = split_options(rest, dict(_DATE_KEYS))
    if not positional:
        raise UserError("usage", usage="/spar afslut ZA fleksjob")
    outcome = OUTCOME_WORDS.get(positional[0].lower())
    if outcome is None:
        raise UserError("bad_outcome", text=positional[0], known=sorted(OUTCOME_WORDS))
    return ParsedCommand(Verb.CLOSE, ref=ref, outcome=outcome,
                         day=_date_option(options, ("date", "from", "to"), today) or today)
