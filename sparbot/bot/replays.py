"""Requests already taken in: a request Slack delivers twice, or someone replays, is
answered but handled once, on any replica. Asked by the dispatcher after the ack (a form's
before its handler), so that a database that is down never holds an ack back."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col

from sparbot.clock import utcnow
from sparbot.db import SessionFactory, database_unreachable
from sparbot.models import SeenRequest

log = logging.getLogger(__name__)

# Slack refuses a signature older than five minutes; twice that is remembered.
REMEMBERED_FOR = timedelta(minutes=10)


def first_delivery(sessions: SessionFactory, signature: str | None) -> bool:
    """True the first time a signature is seen (no signature: Socket Mode, which has its
    own envelope ids). Signatures cover the timestamp and the body, so only a repeat of the
    very same request is turned away. A database that cannot be reached is no reason to
    turn a request away: what needs the database will say it could not save."""
    if not signature:
        return True
    now = utcnow()
    try:
        with sessions() as session:
            session.add(SeenRequest(signature=signature[:80], at=now))
            session.flush()
            if now.second == 0:  # about once a minute: forget what Slack would reject anyway
                session.execute(delete(SeenRequest).where(
                    col(SeenRequest.at) < now - REMEMBERED_FOR))
    except IntegrityError:
        return False
    except SQLAlchemyError as error:
        if not database_unreachable(error):
            raise
        log.warning("the replay guard could not reach the database (%s)", type(error).__name__)
    return True
