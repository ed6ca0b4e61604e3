"""The outbox's bookkeeping: a message is queued in the transaction of the change it
reports; one process at a time claims it, sends it and records the outcome. No Slack here
(sparbot.bot.delivery sends)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from sparbot.clock import utcnow
from sparbot.enums import OutboxStatus
from sparbot.models import OutboxMessage

POST = "chat.postMessage"
UPDATE = "chat.update"
# Waits between attempts: a few quick ones (Slack's 5xx are often brief), then slower.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
           timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20),
           timedelta(minutes=30))
MAX_ATTEMPTS = 12  # about four hours of trying, then a person is told
MARKER_PREFIX = "sparbot-out-"  # sparbot.bot.markers finds these in a channel's history


def outbox_marker(message_id: int) -> str:
    return f"{MARKER_PREFIX}{message_id}"


@dataclass(frozen=True)
class Queued:
    id: int
    kind: str


def enqueue(*, session: Session, kind: str, text: str, blocks: list[dict[str, Any]],
            channel_id: str | None, subject_id: int | None = None,
            case_id: int | None = None, method: str = POST, message_ts: str | None = None,
            thread_ts: str | None = None, after: int | None = None,
            batch: int | None = None, reply_in_thread: bool = False,
            broadcast: bool = False, private_only: bool = False,
            fallback_user: str | None = None, notify: list[str] | None = None) -> Queued:
    """Queue a message in the caller's transaction: it is sent only if the change commits.
    Its first block carries the marker by which a replica finds it in Slack's history."""
    message = OutboxMessage(kind=kind, subject_id=subject_id, case_id=case_id, method=method,
                            channel_id=channel_id, message_ts=message_ts, thread_ts=thread_ts,
                            after_id=after, batch_id=batch,
                            reply_in_thread=reply_in_thread,
                            private_only=private_only, fallback_user=fallback_user,
                            notify=",".join(notify) if notify else None,
                            next_attempt_at=utcnow())
    session.add(message)
    session.flush()
    assert message.id is not None
    if blocks and method == POST:
        blocks = [{**blocks[0], "block_id": outbox_marker(message.id)}, *blocks[1:]]
    payload: dict[str, Any] = {"text": text, "blocks": blocks}
    if broadcast:  # a thread reply shown in the channel too
        payload["reply_broadcast"] = True
    message.payload = json.dumps(payload, ensure_ascii=False)
    return Queued(message.id, kind)


def queue_edit(*, session: Session, kind: str, channel: str, ts: str, text: str,
               blocks: list[dict[str, Any]], clicked_by: str,
               case_id: int | None = None) -> Queued:
    """A message changed in place (a button's effect shown where it was clicked); the
    person who clicked is told if Slack will never take it."""
    return enqueue(session=session, kind=kind, method=UPDATE, channel_id=channel,
                   message_ts=ts, text=text, blocks=blocks, case_id=case_id,
                   notify=[clicked_by])


def supersede(*, session: Session, kind: str, subject_id: int) -> None:
    """Drop the updates of a subject still waiting: a newer one carries what they said."""
    session.execute(update(OutboxMessage).where(
        col(OutboxMessage.kind) == kind, col(OutboxMessage.subject_id) == subject_id,
        col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENT, payload=None, last_error="superseded")
        .execution_options(synchronize_session=False))


def latest(*, session: Session, kind: str, subject_id: int) -> OutboxMessage | None:
    return session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.subject_id == subject_id)
        .order_by(col(OutboxMessage.id).desc())).first()


def due(*, session: Session, now: datetime, limit: int) -> list[tuple[int, str | None]]:
    """Messages to send now (with their channel), oldest first, whose predecessor (if
    any) is sent."""
    before = OutboxMessage.__table__.alias("before")  # type: ignore[attr-defined]
    ready = or_(col(OutboxMessage.after_id).is_(None), col(OutboxMessage.after_id).in_(
        select(before.c.id).where(before.c.status == OutboxStatus.SENT.value)))
    rows = session.exec(select(OutboxMessage.id, OutboxMessage.channel_id).where(
        col(OutboxMessage.status) == OutboxStatus.PENDING,
        col(OutboxMessage.next_attempt_at) <= now, ready)
        .order_by(col(OutboxMessage.id)).limit(limit))
    return [(int(message_id or 0), channel) for message_id, channel in rows]


