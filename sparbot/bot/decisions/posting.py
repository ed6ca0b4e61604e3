"""A decision's messages, through the outbox: its post (in the case's agenda thread, the
team's channel, or the recorder's DMs), its updates in place and the "done" replies in its
thread, each queued in the transaction of the change it shows."""

from __future__ import annotations

from sqlmodel import Session

from sparbot.bot.decisions import blocks as build
from sparbot.bot.delivery import Delivery, records
from sparbot.bot.deps import Deps
from sparbot.bot.replies import fallback_text
from sparbot.enums import OutboxStatus
from sparbot.models import OutboxMessage
from sparbot.services import decisions, outbox, sparring, teams
from sparbot.services.decisions import DecisionView
from sparbot.services.outbox import Queued

POST = "decision"
UPDATE = "decision-update"
REPLY = "decision-reply"


@records(POST)
def _record_post(session: Session, message: OutboxMessage) -> None:
    assert message.subject_id is not None and message.sent_channel and message.sent_ts
    decisions.set_message(session=session, decision_id=message.subject_id,
                          channel_id=message.sent_channel, message_ts=message.sent_ts,
                          thread_ts=message.thread_ts)


def queue_post(deps: Deps, session: Session, view: DecisionView,
               thread: tuple[str, str] | None) -> Queued:
    """Where the team will see it: the given thread, the case's agenda thread, the channel
    of the case's team, or (with no channel, or one that is not private) the recorder's
    DMs."""
    assert view.decision.id is not None and view.case.id is not None
    target = thread or sparring.agenda_thread(session=session, case_id=view.case.id,
                                              meeting_id=view.decision.meeting_id)
    team = teams.team_of_case(session=session, case_id=view.case.id,
                              own_channel=deps.settings.channel)
    channel, thread_ts = target if target else (team.channel_id, None)
    blocks = build.build_decision_message(view, deps.renderer)
    recorder = view.decision.recorded_by
    return outbox.enqueue(session=session, kind=POST, subject_id=view.decision.id,
                          case_id=view.case.id, text=fallback_text(blocks),
                          blocks=[block.to_dict() for block in blocks], channel_id=channel,
                          thread_ts=thread_ts, private_only=True, fallback_user=recorder,
                          notify=[recorder] if recorder else None)


def queue_update(deps: Deps, session: Session, view: DecisionView) -> Queued | None:
    """The decision's message as it now is; nothing when it was never posted."""
    assert view.decision.id is not None
    post = outbox.latest(session=session, kind=POST, subject_id=view.decision.id)
    if view.decision.message_ts is None and post is None:
        return None
    outbox.supersede(session=session, kind=UPDATE, subject_id=view.decision.id)
    blocks = build.build_decision_message(view, deps.renderer)
    known = view.decision.message_ts is not None
    return outbox.enqueue(
        session=session, kind=UPDATE, subject_id=view.decision.id, case_id=view.case.id,
        method=outbox.UPDATE, text=fallback_text(blocks),
        blocks=[block.to_dict() for block in blocks],
        channel_id=view.decision.channel_id if known else None,
        message_ts=view.decision.message_ts if known else None,
        after=None if known or post is None else post.id)


def queue_reply(session: Session, view: DecisionView, text: str) -> Queued | None:
    """A line in the decision's thread (or the thread it sits in)."""
    assert view.decision.id is not None
    post = outbox.latest(session=session, kind=POST, subject_id=view.decision.id)
    if view.decision.channel_id and view.decision.message_ts:
        return outbox.enqueue(session=session, kind=REPLY, subject_id=view.decision.id,
                              case_id=view.case.id, text=text, blocks=[],
                              channel_id=view.decision.channel_id,
                              thread_ts=view.decision.thread_ts or view.decision.message_ts)
    if post is None or post.status is OutboxStatus.FAILED:
        return None
    return outbox.enqueue(session=session, kind=REPLY, subject_id=view.decision.id,
                          case_id=view.case.id, text=text, blocks=[], channel_id=None,
                          thread_ts=post.thread_ts, after=post.id,
                          reply_in_thread=post.thread_ts is None)


def said_of_post(deps: Deps, ref: str, delivery: Delivery) -> str:
    """What the recorder is told: posted; or saved, and the post follows; or saved, and
    the post could not be made."""
    channel = delivery.channel if delivery.channel and delivery.channel[0] in "CG" else None
    if delivery.status is OutboxStatus.SENT:
        return deps.renderer.text("decisions", "recorded", ref=ref, where=channel)
    if delivery.status is OutboxStatus.FAILED:
        return deps.renderer.text("decisions", "recorded_not_posted", ref=ref,
                                  where=channel, error=delivery.error)
    return deps.renderer.text("decisions", "recorded_post_follows", ref=ref, where=channel)
