"""The outbox: every Slack message that records state, written in the transaction of the
change it reports, sent after it (sparbot.bot.delivery)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from sparbot.enums import OutboxStatus
from sparbot.models.base import created_at_field, enum_type


class OutboxMessage(SQLModel, table=True):
    """One message to post (or one update to make) in Slack. Sent exactly once: claimed
    before it is sent; a claim left by a process that died is settled by looking for the
    message's marker (its first block's id) in the channel's history."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)  # what it reports: how a sent one is recorded
    subject_id: int | None = None  # the decision, meeting or agenda item it reports
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True,
                                ondelete="CASCADE")  # erased with its case
    method: str = Field(max_length=32)  # chat.postMessage or chat.update
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)  # the message to update
    thread_ts: str | None = Field(default=None, max_length=32)
    # Sent only once this one is; its channel and ts fill in what is not yet known here
    # (the thread of a reply, the message an update changes).
    after_id: int | None = Field(default=None, foreign_key="outbox_message.id",
                                 ondelete="SET NULL")
    reply_in_thread: bool = False
    # Messages sent as one (an agenda: its overview, then its cases in order): the first's id.
    batch_id: int | None = Field(default=None, index=True)
    private_only: bool = False  # case details: only to a private channel, else to the DM
    fallback_user: str | None = Field(default=None, max_length=32)
    notify: str | None = Field(default=None, max_length=400)  # told if it cannot be sent
    payload: str | None = Field(default=None, sa_type=sa.Text)  # cleared once sent
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    claimed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_error: str | None = Field(default=None, max_length=64)
    sent_channel: str | None = Field(default=None, max_length=32)
    sent_ts: str | None = Field(default=None, max_length=32)
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime = created_at_field()
