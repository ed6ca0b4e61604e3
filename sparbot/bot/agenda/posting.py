"""Posting the agenda to each team's channel: once per team and meeting, one message per
case so each case's decisions have their own thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from sparbot.bot.agenda import blocks as build
from sparbot.bot.agenda import posted
from sparbot.bot.delivery import deliver, is_private_channel, settle_stale
from sparbot.bot.deps import Deps
from sparbot.bot.render import mention
from sparbot.bot.replies import fallback_text
from sparbot.clock import as_utc, utcnow
from sparbot.enums import OutboxStatus
from sparbot.models import Meeting, OutboxMessage
from sparbot.services import outbox, sparring
from sparbot.services.agenda import Agenda, build_agenda
from sparbot.services.audit import AuditAction, audit
from sparbot.services.meetings import (
    MeetingPlan,
    MeetingRules,
    meeting_of_the_day,
    next_meeting,
    posting_instant,
)
from sparbot.services.teams import TeamChannel, meeting_channels

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    POSTED = "posted"
    CANCELLATION_POSTED = "cancellation-posted"
    ALREADY_POSTED = "already-posted"
    NOT_YET = "not-yet"
    NO_CHANNEL = "no-channel"
    NOT_PRIVATE = "not-private"
    QUEUED = "queued"  # recorded and queued; part of it waits for Slack
    FAILED = "failed"


@dataclass(frozen=True)
class PostResult:
    outcome: Outcome
    plan: MeetingPlan
    channel_id: str | None = None
    team: str | None = None  # None: the deployment's own team
    sent: int = 0  # when queued: how many of its messages are out
    total: int = 0


def agenda_for(deps: Deps, plan: MeetingPlan, team: TeamChannel | None = None) -> Agenda:
    """A team's agenda (default: the deployment's own), named after the team."""
    team = team or own_team(deps)
    with deps.session() as session:
        agenda = build_agenda(session=session, plan=plan, rules=team_rules(deps, team),
                              agenda_rules=deps.settings.agenda_rules(), team=team.scope)
    agenda.team = team.name
    return agenda


def own_team(deps: Deps) -> TeamChannel:
    return TeamChannel.own(deps.settings.channel)


def team_rules(deps: Deps, team: TeamChannel) -> MeetingRules:
    """The deployment's meeting rules on the team's own day and time."""
    return team.meeting_rules(deps.settings.meeting_rules())


def coming_meeting(deps: Deps, team: TeamChannel) -> MeetingPlan:
    """The team's next meeting as seen now."""
    return next_meeting(deps.clock.now(), team_rules(deps, team))


def meeting_today_or_coming(deps: Deps, team: TeamChannel) -> MeetingPlan:
    """Today's meeting all day long, else the team's next one held."""
    return meeting_of_the_day(deps.clock.now(), team_rules(deps, team))


def jobcenter_question(deps: Deps, team: TeamChannel) -> str:
    """Will the jobcenter attend: the team's own attendees, or the deployment's. A Slack id
    becomes a mention (markup the template keeps); a name is text (the template escapes it)."""
    attendees = [mention(who) or who for who in team_rules(deps, team).jobcenter_attendees]
    return deps.renderer.text("agenda", "jobcenter_question", attendees=attendees)


def post_agenda(deps: Deps, client: WebClient, plan: MeetingPlan,
                team: TeamChannel | None = None) -> PostResult:
    """Post a team's agenda this week (or its cancellation) unless some process already has
    (default: the deployment's own team). The claim, the agenda as posted and its messages
    are one transaction; the messages go out through the outbox, now and, what Slack does
    not take now, with the next sweep."""
    team = team or own_team(deps)
    channel, scope = team.channel_id, team.scope
    if not channel:
        return PostResult(Outcome.NO_CHANNEL, plan, team=team.name)
    try:
        private = is_private_channel(client, channel)
    except SlackApiError as error:  # Slack is not answering: the next run asks again
        log.error("could not check the team channel: %s", error.response.get("error"))
        return PostResult(Outcome.FAILED, plan, channel, team.name)
    if not private:
        log.error("refused to post the agenda: the team channel is not private")
        for admin in sorted(deps.settings.access().admins):
            client.chat_postMessage(channel=admin,
                                    text=deps.renderer.text("agenda", "not_private",
                                                            channel=channel))
        return PostResult(Outcome.NOT_PRIVATE, plan, channel, team.name)
    with deps.session() as session:
        meeting = sparring.claim_posting(session=session, plan=plan, team=scope)
        if meeting is None and sparring.reopen_unqueued_posting(
                session=session, plan=plan, team=scope,
                stale_before=deps.settings.abandoned_before(utcnow())):
            meeting = sparring.claim_posting(session=session, plan=plan, team=scope)
        if meeting is None:
            existing = sparring.meeting_for(session=session, plan=plan, team=scope)
            first = outbox.latest(session=session, kind=posted.OVERVIEW,
                                  subject_id=existing.id or 0)
        else:
            first = queue_agenda(deps, session, plan, team, meeting)
    if meeting is None and first is None:  # posted before the outbox, or by hand
        return PostResult(Outcome.ALREADY_POSTED, plan, existing.channel_id or channel,
                          team.name)
    assert first is not None and first.id is not None
    return _send_posting(deps, client, plan, team, first.id, fresh=meeting is not None)


