"""Sending the outbox (sparbot.services.outbox): each message claimed, sent once, and its
outcome recorded with what it reports (a decision's message, the agenda's threads).

A message is sent right after the change that queued it commits, and again by the sweep on
every replica until Slack takes it. Slack saying no for good (a channel gone, the bot not
in it), or saying "later" for hours, ends with a person told, once. A process that dies
while sending leaves a claim that another replica settles by looking for the message's
marker in the channel's history: found, it is recorded as sent; not found, sent again;
Slack not answering, left for the next sweep. Never sent blind twice."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlmodel import Session

from sparbot.bot import markers
from sparbot.bot.deps import Deps
from sparbot.clock import as_utc, utcnow
from sparbot.enums import OutboxStatus
from sparbot.models import OutboxMessage
from sparbot.services import outbox

log = logging.getLogger(__name__)

# Slack's answers that mean "not now" rather than "never".
TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                       "request_timeout", "team_added_to_org", "http_error"})

Recorder = Callable[[Session, OutboxMessage], None]
_RECORDERS: dict[str, Recorder] = {}


_GIVEN_UP: dict[str, Recorder] = {}


def records_giving_up(kind: str) -> Callable[[Recorder], Recorder]:
    """Declare what giving up on a message of a kind records (a digest: failed, so that
    the next nudge sweep plans it anew)."""
    def register(recorder: Recorder) -> Recorder:
        _GIVEN_UP[kind] = recorder
        return recorder
    return register


def records(kind: str) -> Callable[[Recorder], Recorder]:
    """Declare how a sent message of a kind is recorded (in the transaction marking it
    sent): a decision keeps its message's channel and ts, an agenda item its thread."""
    def register(recorder: Recorder) -> Recorder:
        _RECORDERS[kind] = recorder
        return recorder
    return register


@dataclass(frozen=True)
class Delivery:
    status: OutboxStatus
    channel: str | None = None  # where it went, or was to go
    error: str | None = None
    here: bool = True  # False: another process had it (its status is as last seen)


@dataclass
class SweepResult:
    sent: int = 0
    waiting: int = 0  # Slack said "later": the next sweep tries again
    failed: int = 0  # given up on: a person was told
    unknown: int = 0  # the connection broke mid-send: settled by a later sweep
    settled: int = 0  # stale claims looked up in Slack
    skipped: int = 0  # another replica had it
    seconds: float = 0.0
    channels_resting: set[str] = field(default_factory=set)


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Waits out a 429 only when Slack asks for a few seconds: a longer wait is the
    outbox's (the message is due again then), not a thread's asleep."""

    MAX_WAIT_SECONDS = 3

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None, error: Exception | None = None
                   ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = next((values[0] for name, values in response.headers.items()
                     if name.lower() == "retry-after" and values), "1")
        return str(wait).isdigit() and int(wait) <= self.MAX_WAIT_SECONDS


_SENDERS: dict[tuple[str | None, str], WebClient] = {}


def sender(client: WebClient) -> WebClient:
    """A client for the outbox: it retries Slack's 5xx and short rate limits, but never a
    connection lost mid-send (the message may have arrived; the marker check decides)."""
    key = (client.token, client.base_url)
    if key not in _SENDERS:
        _SENDERS[key] = type(client)(
            token=client.token, base_url=client.base_url, timeout=client.timeout,
            retry_handlers=[ShortRateLimitRetryHandler(max_retry_count=2),
                            ServerErrorRetryHandler(max_retry_count=2)])
    return _SENDERS[key]


@dataclass(frozen=True)
class _Send:
    """What a claimed message needs to go out, read in its claim's transaction."""

    id: int
    kind: str
    method: str
    channel: str | None
    message_ts: str | None
    thread_ts: str | None
    private_only: bool
    fallback_user: str | None
    notify: list[str]  # told if it is given up on (empty: the caller tells)
    payload: dict[str, Any]


def deliver(deps: Deps, client: WebClient, message_id: int, *,
            now_anyway: bool = False, tell: bool = True) -> Delivery:
    """Send one queued message now, if it is due (or `now_anyway`) and nobody else has
    it. Given up on, its people are told (`tell=False`: the caller tells the person in
    front of it)."""
    _load_kinds()
    with deps.session() as session:
        message = outbox.claim(session=session, message_id=message_id,
                               now_anyway=now_anyway)
        if message is None:
            current = session.get(OutboxMessage, message_id)
            return Delivery(current.status if current else OutboxStatus.SENT,
                            current.sent_channel or current.channel_id if current else None,
                            current.last_error if current else None, here=False)
        before = outbox.predecessor(session=session, message=message)
        if before is not None and before.status is not OutboxStatus.SENT:
            outbox.release(session=session, message_id=message_id)  # its turn comes later
            message.attempts -= 1
            return Delivery(OutboxStatus.PENDING, message.channel_id, "waiting")
        send = _Send(
            id=message_id, kind=message.kind, method=message.method,
            channel=message.channel_id or (before.sent_channel if before else None),
            message_ts=message.message_ts or (before.sent_ts if before and
                                              message.method == outbox.UPDATE else None),
            thread_ts=message.thread_ts or (before.sent_ts if before and
                                            message.reply_in_thread else None),
            private_only=message.private_only, fallback_user=message.fallback_user,
            notify=[who for who in (message.notify or "").split(",") if who] if tell else [],
            payload=json.loads(message.payload or "{}"))
    return _send(deps, client, send)


