"""The meeting's bookkeeping: requests for the agenda, claiming the posting exactly once,
what was posted, what was discussed, and whether the jobcenter is at the table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sparbot.clock import utcnow
from sparbot.enums import MeetingStatus, ReasonCode
from sparbot.errors import UserError
from sparbot.models import AgendaItem, AgendaRequest, Case, Meeting, OutboxMessage
from sparbot.privacy import ensure_no_cpr
from sparbot.services.agenda import Agenda, needs_jobcenter
from sparbot.services.audit import AuditAction, audit
from sparbot.services.meetings import MeetingPlan
from sparbot.services.roster import get_active_case
from sparbot.services.teams import OWN_TEAM, TeamScope

REQUEST_REASON_MAX = 500


def add_agenda_request(*, session: Session, ref: str, reason: str, actor: str | None,
                       today: date) -> AgendaRequest:
    case = get_active_case(session=session, ref=ref)
    reason = reason.strip()
    ensure_no_cpr(reason)
    if not reason:
        raise UserError("missing_agenda_reason", ref=case.ref)
    if len(reason) > REQUEST_REASON_MAX:
        raise UserError("text_too_long", maximum=REQUEST_REASON_MAX)
    request = AgendaRequest(case_id=case.id, reason=reason, requested_by=actor,  # type: ignore[arg-type]
                            requested_on=today)
    session.add(request)
    session.flush()
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what="agenda.request",
          refs=[case.ref])
    return request


def meeting_for(*, session: Session, plan: MeetingPlan, team: TeamScope = OWN_TEAM
                ) -> Meeting:
    """A team's meeting row for a week, created once even when two processes race for it."""
    this_week = (Meeting.regular_date == plan.regular, team.meetings())
    meeting = session.exec(select(Meeting).where(*this_week)).first()
    if meeting is not None:
        return meeting
    try:
        with session.begin_nested():
            meeting = Meeting(regular_date=plan.regular, held_on=plan.held_on,
                              team_id=team.team_id)
            session.add(meeting)
    except IntegrityError:
        meeting = session.exec(select(Meeting).where(*this_week)).one()
    return meeting


def claim_posting(*, session: Session, plan: MeetingPlan, team: TeamScope = OWN_TEAM
                  ) -> Meeting | None:
    """Claim the right to post a team's agenda this week. Exactly one caller ever gets it;
    commit the session before posting so that every other process sees the claim."""
    meeting = meeting_for(session=session, plan=plan, team=team)
    claimed = session.execute(
        update(Meeting).where(col(Meeting.id) == meeting.id,
                              col(Meeting.status) == MeetingStatus.PLANNED)
        .values(status=MeetingStatus.POSTING, claimed_at=utcnow())
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(meeting)
    return meeting


def reopen_unqueued_posting(*, session: Session, plan: MeetingPlan, stale_before: datetime,
                            team: TeamScope = OWN_TEAM) -> bool:
    """A posting claimed before the outbox existed (by a process that died during the
    upgrade) has no messages queued: let it be claimed and posted anew. Asked only when
    the claim fails; True when it was reopened."""
    meeting = session.exec(select(Meeting).where(
        Meeting.regular_date == plan.regular, team.meetings(),
        col(Meeting.status) == MeetingStatus.POSTING,
        col(Meeting.claimed_at) < stale_before)).first()
    if meeting is None or session.exec(select(OutboxMessage.id).where(
            OutboxMessage.kind == "agenda", OutboxMessage.subject_id == meeting.id)).first():
        return False
    meeting.status = MeetingStatus.PLANNED
    for item in session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)):
        session.delete(item)
    session.flush()
    return True


@dataclass(frozen=True)
class RecordedItem:
    item_id: int
    position: int


