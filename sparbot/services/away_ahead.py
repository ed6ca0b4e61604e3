"""Absence known ahead: at the last meeting before someone on a case goes away, the cases
whose course ends, or whose decision action of theirs falls due, while they are away —
"Jonas Berg er væk 27. jul–21. aug; forløbet slutter 16. aug: beslut før ferien eller find
en stedfortræder"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from sparbot.enums import ActionStatus, DecisionStatus
from sparbot.models import Absence, Case, Decision, DecisionAction, Person
from sparbot.services.absences import starting_between
from sparbot.services.people import people_by_id
from sparbot.services.snapshots import CaseSnapshot

NEXT_MEETING = timedelta(days=7)  # the weekly rhythm: an absence beginning before the next


@dataclass(frozen=True)
class DueAction:
    due: date
    text: str
    owner_id: int


@dataclass
class AwayAhead:
    """The absences beginning before the next meeting, and the open actions due in them."""

    absences: dict[int, Absence] = field(default_factory=dict)  # by person
    people: dict[int | None, Person] = field(default_factory=dict)
    actions: dict[int, list[DueAction]] = field(default_factory=lambda: defaultdict(list))


def away_ahead(*, session: Session, meeting_day: date,
               cases: sa.ColumnElement[bool] | None = None) -> AwayAhead:
    """Two or three queries; none more when no one is going away."""
    starting = starting_between(session=session, after=meeting_day,
                                until=meeting_day + NEXT_MEETING)
    if not starting:
        return AwayAhead()
    absences: dict[int, Absence] = {}
    for absence in starting:
        absences.setdefault(absence.person_id, absence)
    statement = (sa.select(col(DecisionAction.due_date), col(Decision.text),
                           col(DecisionAction.owner_id), col(Decision.case_id))
                 .select_from(DecisionAction)
                 .join(Decision, col(Decision.id) == DecisionAction.decision_id)
                 .where(col(DecisionAction.status) == ActionStatus.OPEN,
                        col(Decision.status) == DecisionStatus.ACTIVE,
                        col(DecisionAction.owner_id).in_(absences),
                        col(DecisionAction.due_date) >= min(
                            absence.starts_on for absence in absences.values()),
                        col(DecisionAction.due_date) <= max(
                            absence.ends_on for absence in absences.values())))
    if cases is not None:
        statement = statement.join(Case, col(Case.id) == Decision.case_id).where(cases)
    found = AwayAhead(absences, people_by_id(session=session, ids=absences))
    for due, text, owner_id, case_id in session.execute(statement):
        absence = absences[owner_id]
        if absence.starts_on <= due <= absence.ends_on:
            found.actions[case_id].append(DueAction(due, text, owner_id))
    return found


def _name(person: Person | None) -> str | None:
    return None if person is None else (person.slack_user_id or person.name or person.email)


def away_ahead_facts(snapshot: CaseSnapshot, ahead: AwayAhead) -> list[dict[str, Any]]:
    """What the agenda says about the case: one line a person and thing falling in their
    absence (the course's end; each action of theirs due)."""
    if not ahead.absences:
        return []
    case = snapshot.case
    facts: list[dict[str, Any]] = []
    for role, person_id in (("mentor", case.mentor_id),
                            ("company-consultant", case.company_consultant_id),
                            ("jobcenter", case.jobcenter_consultant_id)):
        absence = ahead.absences.get(person_id) if person_id is not None else None
        if absence is None:
            continue
        who = {"role": role, "who": _name(ahead.people.get(person_id)),
               "from": absence.starts_on, "to": absence.ends_on}
        if absence.starts_on <= snapshot.end_date <= absence.ends_on:
            facts.append({**who, "end": snapshot.end_date})
        for action in ahead.actions.get(case.id or 0, []) if case.id is not None else []:
            if action.owner_id == person_id:
                facts.append({**who, "due": action.due, "text": action.text})
    return facts