def send_now(deps: Deps, client: WebClient, *queued: outbox.Queued | None) -> None:
    """Send what a change queued, in order; what Slack does not take now, the sweep sends
    later (and a person is told if it never will)."""
    for message in queued:
        if message is not None:
            deliver(deps, client, message.id)


def _send(deps: Deps, client: WebClient, send: _Send) -> Delivery:
    channel = send.channel
    try:
        if send.private_only and channel and channel[0] in "CG" and \
                not is_private_channel(sender(client), channel):
            channel = None  # case details never go to a channel that is not private
        channel = channel or send.fallback_user
        if channel is None:
            return _give_up(deps, client, send, "no_channel", None)
        text, blocks = send.payload.get("text") or "", send.payload.get("blocks") or None
        if send.method == outbox.UPDATE:
            answer = sender(client).chat_update(channel=channel, ts=send.message_ts or "",
                                                text=text, blocks=blocks)
        else:
            answer = sender(client).chat_postMessage(
                channel=channel, text=text, blocks=blocks, thread_ts=send.thread_ts,
                reply_broadcast=send.payload.get("reply_broadcast"))
    except SlackApiError as error:
        return _refused(deps, client, send, error, channel)
    except OSError as error:  # it may have arrived: the next sweep looks for its marker
        log.error("the outcome of an outbox message is unknown (%s): checked next sweep",
                  type(error).__name__)
        with deps.session() as session:
            outbox.mark_unknown(session=session, message_id=send.id, error=type(error).__name__)
        return Delivery(OutboxStatus.SENDING, channel, type(error).__name__)
    sent_to = str(answer.get("channel") or channel)
    with deps.session() as session:
        _record_sent(session, send.id, sent_to, str(answer.get("ts") or send.message_ts))
    return Delivery(OutboxStatus.SENT, sent_to)


def _record_sent(session: Session, message_id: int, channel: str, ts: str) -> None:
    """Mark a message sent and record what it reports, in one transaction."""
    sent = outbox.mark_sent(session=session, message_id=message_id, channel=channel, ts=ts)
    recorder = _RECORDERS.get(sent.kind)
    if recorder is not None:
        recorder(session, sent)


def _record_given_up(session: Session, message: OutboxMessage) -> None:
    recorder = _GIVEN_UP.get(message.kind)
    if recorder is not None:
        recorder(session, message)


def is_private_channel(client: WebClient, channel: str) -> bool:
    """Case details go only to a private channel; a channel we cannot see is not one.
    Slack not answering is raised: "try again", not "not private"."""
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError as error:
        if _transient(error):
            raise
        return False  # a channel we cannot see is not one to post case details in
    return bool((info.get("channel") or {}).get("is_private"))


def _transient(error: SlackApiError) -> bool:
    status = getattr(error.response, "status_code", 200)
    return status == 429 or status >= 500 or str(error.response.get("error")) in TRANSIENT


def _refused(deps: Deps, client: WebClient, send: _Send, error: SlackApiError,
             channel: str | None) -> Delivery:
    code = str(error.response.get("error") or f"http_{error.response.status_code}")
    if not _transient(error):
        return _give_up(deps, client, send, code, channel)
    wait = None
    retry_after = (error.response.headers or {}).get("Retry-After") or \
        (error.response.headers or {}).get("retry-after")
    if retry_after and str(retry_after).isdigit():
        wait = timedelta(seconds=int(retry_after))
    with deps.session() as session:
        message = outbox.mark_retry(session=session, message_id=send.id, error=code, wait=wait)
        gave_up = message.status is OutboxStatus.FAILED
        if gave_up:
            _record_given_up(session, message)
    log.warning("Slack did not take an outbox message (%s)%s", code,
                ": given up" if gave_up else "; it is tried again")
    if gave_up:
        _tell(deps, client, send, code, channel)
        return Delivery(OutboxStatus.FAILED, channel, code)
    return Delivery(OutboxStatus.PENDING, channel, code)