def record_agenda(*, session: Session, meeting_id: int, agenda: Agenda) -> list[RecordedItem]:
    """Write what is about to be posted: every item, reached or not, with its reasons."""
    recorded = []
    entries = [(item, True) for item in agenda.items] + \
              [(item, False) for item in agenda.not_reached]
    rows = [AgendaItem(meeting_id=meeting_id, case_id=entry.snapshot.case.id,  # type: ignore[arg-type]
                       position=position, reached=reached,
                       reasons=json.dumps([reason.to_json() for reason in entry.reasons]))
            for position, (entry, reached) in enumerate(entries, start=1)]
    session.add_all(rows)
    session.flush()  # one batch, whatever the number of items
    for row in rows:
        assert row.id is not None
        recorded.append(RecordedItem(row.id, row.position))
    return recorded


def record_overview_posted(*, session: Session, meeting_id: int, channel_id: str,
                           message_ts: str) -> None:
    """The overview (or the cancellation) is in the channel: the meeting is posted, and the
    requests for the cases it reached are taken up."""
    meeting = session.get_one(Meeting, meeting_id)
    meeting.status = (MeetingStatus.POSTED if meeting.held_on is not None
                      else MeetingStatus.CANCELLED)
    meeting.channel_id, meeting.message_ts, meeting.posted_at = channel_id, message_ts, utcnow()
    reached = select(AgendaItem.case_id).where(AgendaItem.meeting_id == meeting_id,
                                               col(AgendaItem.reached).is_(True))
    for request in session.exec(select(AgendaRequest).where(
            col(AgendaRequest.taken_up_at_meeting_id).is_(None),
            col(AgendaRequest.case_id).in_(reached))):
        request.taken_up_at_meeting_id = meeting_id


def record_item_posted(*, session: Session, item_id: int, thread_ts: str) -> None:
    item = session.get(AgendaItem, item_id)
    if item is not None:  # erased with its case meanwhile
        item.thread_ts = thread_ts


def agenda_item_with_case(*, session: Session, item_id: int) -> tuple[AgendaItem, Case]:
    item = session.get(AgendaItem, item_id)
    case = session.get(Case, item.case_id) if item is not None else None
    if item is None or case is None:
        raise UserError("unknown_agenda_item")
    return item, case


def reason_codes(item: AgendaItem) -> list[ReasonCode]:
    """The reasons an agenda item was posted with, in their order."""
    return [ReasonCode(reason["code"]) for reason in json.loads(item.reasons)
            if reason.get("code") in ReasonCode._value2member_map_]


def mark_discussed(*, session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise UserError("unknown_agenda_item")
    item.discussed = True
    return item


def agenda_thread(*, session: Session, case_id: int, meeting_id: int | None
                  ) -> tuple[str, str] | None:
    """The thread of the case's item on a posted agenda: that meeting's, else the latest."""
    statement = (select(Meeting.channel_id, AgendaItem.thread_ts)
                 .join(AgendaItem, col(AgendaItem.meeting_id) == Meeting.id)
                 .where(AgendaItem.case_id == case_id, col(AgendaItem.thread_ts).is_not(None),
                        col(Meeting.channel_id).is_not(None)))
    if meeting_id is not None:
        statement = statement.where(Meeting.id == meeting_id)
    row = session.exec(statement.order_by(col(Meeting.held_on).desc())).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def case_for_thread(*, session: Session, thread_ts: str | None) -> Case | None:
    """The case whose agenda item started this thread, if any."""
    if thread_ts is None:
        return None
    return session.exec(select(Case).join(AgendaItem, col(AgendaItem.case_id) == Case.id)
                        .where(AgendaItem.thread_ts == thread_ts)).first()


def meeting_by_message(*, session: Session, message_ts: str) -> Meeting:
    meeting = session.exec(select(Meeting).where(Meeting.message_ts == message_ts)).first()
    if meeting is None:
        raise UserError("unknown_agenda_item")
    return meeting


def jobcenter_refs(*, session: Session, meeting_id: int) -> list[str]:
    """The cases on a posted agenda that need the jobcenter's decision."""
    rows = session.exec(select(AgendaItem, Case.ref).join(Case, col(Case.id) == AgendaItem.case_id)
                        .where(AgendaItem.meeting_id == meeting_id)
                        .order_by(col(AgendaItem.position)))
    return [ref for item, ref in rows
            if needs_jobcenter((reason["code"], reason.get("facts") or {})
                               for reason in json.loads(item.reasons))]

