"""`/spar aftale`: the placement agreement, in its form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import CaseCommand, require_ref
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.services.agreements import AgreementInput


@dataclass(frozen=True, kw_only=True)
class AgreementForm(CaseCommand):
    verb = Verb.AGREEMENT_FORM


@dataclass(frozen=True, kw_only=True)
class SaveAgreement(CaseCommand):
    """The form submitted: what it stands for (no one types it)."""

    verb = Verb.AGREEMENT_SAVE
    data: AgreementInput


def parse_agreement(rest: list[str], today: date) -> AgreementForm:
    ref, rest = require_ref(rest, "/spar aftale ZA")
    if rest:  # the agreement is long prose: its form holds it, not a line
        raise UserError("usage", usage="/spar aftale ZA")
    return AgreementForm(ref=ref)
