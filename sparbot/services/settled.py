"""Decisions that answer an agenda reason until a date: "the hours stay as they are until
1 March, so that E has time for therapy". Until then, and while the facts it answered
stand, the agenda and the digests are quiet about that reason; after the date, or once the
hours change or a new placement starts, the reason is raised again."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col

from sparbot.enums import DecisionCategory, DecisionStatus, ReasonCode
from sparbot.errors import UserError
from sparbot.models import Case, Decision
from sparbot.services.snapshots import CaseSnapshot

# The reasons a decision may answer for a while (the others are facts to act on).
SETTLEABLE = (ReasonCode.HOURS_FLAT, ReasonCode.PAID_HOURS, ReasonCode.ATTENDANCE,
              ReasonCode.INTERNSHIP_LENGTH)
# A decision of these categories answers this reason unless it says which.
_BY_CATEGORY = {DecisionCategory.HOURS: ReasonCode.HOURS_FLAT,
                DecisionCategory.PAID_HOURS: ReasonCode.PAID_HOURS,
                DecisionCategory.INTERNSHIP: ReasonCode.INTERNSHIP_LENGTH}
LONGEST = timedelta(days=366)


class Settled(NamedTuple):
    code: ReasonCode
    decided_on: date
    until: date


def settling(*, settles: ReasonCode | None, until: date | None,
             category: DecisionCategory, today: date) -> tuple[ReasonCode | None, date | None]:
    """What a new decision settles and until when, checked: a date needs a reason (or a
    category that names one), a reason needs a date, after today and within a year."""
    if settles is None and until is None:
        return None, None
    if until is None:
        raise UserError("settle_needs_date", field="settled-until")
    if settles is None:
        settles = _BY_CATEGORY.get(category)
        if settles is None:
            raise UserError("settle_needs_reason", field="settles")
    if settles not in SETTLEABLE:
        raise UserError("settle_needs_reason", field="settles")
    if until <= today or until - today > LONGEST:
        raise UserError("settle_date", field="settled-until", today=today)
    return settles, until


def settled_on(*, session: Session, day: date, cases: sa.ColumnElement[bool] | None = None
               ) -> dict[int, list[Settled]]:
    """The active decisions settling a reason on `day`, by case (of the cases `cases`
    selects: a team's). One query."""
    statement = (sa.select(col(Decision.case_id), col(Decision.settles),
                           col(Decision.decided_on), col(Decision.settled_until))
                 .where(col(Decision.status) == DecisionStatus.ACTIVE,
                        col(Decision.settles).is_not(None),
                        col(Decision.settled_until) >= day,
                        col(Decision.decided_on) <= day))
    if cases is not None:
        statement = statement.join(Case, col(Case.id) == Decision.case_id).where(cases)
    found: dict[int, list[Settled]] = defaultdict(list)
    for case_id, code, decided_on, until in session.execute(statement):
        found[case_id].append(Settled(ReasonCode(code), decided_on, until))
    return found


def facts_changed(snapshot: CaseSnapshot, since: date, day: date) -> bool:
    """The hours changed, or a placement started, after `since` (up to `day`)."""
    hours = snapshot.hours_on(day)
    if hours is not None and hours.effective_from > since:
        return True
    return any(since < placement.start_date <= day for placement in snapshot.placements)


def quiet(snapshot: CaseSnapshot, code: ReasonCode, day: date,
          settled: list[Settled] | None) -> Settled | None:
    """The decision keeping this reason quiet on `day`, if one does."""
    for item in settled or ():
        if item.code is code and item.until >= day and \
                not facts_changed(snapshot, item.decided_on, day):
            return item
    return None
