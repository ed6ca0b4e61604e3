"""The nudge sweep: plan today's digests, claim each one and queue it as one DM in the
outbox, send it. Run by the scheduler every few minutes on every replica, and by
`sparbot nudges run`."""

from __future__ import annotations

import logging
import time as timer
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.delivery import deliver, records, records_giving_up, sweep_outbox
from sparbot.bot.deps import Deps
from sparbot.bot.nudges import blocks as build
from sparbot.bot.replies import fallback_text
from sparbot.enums import DigestStatus, OutboxStatus
from sparbot.mail import mail_configured
from sparbot.models import OutboxMessage
from sparbot.services import digests, outbox
from sparbot.services import nudges as service
from sparbot.services.audit import AuditAction, audit
from sparbot.services.meetings import parse_clock_time
from sparbot.services.nudges import NudgeRules, PlannedDigest

log = logging.getLogger(__name__)
DIGEST = "digest"  # the outbox's kind
SENDS_PER_SECOND = 5.0  # well inside chat.postMessage's limits, one DM channel each


@dataclass
class SweepResult:
    sent: list[PlannedDigest] = field(default_factory=list)
    skipped: int = 0  # claimed by another process, or already sent
    failed: int = 0
    unknown: int = 0
    planned: list[PlannedDigest] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        return [{"person": digest.person.slack_user_id,
                 "items": [{"kind": nudge.kind.value, "key": nudge.key, "case": nudge.case.ref,
                            "due": nudge.due_on.isoformat()} for nudge in digest.nudges]}
                for digest in self.planned]


def nudge_rules(deps: Deps) -> NudgeRules:
    settings = deps.settings
    return NudgeRules(send_at=parse_clock_time(settings.nudge_time),
                      overdue_repeats=settings.overdue_repeats,
                      closures=settings.meeting_rules().closures)


@records(DIGEST)
def _digest_sent(session: Session, message: OutboxMessage) -> None:
    assert message.subject_id is not None
    digests.finish_digest(session=session, digest_id=message.subject_id,
                          status=DigestStatus.SENT, channel_id=message.sent_channel,
                          message_ts=message.sent_ts)


@records_giving_up(DIGEST)
def _digest_given_up(session: Session, message: OutboxMessage) -> None:
    """Slack will not take it: the next nudge sweep plans the person's digest anew."""
    assert message.subject_id is not None
    digests.finish_digest(session=session, digest_id=message.subject_id,
                          status=DigestStatus.FAILED)


def send_due_nudges(deps: Deps, client: WebClient, now: datetime, *, dry_run: bool = False,
                    pace: Callable[[float], None] = timer.sleep) -> SweepResult:
    """Plan today's digests and send each through the outbox: the claim, its items and its
    message in one transaction, then the send. First the outbox is swept: what a process
    that died left unfinished is settled (found in the DM, or sent), and what Slack did not
    take before is sent when due."""
    if not dry_run:
        sweep_outbox(deps, client)
    with deps.session() as session:
        planned = service.plan_digests(session=session, now=now, rules=nudge_rules(deps))
    result = SweepResult(planned=planned)
    if dry_run:
        return result
    interval = 1.0 / SENDS_PER_SECOND
    for digest in planned:
        queued = _queue_digest(deps, digest, now)
        if queued is None:
            result.skipped += 1
            continue
        delivery = deliver(deps, client, queued, tell=False)
        if delivery.status is OutboxStatus.SENT:
            result.sent.append(digest)
        elif delivery.status is OutboxStatus.SENDING:
            result.unknown += 1  # looked up in the DM by the next sweep, never sent blind
        else:
            result.failed += 1  # Slack said no: the outbox tries again, or the next sweep
        pace(interval)
    return result


def _queue_digest(deps: Deps, digest: PlannedDigest, now: datetime) -> int | None:
    """Claim a person's digest for today and queue its DM, in one transaction; None when
    another process has it."""
    person_id, user_id = digest.person.id, digest.person.slack_user_id
    assert person_id is not None and user_id is not None
    with deps.session() as session:
        claimed = digests.claim_digest(session=session, person_id=person_id, day=now.date())
        if claimed is None or claimed.id is None:
            return None
        digests.record_items(session=session, digest_id=claimed.id, nudges=digest.nudges)
        audit(session=session, actor=user_id, action=AuditAction.READ, what="nudge.digest",
              refs=[nudge.case.ref for nudge in digest.nudges])
        blocks = build.build_digest(digest.nudges, now.date(), deps.renderer,
                                    can_email=mail_configured(deps.settings))
        return outbox.enqueue(session=session, kind=DIGEST, subject_id=claimed.id,
                              channel_id=user_id, text=fallback_text(blocks),
                              blocks=[block.to_dict() for block in blocks]).id
