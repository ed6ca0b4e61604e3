"""Decisions taken at the sparring meeting: recorded with owners and due dates, followed
to done, edited with their history kept, and cancelled. Extension and closing decisions
change the course itself."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import update
from sqlmodel import Session, col, select

from sparbot.enums import (
    ActionStatus,
    CaseStatus,
    DecisionCategory,
    DecisionStatus,
    Outcome,
    ReasonCode,
)
from sparbot.errors import UserError
from sparbot.models import (
    TEXT_MAX,
    AgendaItem,
    Case,
    Decision,
    DecisionAction,
    DecisionChange,
    Meeting,
    Person,
)
from sparbot.privacy import ensure_no_cpr
from sparbot.services import roster
from sparbot.services.audit import AuditAction, audit
from sparbot.services.people import PersonRef, people_by_id, resolve_person
from sparbot.services.settled import settling


@dataclass(frozen=True)
class DecisionCreate:
    ref: str
    text: str
    category: DecisionCategory = DecisionCategory.OTHER
    owners: Sequence[PersonRef] = ()
    jobcenter_owner: bool = False
    due: date | None = None
    present: Sequence[str] = ()
    jobcenter_agreed: bool | None = None
    extension_weeks: int | None = None
    outcome: Outcome | None = None
    settles: ReasonCode | None = None  # the agenda reason it answers, until `settled_until`
    settled_until: date | None = None


@dataclass
class ActionView:
    action: DecisionAction
    owner: Person


@dataclass
class DecisionView:
    decision: Decision
    case: Case
    actions: list[ActionView] = field(default_factory=list)

    @property
    def open_actions(self) -> list[ActionView]:
        return [item for item in self.actions if item.action.status == ActionStatus.OPEN]

    @property
    def present(self) -> list[str]:
        return [str(user) for user in json.loads(self.decision.present or "[]")]

    @property
    def cancelled(self) -> bool:
        return self.decision.status == DecisionStatus.CANCELLED


def _clean(text: str) -> str:
    text = text.strip()
    ensure_no_cpr(text)
    if not text:
        raise UserError("missing_decision_text", field="decision-text")
    if len(text) > TEXT_MAX:
        raise UserError("text_too_long", field="decision-text", maximum=TEXT_MAX)
    return text


def _log(session: Session, decision_id: int, change: str, actor: str | None,
         detail: dict[str, Any]) -> None:
    session.add(DecisionChange(decision_id=decision_id, change=change, changed_by=actor,
                               detail=json.dumps(detail, default=str, ensure_ascii=False)))


def current_meeting(session: Session, case_id: int, today: date) -> Meeting | None:
    """Today's posted meeting, if the case is on it: the decision belongs to that meeting."""
    return session.exec(select(Meeting).join(AgendaItem, col(AgendaItem.meeting_id) ==
                                             Meeting.id)
                        .where(Meeting.held_on == today, AgendaItem.case_id == case_id)).first()


def record_decision(*, session: Session, data: DecisionCreate, actor: str | None,
                    today: date) -> DecisionView:
    case = roster.get_active_case(session=session, ref=data.ref)
    assert case.id is not None
    text = _clean(data.text)
    if data.category is DecisionCategory.EXTENSION and not data.extension_weeks:
        raise UserError("extension_needs_weeks", field="extension-weeks", ref=case.ref)
    if data.category is DecisionCategory.CLOSING and data.outcome is None:
        raise UserError("closing_needs_outcome", field="outcome", ref=case.ref)
    if data.due is not None and data.due < today:
        raise UserError("due_in_past", field="due")
    settles, settled_until = settling(settles=data.settles, until=data.settled_until,
                                      category=data.category, today=today)
    owners = [resolve_person(session=session, ref=owner) for owner in data.owners]
    if data.jobcenter_owner:
        if case.jobcenter_consultant_id is None:
            raise UserError("no_jobcenter_consultant", field="jobcenter-owner", ref=case.ref)
        owners.append(session.get_one(Person, case.jobcenter_consultant_id))
    if not owners:  # the fixed mentor coordinates: a decision never goes unowned
        owners.append(session.get_one(Person, case.mentor_id))
    meeting = current_meeting(session, case.id, today)
    decision = Decision(
        case_id=case.id, meeting_id=meeting.id if meeting else None, text=text,
        category=data.category, decided_on=today, present=json.dumps(list(data.present)),
        jobcenter_present=meeting.jobcenter_present if meeting else None,
        jobcenter_agreed=data.jobcenter_agreed, extension_weeks=data.extension_weeks,
        outcome=data.outcome, settles=settles, settled_until=settled_until,
        recorded_by=actor)
    session.add(decision)
    session.flush()
    assert decision.id is not None
    seen: set[int] = set()
    for owner in owners:
        assert owner.id is not None
        if owner.id in seen:
            continue
        seen.add(owner.id)
        session.add(DecisionAction(decision_id=decision.id, owner_id=owner.id, due_date=data.due))
    if data.category is DecisionCategory.EXTENSION and data.extension_weeks:
        roster.extend_course(session=session, ref=case.ref, weeks=data.extension_weeks,
                             decided_on=today, reason=text, actor=actor)
    if data.category is DecisionCategory.CLOSING and data.outcome is not None:
        roster.close_case(session=session, ref=case.ref, outcome=data.outcome, closed_on=today,
                          actor=actor)
    if meeting is not None:
        item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                     AgendaItem.case_id == case.id)).first()
        if item is not None:
            item.discussed = True
    _log(session, decision.id, "recorded", actor, {"text": text})
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what="decision.record",
          refs=[case.ref])
    session.flush()
    return load_decision(session=session, decision_id=decision.id)


