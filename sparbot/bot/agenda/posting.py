"""Posting the agenda to each team's channel: once per team and meeting, one message per
case so each case's decisions have their own thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sparbot.bot import markers
from sparbot.bot.agenda import blocks as build
from sparbot.bot.deps import Deps
from sparbot.bot.render import mention
from sparbot.bot.replies import fallback_text
from sparbot.clock import utcnow
from sparbot.services import sparring
from sparbot.services.agenda import Agenda, build_agenda
from sparbot.services.audit import AuditAction, audit
from sparbot.services.meetings import (
    MeetingPlan,
    MeetingRules,
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
    FAILED = "failed"


@dataclass(frozen=True)
class PostResult:
    outcome: Outcome
    plan: MeetingPlan
    channel_id: str | None = None
    team: str | None = None  # None: the deployment's own team


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


def jobcenter_question(deps: Deps, team: TeamChannel) -> str:
    """Will the jobcenter attend: the team's own attendees, or the deployment's. A Slack id
    becomes a mention (markup the template keeps); a name is text (the template escapes it)."""
    attendees = [mention(who) or who for who in team_rules(deps, team).jobcenter_attendees]
    return deps.renderer.text("agenda", "jobcenter_question", attendees=attendees)


def post_agenda(deps: Deps, client: WebClient, plan: MeetingPlan,
                team: TeamChannel | None = None) -> PostResult:
    """Post a team's agenda this week (or its cancellation) unless some process already has
    (default: the deployment's own team)."""
    team = team or own_team(deps)
    channel, scope = team.channel_id, team.scope
    if not channel:
        return PostResult(Outcome.NO_CHANNEL, plan, team=team.name)
    if not is_private_channel(client, channel):
        log.error("refused to post the agenda: the team channel is not private")
        for admin in sorted(deps.settings.access().admins):
            client.chat_postMessage(channel=admin,
                                    text=deps.renderer.text("agenda", "not_private",
                                                            channel=channel))
        return PostResult(Outcome.NOT_PRIVATE, plan, channel, team.name)
    settled = settle_abandoned_posting(deps, client, plan, team)
    if settled is not None:
        return settled
    with deps.session() as session:
        meeting = sparring.claim_posting(session=session, plan=plan, team=scope)
        if meeting is None:
            existing = sparring.meeting_for(session=session, plan=plan, team=scope)
            return PostResult(Outcome.ALREADY_POSTED, plan, existing.channel_id or channel,
                              team.name)
        meeting_id = meeting.id
        assert meeting_id is not None
    agenda = agenda_for(deps, plan, team)
    with deps.session() as session:
        recorded = sparring.record_agenda(session=session, meeting_id=meeting_id, agenda=agenda)
        audit(session=session, actor="system", action=AuditAction.READ, what="agenda.post",
              refs=[item.ref for item in agenda.items + agenda.not_reached])
    renderer = deps.renderer
    cancelled = plan.held_on is None
    overview = build.build_agenda_overview(
        agenda, renderer, interactive=not cancelled,
        jobcenter_line=None if cancelled else jobcenter_question(deps, team))
    overview[0].block_id = markers.agenda_marker(meeting_id)
    try:
        posted = client.chat_postMessage(channel=channel, text=fallback_text(overview),
                                         blocks=[block.to_dict() for block in overview])
    except SlackApiError as error:
        log.error("could not post the agenda: %s", error.response.get("error"))
        with deps.session() as session:
            sparring.release_claim(session=session, meeting_id=meeting_id)
        return PostResult(Outcome.FAILED, plan, channel, team.name)
    threads: dict[int, str] = {}
    for record, item in zip(recorded, agenda.items, strict=False):
        item_blocks = build.build_agenda_item(item, record.position, agenda, renderer,
                                              item_id=record.item_id)
        try:
            answer = client.chat_postMessage(channel=channel, text=fallback_text(item_blocks),
                                             blocks=[block.to_dict() for block in item_blocks])
            threads[record.item_id] = str(answer["ts"])
        except SlackApiError as error:  # the overview is out; say so and go on
            log.error("could not post agenda item %s: %s", record.position,
                      error.response.get("error"))
    with deps.session() as session:
        sparring.record_posted(session=session, meeting_id=meeting_id, agenda=agenda,
                               channel_id=str(posted.get("channel") or channel),
                               message_ts=str(posted["ts"]), item_threads=threads)
    return PostResult(Outcome.CANCELLATION_POSTED if cancelled else Outcome.POSTED, plan,
                      channel, team.name)


def settle_abandoned_posting(deps: Deps, client: WebClient, plan: MeetingPlan,
                             team: TeamChannel) -> PostResult | None:
    """A posting claimed by a process that died: the channel's history says how far it got.
    The overview is there: the items missing from it are posted, and the meeting is recorded
    as posted. Nothing is there: the claim is released, and the caller posts it whole.
    Slack cannot be asked: left as it is (never posted twice), for the next run."""
    stale_before = deps.settings.abandoned_before(utcnow())
    channel = team.channel_id
    assert channel is not None
    with deps.session() as session:
        meeting = sparring.abandoned_posting(session=session, plan=plan,
                                             stale_before=stale_before, team=team.scope)
        if meeting is None or meeting.id is None or not sparring.claim_settling(
                session=session, meeting_id=meeting.id, stale_before=stale_before):
            return None
        meeting_id, claimed_at = meeting.id, meeting.claimed_at or meeting.created_at
        items = [(item.id, item.case_id, item.position) for item in
                 sparring.reached_items(session=session, meeting_id=meeting_id)]
    try:
        found = markers.posted_markers(client, channel, since=claimed_at)
    except SlackApiError as error:
        log.error("could not check an abandoned agenda posting (%s); left for the next run",
                  error.response.get("error"))
        return PostResult(Outcome.FAILED, plan, channel, team.name)
    overview_ts = found.get(markers.agenda_marker(meeting_id))
    if overview_ts is None:
        log.info("an abandoned agenda posting never reached Slack: posting it now")
        with deps.session() as session:
            sparring.release_claim(session=session, meeting_id=meeting_id)
        return None
    agenda = agenda_for(deps, plan, team)
    entries = {entry.snapshot.case.id: entry for entry in agenda.items + agenda.not_reached}
    threads: dict[int, str] = {}
    for item_id, case_id, position in items:
        assert item_id is not None
        ts = found.get(markers.agenda_item_marker(item_id))
        if ts is None and case_id in entries:  # it did not get out: post it now
            item_blocks = build.build_agenda_item(entries[case_id], position, agenda,
                                                  deps.renderer, item_id=item_id)
            try:
                answer = client.chat_postMessage(
                    channel=channel, text=fallback_text(item_blocks),
                    blocks=[block.to_dict() for block in item_blocks])
                ts = str(answer["ts"])
            except SlackApiError as error:  # the overview is out; as when posting, go on
                log.error("could not post agenda item %s: %s", position,
                          error.response.get("error"))
        if ts is not None:
            threads[item_id] = ts
    log.info("an abandoned agenda posting was finished (%s of %s items were out)",
             len(threads), len(items))
    with deps.session() as session:
        sparring.record_posted(session=session, meeting_id=meeting_id, agenda=agenda,
                               channel_id=channel, message_ts=overview_ts,
                               item_threads=threads)
    return PostResult(Outcome.POSTED, plan, channel, team.name)


def is_private_channel(client: WebClient, channel: str) -> bool:
    """Case details go only to a private channel; anything we cannot verify is not one."""
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError:
        return False
    return bool((info.get("channel") or {}).get("is_private"))


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
