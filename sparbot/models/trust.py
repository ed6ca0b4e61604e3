"""What keeps the bot honest: requests already taken in, and the audit log."""


from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from sparbot.models.base import REF_MAX, created_at_field


class SeenRequest(SQLModel, table=True):
    """Slack requests already taken in (by their signature), so that a request delivered
    twice or replayed is answered but never handled twice, on any replica."""

    __tablename__ = "seen_request"

    signature: str = Field(primary_key=True, max_length=80)
    at: datetime = created_at_field()


class AuditEvent(SQLModel, table=True):
    """Who read, searched, changed, exported or erased which case, and when. The application
    only ever appends here; the retention job removes events past their own period."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor: str = Field(max_length=64)  # a Slack user id, "cli" or "system"
    action: str = Field(max_length=16)  # read, search, change, export, erase
    what: str = Field(max_length=64)  # e.g. "case.show", "hours.record"
    case_ref: str | None = Field(default=None, max_length=REF_MAX, index=True)
