"""What the bot sent to a workplace's contact, noted on the case (not the text itself)."""

from __future__ import annotations

from sqlmodel import Session

from sparbot.models import ContactMessage


def log_contact_message(*, session: Session, case_id: int, placement_id: int | None, to: str,
                        subject: str, actor: str | None) -> ContactMessage:
    message = ContactMessage(case_id=case_id, placement_id=placement_id, to_email=to,
                             subject=subject[:200], sent_by=actor)
    session.add(message)
    session.flush()
    return message