def queue_agenda(deps: Deps, session: Session, plan: MeetingPlan, team: TeamChannel,
                 meeting: Meeting) -> OutboxMessage:
    """The agenda as it is now, recorded, and its messages queued: the overview (or the
    cancellation), then one message per case reached, each after the overview."""
    assert meeting.id is not None and team.channel_id is not None
    agenda = build_agenda(session=session, plan=plan, rules=team_rules(deps, team),
                          agenda_rules=deps.settings.agenda_rules(), team=team.scope)
    agenda.team = team.name
    recorded = sparring.record_agenda(session=session, meeting_id=meeting.id, agenda=agenda)
    audit(session=session, actor="system", action=AuditAction.READ, what="agenda.post",
          refs=[item.ref for item in agenda.items + agenda.not_reached])
    renderer = deps.renderer
    cancelled = plan.held_on is None
    overview = build.build_agenda_overview(
        agenda, renderer, interactive=not cancelled,
        jobcenter_line=None if cancelled else jobcenter_question(deps, team))
    admins = sorted(deps.settings.access().admins)
    first = outbox.enqueue(session=session, kind=posted.OVERVIEW, subject_id=meeting.id,
                           channel_id=team.channel_id, text=fallback_text(overview),
                           blocks=[block.to_dict() for block in overview], notify=admins)
    previous = first.id
    for record, item in zip(recorded, agenda.items, strict=False):
        blocks = build.build_agenda_item(item, record.position, agenda, renderer,
                                         item_id=record.item_id)
        previous = outbox.enqueue(
            session=session, kind=posted.ITEM, subject_id=record.item_id,
            case_id=item.snapshot.case.id, channel_id=team.channel_id,
            text=fallback_text(blocks), blocks=[block.to_dict() for block in blocks],
            after=previous, batch=first.id, notify=admins).id  # in order, one after another
    message = session.get(OutboxMessage, first.id)
    assert message is not None
    return message


def _send_posting(deps: Deps, client: WebClient, plan: MeetingPlan, team: TeamChannel,
                  first_id: int, *, fresh: bool) -> PostResult:
    """Send a posting's messages in order, and say how far it is. The process that queued
    it sends it all; another takes over only what is left behind: a message that failed
    before, one queued by a process that died (its claim settled first), and what follows
    a message it sent itself. One posting in progress elsewhere is left to finish."""
    settle_stale(deps, client)
    stale_before = deps.settings.abandoned_before(utcnow())
    sent_now = False
    with deps.session() as session:
        chain = outbox.chain(session=session, first_id=first_id)
    for message in chain:
        if message.status is OutboxStatus.SENT:
            continue
        left_behind = message.attempts > 0 or as_utc(message.created_at) < stale_before
        if message.status is not OutboxStatus.PENDING or not (fresh or sent_now or left_behind):
            break  # in flight, or being sent by another process: its turn comes there
        assert message.id is not None
        if deliver(deps, client, message.id, now_anyway=True).status is not OutboxStatus.SENT:
            break  # the rest come after it: the sweep sends them when Slack answers
        sent_now = True
    with deps.session() as session:
        after = outbox.chain(session=session, first_id=first_id)
    out = sum(message.status is OutboxStatus.SENT for message in after)
    if out < len(after) and (fresh or sent_now or any(
            message.status is OutboxStatus.PENDING and message.attempts > 0
            for message in after)):
        return PostResult(Outcome.QUEUED, plan, team.channel_id, team.name, sent=out,
                          total=len(after))
    if not (fresh or sent_now):
        return PostResult(Outcome.ALREADY_POSTED, plan, team.channel_id, team.name)
    cancelled = plan.held_on is None
    return PostResult(Outcome.CANCELLATION_POSTED if cancelled else Outcome.POSTED, plan,
                      team.channel_id, team.name)


def post_weekly_agenda(deps: Deps, client: WebClient, now: datetime) -> list[PostResult]:
    """The scheduled job: on the posting day, from the posting time until the meeting, post
    each team's agenda for its coming meeting if nobody has. Safe to run often and on every
    replica; one team's failure does not keep the others' agendas back."""
    with deps.session() as session:
        teams = meeting_channels(session=session, own_channel=deps.settings.channel)
    results = []
    for team in teams:  # each on its own day: the working day before its own meeting
        rules = team_rules(deps, team)
        plan = next_meeting(now, rules)
        if now < posting_instant(plan, rules, deps.clock.tz):
            results.append(PostResult(Outcome.NOT_YET, plan, team.channel_id, team.name))
            continue
        try:
            results.append(post_agenda(deps, client, plan, team))
        except Exception:  # logged with the team; the next run tries it again
            log.exception("could not post the agenda of team %s", team.name or "(own)")
            results.append(PostResult(Outcome.FAILED, plan, team.channel_id, team.name))
    return results
