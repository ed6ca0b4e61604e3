"""The agenda for a sparring meeting: which cases to take up, why, in what order, and what
fits in the hour. A fixed number of queries, whatever the size of the roster."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from sparbot.clock import weeks
from sparbot.enums import DueKind, MeetingStatus, ReasonCode
from sparbot.models import Absence, AgendaItem, AgendaRequest, Case, Meeting
from sparbot.services.absences import away_on, long_absences
from sparbot.services.agenda_rules import AgendaRules
from sparbot.services.agreements import placement_ending_facts
from sparbot.services.attendance import attendance_flag, week_of
from sparbot.services.away_ahead import AwayAhead, away_ahead, away_ahead_facts
from sparbot.services.collector import collector_paused
from sparbot.services.decisions import OverdueAction, overdue_actions
from sparbot.services.due import due_items
from sparbot.services.internship_length import internship_limit_facts
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.settled import Settled, quiet, settled_on
from sparbot.services.snapshots import CaseSnapshot
from sparbot.services.teams import OWN_TEAM, TeamScope
from sparbot.services.working_set import load_working_set

_RANK = {code: rank for rank, code in enumerate(ReasonCode)}
DEFAULT_RULES = AgendaRules()
_WEEK = weeks(1)


class Reason(NamedTuple):
    """One reason to take up a case, with the facts the agenda shows (a tuple: thousands are
    made for every agenda)."""

    code: ReasonCode
    facts: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code.value,
                "facts": {key: value.isoformat() if isinstance(value, date) else value
                          for key, value in self.facts.items()}}


def needs_jobcenter(reasons: Iterable[tuple[str, Mapping[str, Any]]]) -> bool:
    """Whether the course's end is to be decided with the jobcenter: now, or before its
    consultant goes away. Read from reasons as built or as stored with a posted item."""
    return any(code in _WITH_JOBCENTER or (
        code == ReasonCode.AWAY_AHEAD and facts.get("role") == "jobcenter" and "end" in facts)
        for code, facts in reasons)


_WITH_JOBCENTER = frozenset({ReasonCode.COURSE_ENDING, ReasonCode.INTERNSHIP_LENGTH})


@dataclass(slots=True)
class AgendaEntry:
    snapshot: CaseSnapshot
    reasons: list[Reason]
    jobcenter_away_until: date | None = None  # the case's jobcenter consultant is away

    @property
    def ref(self) -> str:
        return self.snapshot.case.ref

    @property
    def codes(self) -> list[ReasonCode]:
        return [reason.code for reason in self.reasons]

    @property
    def needs_jobcenter(self) -> bool:
        return needs_jobcenter(self.reasons)

    def sort_key(self) -> tuple[int, date, str]:
        """The most pressing reason first, then the earliest date it names, then the case."""
        rank = min(_RANK[code] for code, _ in self.reasons)
        urgency = min([facts.get("due") or facts.get("end") or date.max
                       for _, facts in self.reasons])
        return rank, urgency, self.snapshot.case.ref_key


@dataclass
class Agenda:
    plan: MeetingPlan
    rules: MeetingRules
    items: list[AgendaEntry]
    not_reached: list[AgendaEntry]
    previous_meeting: date | None
    team: str | None = None  # the team's name; None: the deployment's own team

    @property
    def meeting_date(self) -> date | None:
        return self.plan.held_on

    def to_json(self) -> dict[str, Any]:
        def entry(item: AgendaEntry, position: int) -> dict[str, Any]:
            snapshot = item.snapshot
            return {
                "position": position, "ref": item.ref, "minutes": self.rules.minutes_per_case,
                "reasons": [reason.to_json() for reason in item.reasons],
                "needs_jobcenter": item.needs_jobcenter,
                "mentor": _who(snapshot.mentor),
                "company_consultant": _who(snapshot.company_consultant),
                "jobcenter_consultant": _who(snapshot.jobcenter_consultant),
            }

        return {
            "team": self.team,
            "meeting": {
                "date": self.meeting_date.isoformat() if self.meeting_date else None,
                "regular_date": self.plan.regular.isoformat(),
                "cancelled": self.plan.held_on is None,
                "moved": self.plan.moved, "closed_because": self.plan.closed_because,
                "starts_at": self.rules.starts_at.strftime("%H:%M"),
                "minutes": self.rules.minutes,
            },
            "items": [entry(item, index) for index, item in enumerate(self.items, start=1)],
            "not_reached": [entry(item, index) for index, item in
                            enumerate(self.not_reached, start=len(self.items) + 1)],
        }


def _who(person: Any) -> str | None:
    return None if person is None else (person.slack_user_id or person.email or person.name)


def build_agenda(*, session: Session, plan: MeetingPlan, rules: MeetingRules,
                 agenda_rules: AgendaRules = DEFAULT_RULES, team: TeamScope = OWN_TEAM
                 ) -> Agenda:
    """Every active case's reasons (the team's cases), ranked; what fits in the meeting, and
    what does not."""
    with collector_paused():
        return _build_agenda(session, plan, rules, agenda_rules, team)


def _build_agenda(session: Session, plan: MeetingPlan, rules: MeetingRules,
                  agenda_rules: AgendaRules, team: TeamScope) -> Agenda:
    meeting_day = plan.held_on or plan.regular
    requests = _open_requests(session, team)
    previous = session.exec(select(Meeting).where(
        Meeting.status == MeetingStatus.POSTED, col(Meeting.held_on) < meeting_day,
        team.meetings()).order_by(col(Meeting.held_on).desc())).first()
    since = previous.held_on if previous and previous.held_on else meeting_day - timedelta(days=7)
    snapshots = load_working_set(
        session, meeting_day, since=since, team=team,
        attendance_from=week_of(meeting_day) - weeks(agenda_rules.attendance.window_weeks))
    carried = _carried_over(session, previous)
    last_taken_up = _last_taken_up(session, meeting_day, team)
    overdue = overdue_actions(session=session, on=meeting_day, cases=team.cases())
    away = long_absences(session=session, day=meeting_day)
    away_that_day = away_on(session=session, day=meeting_day)
    settled = settled_on(session=session, day=meeting_day, cases=team.cases())
    ahead = away_ahead(session=session, meeting_day=meeting_day, cases=team.cases())

    entries = []
    for snapshot in snapshots:
        assert snapshot.case.id is not None
        reasons = case_reasons(snapshot, meeting_day=meeting_day, since=since,
                               requests=requests.get(snapshot.case.id, []),
                               last_taken_up=last_taken_up.get(snapshot.case.id),
                               overdue=overdue.get(snapshot.case.id, []), rules=agenda_rules,
                               away=away, settled=settled.get(snapshot.case.id),
                               ahead=ahead)
        if snapshot.case.id in carried:
            reasons.insert(0, Reason(ReasonCode.CARRIED_OVER,
                                     {"meeting": previous.held_on if previous else None}))
        if reasons:
            entry = AgendaEntry(snapshot, reasons)
            jobcenter_id = snapshot.case.jobcenter_consultant_id
            if jobcenter_id in away_that_day and entry.needs_jobcenter:
                entry.jobcenter_away_until = away_that_day[jobcenter_id].ends_on
            entries.append(entry)
    entries.sort(key=AgendaEntry.sort_key)
    if plan.held_on is None:
        return Agenda(plan, rules, [], entries, previous.held_on if previous else None)
    return Agenda(plan, rules, entries[:rules.capacity], entries[rules.capacity:],
                  previous.held_on if previous else None)


def case_reasons(snapshot: CaseSnapshot, *, meeting_day: date, since: date,
                 requests: list[AgendaRequest], last_taken_up: date | None,
                 rules: AgendaRules, overdue: list[OverdueAction] | None = None,
                 away: dict[int, Absence] | None = None,
                 settled: list[Settled] | None = None,
                 ahead: AwayAhead | None = None) -> list[Reason]:
    """Every reason to take up one case at the meeting on `meeting_day`, rule by rule."""
    case = snapshot.case
    reasons = [Reason(ReasonCode.REQUESTED, {"text": request.reason, "by": request.requested_by,
                                             "on": request.requested_on})
               for request in requests] if requests else []
    # Rarely anyone: the ids are read off the case, the people only when one is away.
    if away and (case.mentor_id in away or case.company_consultant_id in away):
        for role, person_id, person in (
                ("mentor", case.mentor_id, snapshot.mentor),
                ("company-consultant", case.company_consultant_id, snapshot.company_consultant)):
            if person is not None and person_id in away:
                reasons.append(Reason(ReasonCode.OWNER_AWAY, {
                    "role": role, "who": person.slack_user_id or person.name or person.email,
                    "until": away[person_id].ends_on}))
    if ahead is not None and ahead.absences:
        reasons += [Reason(ReasonCode.AWAY_AHEAD, facts)
                    for facts in away_ahead_facts(snapshot, ahead)]
    end = snapshot.end_date
    if end - meeting_day <= weeks(rules.ending_weeks):
        reasons.append(Reason(ReasonCode.COURSE_ENDING, {
            "end": end, "week": snapshot.week_number(meeting_day),  # as the heading says
            "weeks": snapshot.total_weeks}))
    ending = placement_ending_facts(snapshot, meeting_day)
    if ending is not None:
        reasons.append(Reason(ReasonCode.PLACEMENT_ENDING, ending))
    internship = internship_limit_facts(snapshot, meeting_day, rules.internship)
    if internship is not None:
        reasons.append(Reason(ReasonCode.INTERNSHIP_LENGTH, internship))
    for action in overdue or []:
        reasons.append(Reason(ReasonCode.DECISION_OVERDUE, {
            "text": action.text, "due": action.due,
            "owner": action.owner.slack_user_id or action.owner.name or action.owner.email}))
    due = due_items(snapshot, meeting_day, rules.due_rules)
    for item in due:
        if item.kind is DueKind.MENTOR_MEETING and item.due_on < meeting_day:
            reasons.append(Reason(ReasonCode.MENTOR_MEETING_OVERDUE,
                                  {"due": item.due_on, "last": item.last_done}))
        elif item.kind is DueKind.WORKPLACE_FOLLOWUP and item.due_on < meeting_day:
            reasons.append(Reason(ReasonCode.FOLLOW_UP_OVERDUE, {
                "due": item.due_on, "last": item.last_done, "workplace": item.workplace}))
        elif item.kind is DueKind.PAID_HOURS:
            placement = snapshot.current_placement(meeting_day)
            hours = snapshot.hours_on(meeting_day)
            reasons.append(Reason(ReasonCode.PAID_HOURS, {
                "due": item.due_on, "workplace": item.workplace,
                "since": placement.start_date if placement else None,
                "hours": hours.pattern or hours.internship_hours if hours else None,
                "paid": hours.paid_hours if hours else 0}))
    if snapshot.attendance:
        flag = attendance_flag(snapshot.attendance, day=meeting_day, rules=rules.attendance)
        if flag is not None:
            reasons.append(Reason(ReasonCode.ATTENDANCE, flag))
    reasons += _hours_reasons(snapshot, meeting_day=meeting_day, since=since, rules=rules)
    if since < case.start_date <= meeting_day or (case.start_date > meeting_day and
                                                  case.start_date - meeting_day
                                                  < _WEEK):
        reasons.append(Reason(ReasonCode.NEW_CASE, {"start": case.start_date}))
    for placement in snapshot.placements:
        if since < placement.start_date <= meeting_day:
            reasons.append(Reason(ReasonCode.PLACEMENT_CHANGED, {
                "kind": placement.kind.value, "workplace": placement.workplace,
                "start": placement.start_date}))
    if settled:  # answered by a decision until a date, and the facts still stand
        reasons = [reason for reason in reasons
                   if quiet(snapshot, reason.code, meeting_day, settled) is None]
    rotation_cutoff = meeting_day - weeks(rules.rotation_weeks)
    if not reasons and case.start_date <= rotation_cutoff and (
            last_taken_up is None or last_taken_up <= rotation_cutoff):
        reasons.append(Reason(ReasonCode.ROTATION, {"last": last_taken_up}))
    return reasons


def _hours_reasons(snapshot: CaseSnapshot, *, meeting_day: date, since: date,
                   rules: AgendaRules) -> list[Reason]:
    """Hours gone down since the last meeting, or the same for many weeks: read from the
    entry in force alone, stamped with what came before it (hours_runs.py)."""
    now = snapshot.hours_on(meeting_day)
    if now is None:
        return []
    if now.total_before is not None and now.total < now.total_before and \
            now.effective_from > since:
        return [Reason(ReasonCode.HOURS_DOWN, {
            "from": now.pattern_before or now.total_before, "to": now.pattern or now.total,
            "from_total": now.total_before, "to_total": now.total, "on": now.effective_from})]
    unchanged_since = now.run_from or now.effective_from
    if meeting_day - unchanged_since >= weeks(rules.flat_hours_weeks):
        return [Reason(ReasonCode.HOURS_FLAT, {
            "hours": now.pattern or now.total, "total": now.total, "since": unchanged_since,
            "weeks": (meeting_day - unchanged_since).days // 7})]
    return []


def _open_requests(session: Session, team: TeamScope) -> dict[int, list[AgendaRequest]]:
    found: dict[int, list[AgendaRequest]] = {}
    for request in session.exec(select(AgendaRequest)
                                .join(Case, col(Case.id) == AgendaRequest.case_id).where(
            col(AgendaRequest.taken_up_at_meeting_id).is_(None), team.cases())
            .order_by(col(AgendaRequest.id))):
        found.setdefault(request.case_id, []).append(request)
    return found


def _carried_over(session: Session, previous: Meeting | None) -> set[int]:
    if previous is None:
        return set()
    return set(session.exec(select(AgendaItem.case_id).where(
        AgendaItem.meeting_id == previous.id, col(AgendaItem.discussed).is_(False))))


def _last_taken_up(session: Session, before: date, team: TeamScope) -> dict[int, date]:
    """When each of the team's cases was last reached, at any team's meeting (a case that
    moved team keeps its turn)."""
    rows = session.exec(select(AgendaItem.case_id, func.max(Meeting.held_on))
                        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
                        .join(Case, col(Case.id) == AgendaItem.case_id)
                        .where(col(AgendaItem.reached).is_(True),
                               col(Meeting.held_on) < before, team.cases())
                        .group_by(col(AgendaItem.case_id)))
    return {case_id: held_on for case_id, held_on in rows if held_on is not None}

