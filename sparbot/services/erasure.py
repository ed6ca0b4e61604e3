"""Retention and the data subject's rights: closed cases are erased for real a set period
after they end; one case can be erased now, or exported whole (an access request)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from sparbot.enums import CaseStatus
from sparbot.models import (
    AgendaItem,
    AgendaRequest,
    AuditEvent,
    Case,
    ContactMessage,
    CourseFacts,
    Decision,
    DecisionAction,
    DecisionChange,
    DigestItem,
    Extension,
    FollowUp,
    HoursEntry,
    Person,
    Placement,
)
from sparbot.services.audit import AuditAction, audit, purge_audit
from sparbot.services.due import add_months


def erase_case(*, session: Session, case: Case, actor: str) -> None:
    """Delete the case and everything recorded about it (the database cascades to its
    hours, placements, follow-ups, decisions, agenda items and nudges). The audit log keeps
    that it was erased, by whom and when: its reference, nothing else."""
    audit(session=session, actor=actor, action=AuditAction.ERASE, what="case.erase",
          refs=[case.ref])
    # Explicitly too, so erasure never depends on a connection's foreign-key setting. The
    # course's facts go with it: nothing is left for them to describe.
    gone = {"course_facts": "the case is erased"}
    session.execute(delete(CourseFacts).where(col(CourseFacts.case_id) == case.id))
    decision_ids = select(Decision.id).where(Decision.case_id == case.id)
    for child in (DecisionChange, DecisionAction):
        session.execute(delete(child).where(col(child.decision_id).in_(decision_ids)))
    owned: tuple[Any, ...] = (Decision, AgendaItem, AgendaRequest, DigestItem, ContactMessage,
                              FollowUp, HoursEntry, Placement, Extension)
    for model in owned:
        session.execute(delete(model).where(model.case_id == case.id),
                        execution_options=gone)
    session.execute(delete(Case).where(col(Case.id) == case.id), execution_options=gone)


def expired_cases(*, session: Session, today: date, months: int) -> list[Case]:
    closed = session.exec(select(Case).where(Case.status == CaseStatus.CLOSED,
                                             col(Case.closed_on).is_not(None))).all()
    return [case for case in closed
            if case.closed_on is not None and add_months(case.closed_on, months) <= today]


def run_retention(*, session: Session, today: date, months: int, audit_months: int) -> int:
    erased = 0
    for case in expired_cases(session=session, today=today, months=months):
        erase_case(session=session, case=case, actor="system")
        erased += 1
    cutoff = add_months(today, -audit_months)
    purge_audit(session=session, older_than=datetime.combine(cutoff, time()).astimezone())
    return erased


def export_case(*, session: Session, case: Case, actor: str) -> dict[str, Any]:
    """Everything the bot holds about one case, as JSON-ready data."""
    audit(session=session, actor=actor, action=AuditAction.EXPORT, what="case.export",
          refs=[case.ref])

    def rows(model: type[SQLModel], *conditions: Any) -> list[dict[str, Any]]:
        return [json.loads(row.model_dump_json()) for row in session.exec(
            select(model).where(*conditions))]

    decision_ids = select(Decision.id).where(Decision.case_id == case.id)
    people_ids = {case.mentor_id, case.company_consultant_id, case.jobcenter_consultant_id}
    return {
        "case": json.loads(case.model_dump_json()),
        "people": rows(Person, col(Person.id).in_(people_ids - {None})),
        "extensions": rows(Extension, Extension.case_id == case.id),
        "placements": rows(Placement, Placement.case_id == case.id),
        "hours": rows(HoursEntry, HoursEntry.case_id == case.id),
        "follow_ups": rows(FollowUp, FollowUp.case_id == case.id),
        "decisions": rows(Decision, Decision.case_id == case.id),
        "decision_actions": rows(DecisionAction, col(DecisionAction.decision_id).in_(
            decision_ids)),
        "decision_history": rows(DecisionChange, col(DecisionChange.decision_id).in_(
            decision_ids)),
        "agenda_items": rows(AgendaItem, AgendaItem.case_id == case.id),
        "agenda_requests": rows(AgendaRequest, AgendaRequest.case_id == case.id),
        "nudges": rows(DigestItem, DigestItem.case_id == case.id),
        "contact_messages": rows(ContactMessage, ContactMessage.case_id == case.id),
        "audit": rows(AuditEvent, AuditEvent.case_ref == case.ref),
    }
