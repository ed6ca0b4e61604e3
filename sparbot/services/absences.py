"""Staff away (holiday, illness), and each person's own nudge settings."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import Session, col, select

from sparbot.errors import UserError
from sparbot.models import Absence, NudgePreference


def record_absence(*, session: Session, person_id: int, starts_on: date, ends_on: date,
                   actor: str | None, today: date, stand_in_id: int | None = None) -> Absence:
    """A person away from one day to another (both included); their stand-in, if named,
    gets their nudges meanwhile."""
    if stand_in_id is not None and stand_in_id == person_id:
        raise UserError("stand_in_self")
    if ends_on < starts_on:
        raise UserError("end_before_start")
    if ends_on < today:
        raise UserError("absence_in_past")
    if (ends_on - starts_on).days > 366:
        raise UserError("date_too_far")
    absence = Absence(person_id=person_id, starts_on=starts_on, ends_on=ends_on,
                      stand_in_id=stand_in_id, recorded_by=actor)
    session.add(absence)
    session.flush()
    return absence


def away_on(*, session: Session, day: date) -> dict[int, Absence]:
    """Everyone away on a day, with their absence."""
    return {absence.person_id: absence for absence in session.exec(
        select(Absence).where(Absence.starts_on <= day, Absence.ends_on >= day)
        .order_by(col(Absence.ends_on)))}


def starting_between(*, session: Session, after: date, until: date) -> list[Absence]:
    """Absences that begin after `after` and on or before `until`, soonest first."""
    return list(session.exec(select(Absence).where(
        col(Absence.starts_on) > after, col(Absence.starts_on) <= until)
        .order_by(col(Absence.starts_on), col(Absence.id))))


def not_over(*, session: Session, day: date) -> list[Absence]:
    """Every absence not ended before `day` (a small table: people's holidays)."""
    return list(session.exec(select(Absence).where(col(Absence.ends_on) >= day)
                             .order_by(col(Absence.starts_on), col(Absence.id))))


def long_absences(*, session: Session, day: date, longer_than: timedelta = timedelta(weeks=1)
                  ) -> dict[int, Absence]:
    return {person_id: absence for person_id, absence in away_on(session=session,
                                                                 day=day).items()
            if absence.ends_on - max(absence.starts_on, day) >= longer_than}


def set_preference(*, session: Session, person_id: int, send_at: str | None,
                   paused: bool | None, default_send_at: str) -> NudgePreference:
    preference = session.get(NudgePreference, person_id)
    if preference is None:
        preference = NudgePreference(person_id=person_id, send_at=default_send_at)
        session.add(preference)
    if send_at is not None:
        found = re.fullmatch(r"(\d{1,2})[:.]?(\d{2})?", send_at.strip())
        hour = int(found.group(1)) if found else -1
        minute = int(found.group(2) or 0) if found else -1
        if not (6 <= hour <= 17 and 0 <= minute <= 59):
            raise UserError("bad_nudge_time", text=send_at)
        preference.send_at = f"{hour:02d}:{minute:02d}"
    if paused is not None:
        preference.paused = paused
    session.flush()
    return preference