def _give_up(deps: Deps, client: WebClient, send: _Send, code: str,
             channel: str | None) -> Delivery:
    log.error("Slack refused an outbox message for good (%s)", code)
    with deps.session() as session:
        _record_given_up(session, outbox.mark_failed(session=session, message_id=send.id,
                                                     error=code))
    _tell(deps, client, send, code, channel)
    return Delivery(OutboxStatus.FAILED, channel, code)


def _tell(deps: Deps, client: WebClient, send: _Send, code: str, channel: str | None) -> None:
    """The change is saved, its message will not come: say so to whoever needs to know."""
    text = deps.renderer.text("delivery", "gave_up", kind=send.kind, channel=channel,
                              error=code, message_id=send.id)
    for person in dict.fromkeys(send.notify):
        try:
            sender(client).chat_postMessage(channel=person, text=text)
        except (SlackApiError, OSError) as error:
            log.error("could not tell anyone that an outbox message failed (%s)",
                      type(error).__name__)


def sweep_outbox(deps: Deps, client: WebClient, now: datetime | None = None, *,
                 limit: int = 1000) -> SweepResult:
    """Settle stale claims, then send what is due, oldest first. Run every minute on every
    replica; a channel Slack rate-limits rests until the next sweep."""
    started = time.perf_counter()
    _load_kinds()
    result = SweepResult()
    result.settled = settle_stale(deps, client)
    tried: set[int] = set()
    while len(tried) < limit:  # again while sending lets more through (what came after)
        with deps.session() as session:
            due = [(message_id, channel) for message_id, channel in outbox.due(
                session=session, now=now or utcnow(), limit=limit) if message_id not in tried]
        if not due:
            break
        for message_id, channel in due:
            tried.add(message_id)
            if channel not in result.channels_resting:
                _sweep_one(deps, client, message_id, result)
    result.seconds = time.perf_counter() - started
    return result


def _sweep_one(deps: Deps, client: WebClient, message_id: int, result: SweepResult) -> None:
    delivery = deliver(deps, client, message_id)
    if not delivery.here:
        result.skipped += 1
    elif delivery.status is OutboxStatus.SENT:
        result.sent += 1
    elif delivery.status is OutboxStatus.FAILED:
        result.failed += 1
    elif delivery.status is OutboxStatus.SENDING:
        result.unknown += 1
    elif delivery.error == "waiting":  # what it comes after is not out yet
        result.skipped += 1
    else:
        result.waiting += 1
        if delivery.error == "ratelimited" and delivery.channel:
            result.channels_resting.add(delivery.channel)


def _load_kinds() -> None:
    """Every kind's recorder, wherever the sweep runs (a job, the CLI)."""
    from sparbot.bot.agenda import posted  # noqa: F401
    from sparbot.bot.decisions import posting  # noqa: F401
    from sparbot.bot.nudges import sending  # noqa: F401


def settle_stale(deps: Deps, client: WebClient) -> int:
    """Messages whose sender died mid-send: found in the channel's history, recorded as
    sent; not there, sent again by this sweep; Slack not answering, left as they are."""
    _load_kinds()
    stale_before = deps.settings.abandoned_before(utcnow())
    with deps.session() as session:
        stale = outbox.stale_claims(session=session, stale_before=stale_before)
    settled = 0
    for message_id in stale:
        with deps.session() as session:
            message = session.get_one(OutboxMessage, message_id)
            since = as_utc(message.created_at)  # it cannot have gone out before
            channel = message.sent_channel or message.channel_id or message.fallback_user
            if not outbox.claim_check(session=session, message_id=message_id,
                                      stale_before=stale_before):
                continue
        try:
            found = _find_marker(client, channel, message_id, since) if channel else None
        except (SlackApiError, OSError) as error:
            log.error("could not check an unfinished outbox message (%s); left for the next "
                      "sweep", type(error).__name__)
            continue
        with deps.session() as session:
            if found is None:
                outbox.release(session=session, message_id=message_id)
            else:
                _record_sent(session, message_id, *found)
        settled += 1
        log.info("an unfinished outbox message was %s", "found in Slack" if found
                 else "not in Slack: sending it again")
    return settled


def _find_marker(client: WebClient, channel: str, message_id: int, since: datetime
                 ) -> tuple[str, str] | None:
    if channel.startswith(("U", "W")):  # a DM: its channel id first
        channel = str(sender(client).conversations_open(users=channel)["channel"]["id"])
    found = markers.posted_markers(sender(client), channel,
                                   since=since - timedelta(minutes=1))
    ts = found.get(outbox.outbox_marker(message_id))
    return (channel, ts) if ts else None