def load_decision(*, session: Session, decision_id: int) -> DecisionView:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise UserError("unknown_decision")
    return views_of(session, [decision])[0]


def views_of(session: Session, decisions: Sequence[Decision]) -> list[DecisionView]:
    """Decisions with their cases, actions and owners in three queries."""
    if not decisions:
        return []
    ids = [decision.id for decision in decisions]
    cases = {case.id: case for case in session.exec(select(Case).where(
        col(Case.id).in_({decision.case_id for decision in decisions})))}
    rows = session.exec(select(DecisionAction, Person)
                        .join(Person, col(Person.id) == DecisionAction.owner_id)
                        .where(col(DecisionAction.decision_id).in_(ids))
                        .order_by(col(DecisionAction.id))).all()
    views = {decision.id: DecisionView(decision, cases[decision.case_id])
             for decision in decisions}
    for action, person in rows:
        views[action.decision_id].actions.append(ActionView(action, person))
    return [views[decision.id] for decision in decisions]


def complete_action(*, session: Session, action_id: int, actor: str | None,
                    today: date) -> tuple[DecisionView, bool]:
    """Mark one action done. Returns the decision and whether this call changed anything
    (a second click, or Slack retrying the request, changes nothing)."""
    action = session.get(DecisionAction, action_id)
    if action is None:
        raise UserError("unknown_decision")
    # One conditional UPDATE: of two clicks arriving together, exactly one changes it.
    result = session.execute(
        update(DecisionAction)
        .where(col(DecisionAction.id) == action_id,
               col(DecisionAction.status) == ActionStatus.OPEN)
        .values(status=ActionStatus.DONE, done_on=today, done_by=actor)
        .execution_options(synchronize_session=False))
    changed = result.rowcount == 1  # type: ignore[attr-defined]
    if changed:
        session.refresh(action)
        _log(session, action.decision_id, "action-done", actor, {"action": action_id})
        session.flush()
    view = load_decision(session=session, decision_id=action.decision_id)
    if changed:
        audit(session=session, actor=actor, action=AuditAction.CHANGE, what="decision.done",
              refs=[view.case.ref])
    return view, changed


def cancel_decision(*, session: Session, decision_id: int, actor: str | None) -> DecisionView:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise UserError("unknown_decision")
    if decision.status != DecisionStatus.CANCELLED:
        decision.status = DecisionStatus.CANCELLED
        for action in session.exec(select(DecisionAction).where(
                DecisionAction.decision_id == decision_id,
                DecisionAction.status == ActionStatus.OPEN)):
            action.status = ActionStatus.CANCELLED
        _log(session, decision_id, "cancelled", actor, {})
        session.flush()
    view = load_decision(session=session, decision_id=decision_id)
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what="decision.cancel",
          refs=[view.case.ref])
    return view


