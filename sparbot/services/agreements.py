"""The placement agreement: what the citizen does at the workplace, the goals and sub-goals
(delmål) with where each stands, the hours plan, accommodations (skånehensyn), the planned
end, the next paid-hours talk, how often and by whom the workplace is followed up.

The dates, the cadence and who follows up are the placement's own fields, so that the due
rules, the agenda and the digests read them where they always have. Accommodations are
for private surfaces only: the callers that post to a channel never ask for them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from sparbot.enums import FollowUpCadence, GoalStatus
from sparbot.errors import UserError
from sparbot.models import TEXT_MAX, AgreementGoal, Person, Placement, PlacementAgreement
from sparbot.privacy import ensure_no_cpr
from sparbot.services.case_refs import get_active_case
from sparbot.services.people import PersonRef, people_by_id, resolve_person
from sparbot.services.roster import placement_on
from sparbot.services.snapshots import CaseSnapshot

GOALS_MAX = 20  # goals and sub-goals together: a form shows each with its status
GOAL_MAX = 500
HOURS_PLAN_MAX = 500
_SUB_GOAL = re.compile(r"^\s*(?:[-–•*]|\s{2,})\s*")  # "- delmål" under the goal above
ENDING_AHEAD = timedelta(days=14)  # an agreed end this near is raised at the meeting


@dataclass(frozen=True)
class AgreementInput:
    tasks: str | None = None
    goals: str | None = None  # one a line; "- " before a sub-goal
    hours_plan: str | None = None
    accommodations: str | None = None
    planned_end: date | None = None
    next_paid_hours_talk: date | None = None
    cadence: FollowUpCadence = FollowUpCadence.MONTHLY
    follows_up: PersonRef | None = None


@dataclass
class GoalLine:
    goal: AgreementGoal
    sub_goals: list[AgreementGoal] = field(default_factory=list)


@dataclass
class AgreementView:
    placement: Placement
    agreement: PlacementAgreement
    goals: list[GoalLine]
    follows_up: Person | None

    @property
    def all_goals(self) -> list[AgreementGoal]:
        return [goal for line in self.goals for goal in (line.goal, *line.sub_goals)]


def _text(value: str | None, *, field: str, maximum: int) -> str | None:
    value = (value or "").strip()
    ensure_no_cpr(value)
    if len(value) > maximum:
        raise UserError("text_too_long", field=field, maximum=maximum)
    return value or None


def parse_goals(text: str | None) -> list[tuple[str, bool]]:
    """(goal, is a sub-goal) for each non-empty line; a sub-goal needs a goal above it."""
    found: list[tuple[str, bool]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        sub = bool(_SUB_GOAL.match(line)) and bool(found)
        words = _SUB_GOAL.sub("", line).strip()
        if not words:
            continue
        if len(words) > GOAL_MAX:
            raise UserError("text_too_long", field="goals", maximum=GOAL_MAX)
        found.append((words, sub))
    if len(found) > GOALS_MAX:
        raise UserError("too_many_goals", field="goals", maximum=GOALS_MAX)
    return found


def save_agreement(*, session: Session, ref: str, data: AgreementInput, actor: str | None,
                   today: date) -> AgreementView:
    """Write the agreement of the case's current placement (made, or changed in place).
    Goals kept by their words keep where they stand; new ones are open."""
    case = get_active_case(session=session, ref=ref)
    assert case.id is not None
    placement = placement_on(session, case.id, today)
    if placement is None:
        raise UserError("agreement_needs_placement", ref=case.ref)
    tasks = _text(data.tasks, field="tasks", maximum=TEXT_MAX)
    hours_plan = _text(data.hours_plan, field="hours-plan", maximum=HOURS_PLAN_MAX)
    accommodations = _text(data.accommodations, field="accommodations", maximum=TEXT_MAX)
    ensure_no_cpr(data.goals)
    goals = parse_goals(data.goals)
    if data.planned_end is not None and data.planned_end < placement.start_date:
        raise UserError("end_before_start", field="end")
    placement.end_date = data.planned_end
    placement.next_paid_hours_raise = data.next_paid_hours_talk
    placement.follow_up_cadence = data.cadence
    placement.follows_up_id = (resolve_person(session=session, ref=data.follows_up).id
                               if data.follows_up is not None else None)
    agreement = session.exec(select(PlacementAgreement).where(
        PlacementAgreement.placement_id == placement.id)).first()
    if agreement is None:
        agreement = PlacementAgreement(placement_id=placement.id)  # type: ignore[arg-type]
        session.add(agreement)
    agreement.tasks, agreement.hours_plan = tasks, hours_plan
    agreement.accommodations = accommodations
    agreement.updated_by, agreement.updated_on = actor, today
    session.flush()
    assert agreement.id is not None
    _replace_goals(session, agreement.id, goals, today)
    return agreements_of(session, [placement])[placement.id or 0]


def _replace_goals(session: Session, agreement_id: int, goals: list[tuple[str, bool]],
                   today: date) -> None:
    old = list(session.exec(select(AgreementGoal).where(
        AgreementGoal.agreement_id == agreement_id)))
    before = {goal.text.casefold(): (goal.status, goal.status_on) for goal in old}
    # Rewritten in the order typed: sub-goals first, then their goals (whose deletion would
    # otherwise take the sub-goals with it, under the ORM's feet).
    for sub_goals_first in (True, False):
        for goal in old:
            if (goal.parent_id is not None) is sub_goals_first:
                session.delete(goal)
        session.flush()
    parent: AgreementGoal | None = None
    for position, (words, sub) in enumerate(goals, start=1):
        status, status_on = before.get(words.casefold(), (GoalStatus.OPEN, today))
        goal = AgreementGoal(agreement_id=agreement_id, position=position, text=words,
                             parent_id=parent.id if sub and parent else None,
                             status=status, status_on=status_on)
        session.add(goal)
        session.flush()
        if not sub:
            parent = goal


def agreements_of(session: Session, placements: Sequence[Any]) -> dict[int, AgreementView]:
    """The agreements of these placements (by placement id), goals in order: three
    queries whatever their number."""
    by_id = {placement.id: placement for placement in placements if placement.id is not None}
    if not by_id:
        return {}
    rows = session.exec(select(PlacementAgreement).where(
        col(PlacementAgreement.placement_id).in_(by_id))).all()
    if not rows:
        return {}
    goals: dict[int, list[AgreementGoal]] = defaultdict(list)
    for goal in session.exec(select(AgreementGoal).where(
            col(AgreementGoal.agreement_id).in_([row.id for row in rows]))
            .order_by(col(AgreementGoal.position))):
        goals[goal.agreement_id].append(goal)
    people = people_by_id(session=session, ids=[placement.follows_up_id
                                                for placement in by_id.values()])
    views = {}
    for row in rows:
        lines: list[GoalLine] = []
        for goal in goals[row.id or 0]:
            if goal.parent_id is not None and lines:
                lines[-1].sub_goals.append(goal)
            else:
                lines.append(GoalLine(goal))
        placement = by_id[row.placement_id]
        views[row.placement_id] = AgreementView(placement, row, lines,
                                                people.get(placement.follows_up_id))
    return views


def agreement_now(session: Session, snapshot: CaseSnapshot, today: date
                  ) -> AgreementView | None:
    placement = snapshot.current_placement(today)
    return agreements_of(session, [placement]).get(placement.id or 0) if placement else None


def set_goal_statuses(*, session: Session, case_id: int, statuses: dict[int, GoalStatus],
                      today: date) -> int:
    """Where goals stand, as said at a follow-up. Only the case's own goals are changed;
    returns how many changed."""
    if not statuses:
        return 0
    changed = 0
    for goal in session.exec(select(AgreementGoal)
                             .join(PlacementAgreement,
                                   col(PlacementAgreement.id) == AgreementGoal.agreement_id)
                             .join(Placement, col(Placement.id) == PlacementAgreement.placement_id)
                             .where(Placement.case_id == case_id,
                                    col(AgreementGoal.id).in_(statuses))):
        status = statuses[goal.id or 0]
        if goal.status is not status:
            goal.status, goal.status_on = status, today
            changed += 1
    return changed


def placement_ending_facts(snapshot: CaseSnapshot, day: date) -> dict[str, Any] | None:
    """The placement in force ends as agreed within two meetings, and no placement follows
    it: what the agenda says."""
    placement = snapshot.current_placement(day)
    if placement is None or placement.end_date is None or \
            not day <= placement.end_date <= day + ENDING_AHEAD:
        return None
    if any(other.start_date > placement.end_date for other in snapshot.placements):
        return None
    if placement.end_date >= snapshot.end_date:  # the course ends with it: raised as such
        return None
    return {"workplace": placement.workplace, "end": placement.end_date,
            "kind": placement.kind.value}
