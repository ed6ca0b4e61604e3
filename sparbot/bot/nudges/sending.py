"""The nudge sweep: plan today's digests, claim each one, send it as one DM, record it.
Run by the scheduler every few minutes on every replica, and by `sparbot nudges run`."""

from __future__ import annotations

import logging
import time as timer
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sparbot.bot import markers
from sparbot.bot.deps import Deps
from sparbot.bot.nudges import blocks as build
from sparbot.bot.replies import fallback_text
from sparbot.clock import utcnow
from sparbot.enums import DigestStatus
from sparbot.mail import mail_configured
from sparbot.services import nudges as service
from sparbot.services.audit import AuditAction, audit
from sparbot.services.meetings import parse_clock_time
from sparbot.services.nudges import NudgeRules, PlannedDigest

log = logging.getLogger(__name__)
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


def send_due_nudges(deps: Deps, client: WebClient, now: datetime, *, dry_run: bool = False,
                    pace: Callable[[float], None] = timer.sleep) -> SweepResult:
    if not dry_run:  # first settle what a process that died left unfinished
        settle_unfinished(deps, client, now)
    with deps.session() as session:
        planned = service.plan_digests(session=session, now=now, rules=nudge_rules(deps))
    result = SweepResult(planned=planned)
    if dry_run:
        return result
    interval = 1.0 / SENDS_PER_SECOND
    for digest in planned:
        person_id = digest.person.id
        assert person_id is not None and digest.person.slack_user_id is not None
        with deps.session() as session:  # the claim commits before anything is sent
            claimed = service.claim_digest(session=session, person_id=person_id,
                                           day=now.date())
            if claimed is None or claimed.id is None:
                result.skipped += 1
                continue
            digest_id = claimed.id
            service.record_items(session=session, digest_id=digest_id, nudges=digest.nudges)
            audit(session=session, actor=digest.person.slack_user_id, action=AuditAction.READ,
                  what="nudge.digest", refs=[nudge.case.ref for nudge in digest.nudges])
        blocks = build.build_digest(digest.nudges, now.date(), deps.renderer,
                                    can_email=mail_configured(deps.settings),
                                    digest_id=digest_id)
        status, channel, ts = _send(client, digest.person.slack_user_id, blocks)
        with deps.session() as session:
            service.finish_digest(session=session, digest_id=digest_id, status=status,
                                  channel_id=channel, message_ts=ts)
        if status is DigestStatus.SENT:
            result.sent.append(digest)
        elif status is DigestStatus.FAILED:
            result.failed += 1
        else:
            result.unknown += 1
        pace(interval)
    return result


def settle_unfinished(deps: Deps, client: WebClient, now: datetime) -> None:
    """A digest claimed by a process that died (or whose connection broke mid-send) either
    reached Slack or did not; the DM's history says which. Found: recorded as sent. Not
    found: marked failed, so this sweep sends it (once: the claim decides who). Slack
    cannot be asked: left unknown, never sent blind."""
    stale_before = deps.settings.abandoned_before(utcnow())
    with deps.session() as session:
        unfinished = service.digests_to_check(session=session, day=now.date(),
                                              stale_before=stale_before)
    for digest in unfinished:
        with deps.session() as session:
            if not service.claim_check(session=session, digest_id=digest.digest_id,
                                       stale_before=stale_before):
                continue  # another replica is settling it
        try:
            found = find_digest_message(client, digest)
        except (SlackApiError, OSError) as error:
            log.error("could not check an unfinished digest (%s); left for an operator",
                      _reason(error))
            status, channel, ts = DigestStatus.UNKNOWN, None, None
        else:
            status, channel, ts = ((DigestStatus.SENT, *found) if found
                                   else (DigestStatus.FAILED, None, None))
            log.info("an unfinished digest was %s", "found in Slack" if found
                     else "not in Slack: sending it now")
        with deps.session() as session:
            service.finish_digest(session=session, digest_id=digest.digest_id, status=status,
                                  channel_id=channel, message_ts=ts)


def find_digest_message(client: WebClient, digest: service.DigestToCheck
                        ) -> tuple[str, str] | None:
    """The DM channel and ts of the digest's message, if Slack has it."""
    channel = str(client.conversations_open(users=digest.slack_user_id)["channel"]["id"])
    found = markers.posted_markers(client, channel, since=digest.claimed_at)
    ts = found.get(markers.digest_marker(digest.digest_id))
    return (channel, ts) if ts is not None else None


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return type(error).__name__


def _send(client: WebClient, user_id: str, blocks: list[Any]
          ) -> tuple[DigestStatus, str | None, str | None]:
    try:
        answer = client.chat_postMessage(channel=user_id, text=fallback_text(blocks),
                                         blocks=[block.to_dict() for block in blocks])
        return DigestStatus.SENT, str(answer["channel"]), str(answer["ts"])
    except SlackApiError as error:  # Slack answered no (after honouring Retry-After)
        log.warning("a digest was refused: %s; the next sweep tries again",
                    error.response.get("error"))
        return DigestStatus.FAILED, None, None
    except OSError as error:  # the connection broke: it may or may not have arrived
        log.error("a digest's outcome is unknown (%s); marked for checking, not re-sent",
                  type(error).__name__)
        return DigestStatus.UNKNOWN, None, None