def edit_decision(*, session: Session, decision_id: int, actor: str | None,
                  text: str | None = None, category: DecisionCategory | None = None,
                  due: date | None = None, owners: Sequence[PersonRef] | None = None,
                  today: date) -> DecisionView:
    """Change what was decided; the history keeps what it said before, and who changed it."""
    view = load_decision(session=session, decision_id=decision_id)
    decision = view.decision
    if view.cancelled:
        raise UserError("decision_cancelled")
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if text is not None and _clean(text) != decision.text:
        before["text"], after["text"] = decision.text, _clean(text)
        decision.text = after["text"]
    if category is not None and category != decision.category:
        before["category"], after["category"] = decision.category.value, category.value
        decision.category = category
    open_actions = [item.action for item in view.open_actions]
    if due is not None:
        if due < today:
            raise UserError("due_in_past", field="due")
        old = sorted({str(action.due_date) for action in open_actions})
        if old != [str(due)]:
            before["due"], after["due"] = old, str(due)
            for action in open_actions:
                action.due_date = due
    if owners is not None and owners:
        people = [resolve_person(session=session, ref=owner) for owner in owners]
        wanted = {person.id for person in people}
        have = {item.action.owner_id for item in view.open_actions}
        if wanted != have:
            before["owners"] = sorted(str(item.owner.slack_user_id or item.owner.id)
                                      for item in view.open_actions)
            after["owners"] = sorted(str(person.slack_user_id or person.id) for person in people)
            due_date = due or next((action.due_date for action in open_actions), None)
            for action in open_actions:
                if action.owner_id not in wanted:
                    action.status = ActionStatus.CANCELLED
            for person in people:
                if person.id not in have:
                    session.add(DecisionAction(decision_id=decision_id, owner_id=person.id,  # type: ignore[arg-type]
                                               due_date=due_date))
    if after:
        _log(session, decision_id, "edited", actor, {"before": before, "after": after})
        audit(session=session, actor=actor, action=AuditAction.CHANGE, what="decision.edit",
              refs=[view.case.ref])
    session.flush()
    return load_decision(session=session, decision_id=decision_id)


def set_message(*, session: Session, decision_id: int, channel_id: str, message_ts: str,
                thread_ts: str | None) -> None:
    decision = session.get_one(Decision, decision_id)
    decision.channel_id, decision.message_ts, decision.thread_ts = channel_id, message_ts, \
        thread_ts


def list_decisions(*, session: Session, ref: str | None = None, owner_id: int | None = None,
                   open_only: bool = False, limit: int = 20,
                   within: sa.ColumnElement[bool] | None = None) -> list[DecisionView]:
    """The latest active decisions (on the cases `within` keeps: those a person may see)."""
    statement = select(Decision).where(Decision.status == DecisionStatus.ACTIVE)
    if ref is not None:
        case = roster.get_case(session=session, ref=ref, within=within)
        statement = statement.where(Decision.case_id == case.id)
    elif within is not None:
        statement = statement.where(col(Decision.case_id).in_(select(Case.id).where(within)))
    if owner_id is not None or open_only:
        actions = select(DecisionAction.decision_id).where(
            DecisionAction.status == ActionStatus.OPEN)
        if owner_id is not None:
            actions = actions.where(DecisionAction.owner_id == owner_id)
        statement = statement.where(col(Decision.id).in_(actions))
    decisions = session.exec(statement.order_by(col(Decision.decided_on).desc(),
                                                col(Decision.id).desc()).limit(limit)).all()
    return views_of(session, decisions)


class OverdueAction(NamedTuple):
    """A tuple: an agenda over a large roster makes thousands."""

    decision_id: int
    case_id: int
    text: str
    due: date
    owner: Person


def overdue_actions(*, session: Session, on: date,
                    cases: sa.ColumnElement[bool] | None = None
                    ) -> dict[int, list[OverdueAction]]:
    """Open actions of active decisions on active cases (those `cases` keeps, if given),
    past due on `on`, by case."""
    rows = session.execute(
        sa.select(col(Decision.id), col(Decision.case_id), col(Decision.text),
                  col(DecisionAction.due_date), col(DecisionAction.owner_id))
        .select_from(DecisionAction)
        .join(Decision, col(Decision.id) == DecisionAction.decision_id)
        .join(Case, col(Case.id) == Decision.case_id)
        .where(col(DecisionAction.status) == ActionStatus.OPEN,
               col(Decision.status) == DecisionStatus.ACTIVE,
               col(Case.status) == CaseStatus.ACTIVE, col(DecisionAction.due_date) < on,
               *(() if cases is None else (cases,)))
        .order_by(col(DecisionAction.due_date))).all()
    owners = people_by_id(session=session, ids=[row.owner_id for row in rows])
    found: dict[int, list[OverdueAction]] = {}
    for decision_id, case_id, text, due, owner_id in rows:
        assert decision_id is not None and due is not None
        found.setdefault(case_id, []).append(
            OverdueAction(decision_id, case_id, text, due, owners[owner_id]))
    return found


def open_actions_for(*, session: Session, person_id: int) -> list[tuple[DecisionAction,
                                                                         Decision, Case]]:
    rows = session.exec(
        select(DecisionAction, Decision, Case)
        .join(Decision, col(Decision.id) == DecisionAction.decision_id)
        .join(Case, col(Case.id) == Decision.case_id)
        .where(DecisionAction.owner_id == person_id, DecisionAction.status == ActionStatus.OPEN,
               Decision.status == DecisionStatus.ACTIVE)
        .order_by(col(DecisionAction.due_date).is_(None), col(DecisionAction.due_date)))
    return [(action, decision, case) for action, decision, case in rows]
