"""The meeting series in the jobcenter attendees' own calendars, by e-mail: what was last
sent to whom, and what is due now. A first invitation (REQUEST), an update when the series
changes (a higher SEQUENCE), a CANCEL for a meeting called off: each claimed once, so two
replicas never send it twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sparbot.models import CalendarInvitation
from sparbot.services.calendar_feed import exceptions, fingerprint, series_start
from sparbot.services.meetings import MeetingRules


@dataclass(frozen=True)
class Claim:
    invitation_id: int
    email: str
    first: date
    sequence: int
    request: bool  # the whole series, new or changed
    cancel: tuple[date, ...]  # meetings newly called off
    before: tuple[str, int, str] | None  # (fingerprint, sequence, cancelled) to go back to


def claim_invitation(*, session: Session, team_key: str, email: str, rules: MeetingRules,
                     today: date, now: datetime) -> Claim | None:
    """What is due to this attendee, claimed (None: nothing, or another replica has it)."""
    row = session.exec(select(CalendarInvitation).where(
        CalendarInvitation.team_key == team_key, CalendarInvitation.email == email)).first()
    if row is None:
        first = series_start(rules, today)
        _moved, cancelled = exceptions(rules, first, today)
        try:
            with session.begin_nested():
                row = CalendarInvitation(
                    team_key=team_key, email=email, series_start=first, sequence=0,
                    fingerprint=fingerprint(rules, first, today), sent_at=now,
                    cancelled_sent=json.dumps([day.isoformat() for day in cancelled]))
                session.add(row)
        except IntegrityError:
            return None
        assert row.id is not None
        return Claim(row.id, email, first, 0, True, (), None)
    new_print = fingerprint(rules, row.series_start, today)
    _moved, cancelled = exceptions(rules, row.series_start, today)
    sent = set(json.loads(row.cancelled_sent))
    fresh = tuple(day for day in cancelled if day >= today and day.isoformat() not in sent)
    if new_print == row.fingerprint and not fresh:
        return None
    claimed = session.execute(
        update(CalendarInvitation)
        .where(col(CalendarInvitation.id) == row.id,
               col(CalendarInvitation.fingerprint) == row.fingerprint,
               col(CalendarInvitation.cancelled_sent) == row.cancelled_sent)
        .values(fingerprint=new_print, sequence=row.sequence + 1, sent_at=now,
                cancelled_sent=json.dumps(sorted(sent | {day.isoformat() for day in fresh})))
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    assert row.id is not None
    return Claim(row.id, email, row.series_start, row.sequence + 1,
                 new_print != row.fingerprint, fresh,
                 (row.fingerprint, row.sequence, row.cancelled_sent))


def release(*, session: Session, claim: Claim) -> None:
    """The mail server said no: what was claimed is due again at the next run."""
    if claim.before is None:
        row = session.get(CalendarInvitation, claim.invitation_id)
        if row is not None:
            session.delete(row)
        return
    fingerprint_before, sequence, cancelled = claim.before
    session.execute(update(CalendarInvitation)
                    .where(col(CalendarInvitation.id) == claim.invitation_id)
                    .values(fingerprint=fingerprint_before, sequence=sequence,
                            cancelled_sent=cancelled)
                    .execution_options(synchronize_session=False))