def claim(*, session: Session, message_id: int, now_anyway: bool = False
          ) -> OutboxMessage | None:
    """Take a pending message to send it (when due, or `now_anyway`: a person asked).
    Exactly one process gets it; commit before sending so that every other process sees
    the claim."""
    now = utcnow()
    due_now = () if now_anyway else (col(OutboxMessage.next_attempt_at) <= now,)
    claimed = session.execute(update(OutboxMessage).where(
        col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == OutboxStatus.PENDING,
        *due_now)
        .values(status=OutboxStatus.SENDING, claimed_at=now,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxMessage, message_id)  # a new session: read as claimed


def predecessor(*, session: Session, message: OutboxMessage) -> OutboxMessage | None:
    return session.get(OutboxMessage, message.after_id) if message.after_id else None


def mark_sent(*, session: Session, message_id: int, channel: str, ts: str) -> OutboxMessage:
    message = session.get_one(OutboxMessage, message_id)
    message.status, message.sent_channel, message.sent_ts = OutboxStatus.SENT, channel, ts
    message.sent_at, message.payload, message.last_error = utcnow(), None, None
    return message


def mark_retry(*, session: Session, message_id: int, error: str,
               wait: timedelta | None = None) -> OutboxMessage:
    """Slack did not take it: try again later (its own wait, or the backoff), or give up
    after the last attempt (the caller tells a person)."""
    message = session.get_one(OutboxMessage, message_id)
    message.last_error = error[:64]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        return message
    backoff = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow() + max(backoff, wait or timedelta(0))
    return message


def mark_unknown(*, session: Session, message_id: int, error: str) -> None:
    """The connection broke mid-send: still claimed, but as if long ago, so that the next
    sweep on any replica looks for it in Slack at once rather than after the timeout."""
    message = session.get_one(OutboxMessage, message_id)
    message.claimed_at, message.last_error = datetime(2000, 1, 1, tzinfo=UTC), error[:64]


def mark_failed(*, session: Session, message_id: int, error: str) -> OutboxMessage:
    message = session.get_one(OutboxMessage, message_id)
    message.status, message.last_error = OutboxStatus.FAILED, error[:64]
    return message


def stale_claims(*, session: Session, stale_before: datetime, limit: int = 50) -> list[int]:
    """Messages claimed by a process that died while sending (or lost its connection)."""
    return list(session.exec(select(OutboxMessage.id).where(
        col(OutboxMessage.status) == OutboxStatus.SENDING,
        col(OutboxMessage.claimed_at) < stale_before)
        .order_by(col(OutboxMessage.id)).limit(limit)))  # type: ignore[arg-type]


def claim_check(*, session: Session, message_id: int, stale_before: datetime) -> bool:
    """Take the right to settle a stale claim; one process gets it."""
    claimed = session.execute(update(OutboxMessage).where(
        col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == OutboxStatus.SENDING,
        col(OutboxMessage.claimed_at) < stale_before)
        .values(claimed_at=utcnow()).execution_options(synchronize_session=False))
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def release(*, session: Session, message_id: int) -> None:
    """It never reached Slack: send it again."""
    message = session.get_one(OutboxMessage, message_id)
    message.status, message.next_attempt_at = OutboxStatus.PENDING, utcnow()


def chain(*, session: Session, first_id: int) -> list[OutboxMessage]:
    """A batch's messages in order (an agenda's overview and its cases)."""
    return list(session.exec(select(OutboxMessage).where(
        or_(col(OutboxMessage.id) == first_id, col(OutboxMessage.batch_id) == first_id))
        .order_by(col(OutboxMessage.id))))


def reopen(*, session: Session, message_id: int) -> bool:
    """An operator sends a message again: given up on, or waiting, it is due now."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status not in (OutboxStatus.FAILED, OutboxStatus.PENDING) \
            or message.payload is None:
        return False
    message.status, message.attempts = OutboxStatus.PENDING, 0
    message.next_attempt_at, message.last_error = utcnow(), None
    return True
