"""How the agenda's messages, once Slack has them, are recorded: the meeting as posted
(its channel and message), and each case's thread for its decisions."""

from __future__ import annotations

from sqlmodel import Session

from sparbot.bot.delivery import records
from sparbot.models import OutboxMessage
from sparbot.services import sparring

OVERVIEW = "agenda"
ITEM = "agenda-item"


@records(OVERVIEW)
def _overview_posted(session: Session, message: OutboxMessage) -> None:
    assert message.subject_id is not None and message.sent_channel and message.sent_ts
    sparring.record_overview_posted(session=session, meeting_id=message.subject_id,
                                    channel_id=message.sent_channel,
                                    message_ts=message.sent_ts)


@records(ITEM)
def _item_posted(session: Session, message: OutboxMessage) -> None:
    assert message.subject_id is not None and message.sent_ts
    sparring.record_item_posted(session=session, item_id=message.subject_id,
                                thread_ts=message.sent_ts)
