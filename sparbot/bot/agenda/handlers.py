"""The sparring meeting in Slack: the agenda on request, asking for a case to be taken up
(typed or in its form), posting now, the jobcenter's attendance and ticking items off as
discussed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import DividerBlock

from sparbot.bot.agenda import blocks as build
from sparbot.bot.agenda.commands import AddToAgenda, JobcenterAttendance, PostAgenda, ShowAgenda
from sparbot.bot.agenda.posting import (
    Outcome,
    agenda_for,
    coming_meeting,
    meeting_today_or_coming,
    post_agenda,
)
from sparbot.bot.delivery import send_now
from sparbot.bot.deps import Deps
from sparbot.bot.forms import confirm, modal_context, open_form, read_state, required
from sparbot.bot.ids import ActionId, BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.kit import MESSAGE_BLOCKS_MAX, context
from sparbot.bot.replies import message_place, modal_errors, reply, reply_text
from sparbot.errors import UserError
from sparbot.models import Case
from sparbot.services import outbox, sparring, teams
from sparbot.services.audit import AuditAction, audit
from sparbot.services.teams import TeamChannel

# The outbox's kinds for what the meeting's buttons change in the channel.
EDIT = "agenda-edit"
LINE = "agenda-line"


def team_of_call(deps: Deps, call: Invocation) -> TeamChannel:
    """The team of the channel the command was typed in; in a direct message, the team of
    most of the person's cases (teams.team_for)."""
    with deps.session() as session:
        return teams.team_for(session=session, channel_id=call.channel_id,
                              user_id=call.user_id, own_channel=deps.settings.channel)


def show_agenda(deps: Deps, command: ShowAgenda, call: Invocation) -> None:
    team = team_of_call(deps, call)
    agenda = agenda_for(deps, coming_meeting(deps, team), team)
    with deps.session() as session:
        audit(session=session, actor=call.user_id, action=AuditAction.READ,
              what="agenda.show", refs=[item.ref for item in agenda.items + agenda.not_reached])
    blocks = build.build_agenda_overview(agenda, deps.renderer)
    for position, item in enumerate(agenda.items, start=1):
        candidate = [*blocks, DividerBlock(),
                     *build.build_agenda_item(item, position, agenda, deps.renderer)]
        if len(candidate) > MESSAGE_BLOCKS_MAX:
            break
        blocks = candidate
    reply(call.respond, blocks)


def add_to_agenda(deps: Deps, command: AddToAgenda, call: Invocation) -> None:
    with deps.session() as session:
        request = sparring.add_agenda_request(session=session, ref=command.ref,
                                              reason=command.reason, actor=call.user_id,
                                              today=deps.clock.today())
        ref = session.get_one(Case, request.case_id).ref
        team = teams.team_of_case(session=session, case_id=request.case_id,
                                  own_channel=deps.settings.channel)
    reply_text(call.respond, deps.renderer.text("agenda", "request_added", ref=ref,
                                                meeting=coming_meeting(deps, team).held_on))


def post_now(deps: Deps, command: PostAgenda, call: Invocation) -> None:
    team = team_of_call(deps, call)
    result = post_agenda(deps, call.client, coming_meeting(deps, team), team)
    renderer = deps.renderer
    if result.outcome is Outcome.NO_CHANNEL:  # typed outside any team: say where to type it
        with deps.session() as session:
            choices = [(each.name, each.channel_id) for each in teams.meeting_channels(
                session=session, own_channel=None) if each.name]
        reply_text(call.respond, renderer.text("agenda", "no_channel", teams=choices))
    elif result.outcome is Outcome.ALREADY_POSTED:
        reply_text(call.respond, renderer.text("agenda", "already_posted",
                                               channel=result.channel_id))
    elif result.outcome is Outcome.NOT_PRIVATE:
        reply_text(call.respond, renderer.text("agenda", "not_private",
                                               channel=result.channel_id))
    elif result.outcome is Outcome.QUEUED:
        reply_text(call.respond, renderer.text("agenda", "queued", channel=result.channel_id,
                                               sent=result.sent, total=result.total))
    elif result.outcome is Outcome.FAILED:  # Slack could not say whether the channel is private
        reply_text(call.respond, renderer.text("agenda", "slack_unavailable",
                                               channel=result.channel_id))
    else:
        reply_text(call.respond, renderer.text("agenda", "posted", channel=result.channel_id))


