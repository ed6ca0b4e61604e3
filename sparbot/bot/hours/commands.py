"""`/spar timer`, `/spar praktik`, `/spar forlæng`, `/spar afslut`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import DATE_KEYS, OUTCOME_WORDS, CaseCommand, date_option, require_ref
from sparbot.bot.verbs import Verb
from sparbot.enums import FollowUpCadence, Outcome, PlacementKind
from sparbot.errors import UserError
from sparbot.parsing import (
    PLACEMENT_WORDS,
    WeeklyHours,
    parse_cadence,
    parse_hours,
    parse_person,
    split_options,
    whole_number,
)

_END_WORDS = {"slut", "stop", "afslut", "end"}

@dataclass(frozen=True, kw_only=True)
class HoursForm(CaseCommand):
    verb = Verb.HOURS_FORM


@dataclass(frozen=True, kw_only=True)
class PlacementForm(CaseCommand):
    verb = Verb.PLACEMENT_FORM


@dataclass(frozen=True, kw_only=True)
class RecordHours(CaseCommand):
    """Weekly hours from a day on: internship hours, and paid hours apart."""

    verb = Verb.HOURS
    internship: WeeklyHours
    paid: WeeklyHours | None = None
    day: date


@dataclass(frozen=True, kw_only=True)
class StartPlacement(CaseCommand):
    verb = Verb.PLACEMENT_START
    kind: PlacementKind
    workplace: str
    day: date
    end_day: date | None = None
    next_raise: date | None = None  # when paid hours are raised with the workplace next
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_slack_id: str | None = None  # the supervisor, when they are in Slack
    follow_up_cadence: FollowUpCadence = FollowUpCadence.MONTHLY


@dataclass(frozen=True, kw_only=True)
class SetFollowUpCadence(CaseCommand):
    """How often the current placement's workplace is followed up, agreed later."""

    verb = Verb.PLACEMENT_CADENCE
    follow_up_cadence: FollowUpCadence


@dataclass(frozen=True, kw_only=True)
class EndPlacement(CaseCommand):
    verb = Verb.PLACEMENT_END
    end_day: date


@dataclass(frozen=True, kw_only=True)
class Extend(CaseCommand):
    verb = Verb.EXTEND
    weeks: int
    reason: str | None = None
    day: date


@dataclass(frozen=True, kw_only=True)
class Close(CaseCommand):
    verb = Verb.CLOSE
    outcome: Outcome
    day: date


def parse_placement(rest: list[str], today: date
                    ) -> PlacementForm | EndPlacement | StartPlacement | SetFollowUpCadence:
    ref, rest = require_ref(rest, "/spar praktik ZA")
    keys = {**DATE_KEYS, "kontakt": "contact", "contact": "contact", "email": "email",
            "e-mail": "email", "mail": "email", "tlf": "phone", "telefon": "phone",
            "phone": "phone", "opfølgning": "cadence", "opfolgning": "cadence",
            "followup": "cadence"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return PlacementForm(ref=ref)
    cadence = parse_cadence(options["cadence"]) if "cadence" in options else None
    if not positional and cadence is not None and set(options) == {"cadence"}:
        return SetFollowUpCadence(ref=ref, follow_up_cadence=cadence)
    if positional and positional[0].lower() in _END_WORDS:
        end = date_option(options, ("to", "date", "from"), today) or today
        return EndPlacement(ref=ref, end_day=end)
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
    return StartPlacement(
        ref=ref, kind=kind, workplace=workplace,
        day=date_option(options, ("from", "date"), today) or today,
        end_day=date_option(options, ("to",), today),
        next_raise=date_option(options, ("next",), today),
        contact_name=contact, contact_email=options.get("email"),
        contact_phone=options.get("phone"), contact_slack_id=contact_slack_id,
        follow_up_cadence=cadence or FollowUpCadence.MONTHLY)


def parse_hours_command(rest: list[str], today: date) -> HoursForm | RecordHours:
    ref, rest = require_ref(rest, "/spar timer ZA 3x3")
    keys = {**DATE_KEYS, "lønnet": "paid", "loennet": "paid", "løn": "paid",
            "paid": "paid", "ordinære": "paid"}
    positional, options = split_options(rest, keys)
    if not positional and not options:
        return HoursForm(ref=ref)
    hours_text = " ".join(positional)
    internship = parse_hours(hours_text) if hours_text else parse_hours("0")
    paid = parse_hours(options["paid"]) if "paid" in options else None
    if internship.total + (paid.total if paid else 0) > 60:
        raise UserError("hours_out_of_range", text=f"{hours_text} + {options.get('paid')}",
                        maximum=60)
    return RecordHours(ref=ref, internship=internship, paid=paid,
                       day=date_option(options, ("from", "date"), today) or today)


def parse_extend(rest: list[str], today: date) -> Extend:
    ref, rest = require_ref(rest, "/spar forlæng ZA 13")
    keys = {**DATE_KEYS, "begrundelse": "reason", "reason": "reason", "note": "reason"}
    positional, options = split_options(rest, keys)
    if not positional:
        raise UserError("usage", usage="/spar forlæng ZA 13")
    weeks_text = positional[0].lower().removesuffix("uger").removesuffix("weeks").strip()
    weeks = whole_number(weeks_text, error="bad_extension_weeks")
    reason = options.get("reason") or (" ".join(positional[1:]) or None)
    return Extend(ref=ref, weeks=weeks, reason=reason,
                  day=date_option(options, ("date", "from"), today) or today)


def parse_close(rest: list[str], today: date) -> Close:
    ref, rest = require_ref(rest, "/spar afslut ZA fleksjob")
    positional, options = split_options(rest, dict(DATE_KEYS))
    if not positional:
        raise UserError("usage", usage="/spar afslut ZA fleksjob")
    outcome = OUTCOME_WORDS.get(positional[0].lower())
    if outcome is None:
        raise UserError("bad_outcome", text=positional[0], known=sorted(OUTCOME_WORDS))
    return Close(ref=ref, outcome=outcome,
                 day=date_option(options, ("date", "from", "to"), today) or today)
