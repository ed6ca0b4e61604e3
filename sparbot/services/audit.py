"""The audit log: every read, search, change, export and erasure of case data, so that a
citizen's request to know who looked at their case can be answered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from sparbot.clock import utcnow
from sparbot.models import AuditEvent

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class AuditAction(StrEnum):
    READ = "read"
    SEARCH = "search"
    CHANGE = "change"
    EXPORT = "export"
    ERASE = "erase"
    REFUSE = "refuse"  # someone tried an entry their role does not allow


def audit(*, session: Session, actor: str | None, action: AuditAction, what: str,
          refs: Iterable[str | None] = (None,)) -> None:
    """Append one event per case (one without a case when none is named)."""
    now = utcnow()
    rows = [{"at": now, "actor": actor or "unknown", "action": action.value, "what": what,
             "case_ref": ref} for ref in dict.fromkeys(refs)]
    if rows:
        session.execute(insert(AuditEvent), rows)


def audit_events(*, session: Session, ref: str | None = None, actor: str | None = None,
                 date_from: date | None = None, date_to: date | None = None,
                 tz: ZoneInfo = COPENHAGEN) -> Sequence[AuditEvent]:
    statement = select(AuditEvent)
    if ref is not None:
        statement = statement.where(col(AuditEvent.case_ref) == ref)
    if actor is not None:
        statement = statement.where(AuditEvent.actor == actor)
    if date_from is not None:
        statement = statement.where(AuditEvent.at >= datetime.combine(date_from, time(), tz))
    if date_to is not None:
        statement = statement.where(
            AuditEvent.at < datetime.combine(date_to + timedelta(days=1), time(), tz))
    return session.exec(statement.order_by(col(AuditEvent.at), col(AuditEvent.id))).all()


def purge_audit(*, session: Session, older_than: datetime) -> int:
    result = session.execute(delete(AuditEvent).where(col(AuditEvent.at) < older_than))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
