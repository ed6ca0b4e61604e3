"""What went out in the morning digests, and each person's answers to them: a digest
claimed by one process for a person and day (sent once, whatever the replicas), the items
it held, how it ended; a nudge put off or found not relevant."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sparbot.clock import utcnow
from sparbot.enums import DigestStatus
from sparbot.errors import UserError
from sparbot.models import Digest, DigestItem, NudgeSuppression
from sparbot.privacy import ensure_no_cpr
from sparbot.services.nudges import Nudge


def claim_digest(*, session: Session, person_id: int, day: date) -> Digest | None:
    """Claim today's digest for a person; None if some process already has it (or sent it).
    A digest that failed (Slack said no) may be claimed again."""
    try:
        with session.begin_nested():
            digest = Digest(person_id=person_id, day=day, attempts=1, claimed_at=utcnow())
            session.add(digest)
        return digest
    except IntegrityError:
        pass
    claimed = session.execute(
        update(Digest).where(col(Digest.person_id) == person_id, col(Digest.day) == day,
                             col(Digest.status) == DigestStatus.FAILED)
        .values(status=DigestStatus.SENDING, attempts=Digest.attempts + 1,
                claimed_at=utcnow())
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.exec(select(Digest).where(Digest.person_id == person_id,
                                             Digest.day == day)).one()


def record_items(*, session: Session, digest_id: int, nudges: list[Nudge]) -> None:
    for item in session.exec(select(DigestItem).where(DigestItem.digest_id == digest_id)):
        session.delete(item)  # a retried digest records what it sends this time
    for nudge in nudges:
        session.add(DigestItem(digest_id=digest_id, key=nudge.key, kind=nudge.kind.value,
                               case_id=nudge.case.id))


def finish_digest(*, session: Session, digest_id: int, status: DigestStatus,
                  channel_id: str | None = None, message_ts: str | None = None) -> None:
    digest = session.get_one(Digest, digest_id)
    digest.status = status
    if status is DigestStatus.SENT:
        digest.sent_at = utcnow()
        digest.channel_id, digest.message_ts = channel_id, message_ts


def suppress(*, session: Session, person_id: int, subject: str, until: date,
             reason: str | None = None) -> int:
    suppression = NudgeSuppression(person_id=person_id, key=subject, until=until,
                                   reason=reason)
    session.add(suppression)
    session.flush()
    assert suppression.id is not None
    return suppression.id


def give_reason(*, session: Session, suppression_id: int, reason: str) -> None:
    """Why a nudge was not relevant: kept with it, so the team can see it later."""
    reason = reason.strip()
    ensure_no_cpr(reason)
    if len(reason) > 500:
        raise UserError("text_too_long", maximum=500)
    suppression = session.get(NudgeSuppression, suppression_id)
    if suppression is not None:
        suppression.reason = reason