def set_jobcenter_attendance(deps: Deps, command: JobcenterAttendance, call: Invocation) -> None:
    team = team_of_call(deps, call)
    plan = meeting_today_or_coming(deps, team)  # at 10:02 the meeting under way
    queued = None
    with deps.session() as session:
        meeting = sparring.meeting_for(session=session, plan=plan, team=team.scope)
        meeting.jobcenter_present = command.present
        refs = sparring.jobcenter_refs(session=session, meeting_id=meeting.id or 0)
        line = _presence_line(deps, call.user_id, command.present, refs)
        if meeting.channel_id and meeting.message_ts:  # said in the agenda's thread too
            queued = outbox.enqueue(session=session, kind=LINE, text=line, blocks=[],
                                    channel_id=meeting.channel_id,
                                    thread_ts=meeting.message_ts, notify=[call.user_id])
    send_now(deps, call.client, queued)
    reply_text(call.respond, line)


def _presence_line(deps: Deps, user_id: str, present: bool, refs: list[str]) -> str:
    if present:
        return deps.renderer.text("agenda", "jobcenter_present", user_id=user_id)
    return deps.renderer.text("agenda", "jobcenter_absent", user_id=user_id, refs=refs)


def handle_jobcenter_presence_action(deps: Deps, body: dict[str, Any],
                                     action: dict[str, Any], client: WebClient) -> None:
    present = action["action_id"] == ActionId.JOBCENTER_PRESENT.value
    channel, message = message_place(body)
    user_id = body["user"]["id"]
    flag = None
    with deps.session() as session:
        meeting = sparring.meeting_by_message(session=session, message_ts=message["ts"])
        meeting.jobcenter_present = present
        refs = sparring.jobcenter_refs(session=session, meeting_id=meeting.id or 0)
        line = _presence_line(deps, user_id, present, refs)
        blocks = [_with_text(block, line) if block.get("block_id") ==
                  build.JOBCENTER_LINE_BLOCK else block for block in message.get("blocks", [])]
        edited = outbox.queue_edit(session=session, kind=EDIT, channel=channel,
                                   ts=message["ts"], text=message.get("text", ""),
                                   blocks=blocks, clicked_by=body["user"]["id"])
        if not present and refs:  # flag it where people will see it before the meeting
            flag = outbox.enqueue(session=session, kind=LINE, text=line, blocks=[],
                                  channel_id=channel, thread_ts=message["ts"], broadcast=True,
                                  notify=[user_id])
    send_now(deps, client, edited, flag)


def handle_agenda_item_discussed_action(deps: Deps, body: dict[str, Any],
                                        action: dict[str, Any], client: WebClient,
                                        respond: Respond) -> None:
    channel, message = message_place(body)
    kept = [block for block in message.get("blocks", [])
            if block.get("type") not in ("actions", "context")]
    done = context(deps.renderer.text("agenda", "discussed",
                                            user_id=body["user"]["id"])).to_dict()
    with deps.session() as session:
        item = sparring.mark_discussed(session=session, item_id=int(action["value"]))
        edited = outbox.queue_edit(session=session, kind=EDIT, channel=channel,
                                   ts=message["ts"], text=message.get("text", ""),
                                   blocks=[*kept, done], case_id=item.case_id,
                                   clicked_by=body["user"]["id"])
    send_now(deps, client, edited)


def _with_text(block: dict[str, Any], text: str) -> dict[str, Any]:
    return {**block, "text": {"type": "mrkdwn", "text": text}}


def open_agenda_request_form(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    """The case card's "Sæt på dagsorden": the form asking why."""
    open_form(deps, call, action.get("value"),
              lambda metadata: build.build_agenda_request_modal(deps.renderer, metadata))


def handle_agenda_request_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                     view: dict[str, Any], client: WebClient) -> None:
    user_id = body["user"]["id"]
    try:
        reason = required(read_state(view), BlockId.REASON)
        with deps.session() as session:
            request = sparring.add_agenda_request(
                session=session, ref=modal_context(view).lookup or "", reason=reason,
                actor=user_id, today=deps.clock.today())
            ref = session.get_one(Case, request.case_id).ref
            team = teams.team_of_case(session=session, case_id=request.case_id,
                                      own_channel=deps.settings.channel)
    except UserError as error:
        ack(response_action="errors", errors=modal_errors(deps.renderer, error, view))
        return
    ack()
    confirm(client, user_id, deps.renderer.text(
        "agenda", "request_added", ref=ref, meeting=coming_meeting(deps, team).held_on))
