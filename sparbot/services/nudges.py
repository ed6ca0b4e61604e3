"""Who gets nudged about what today: the rhythm of the work as one digest per person per
working day. Planning is pure reading; claiming a digest is what makes it go out once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from sparbot.clock import is_working_day, next_working_day, weeks
from sparbot.enums import (
    ActionStatus,
    DecisionStatus,
    DigestStatus,
    DueKind,
    NudgeKind,
    ReasonCode,
)
from sparbot.models import (
    Absence,
    Decision,
    DecisionAction,
    Digest,
    DigestItem,
    NudgePreference,
    NudgeSuppression,
    Person,
)
from sparbot.services.absences import away_on, not_over
from sparbot.services.attendance import WEEK, missing_week, week_of
from sparbot.services.collector import collector_paused
from sparbot.services.due import DueRules, due_items
from sparbot.services.people import people_by_id, reachable_in_slack
from sparbot.services.settled import Settled, quiet, settled_on
from sparbot.services.snapshots import AnyCase, AnyPlacement, CaseSnapshot
from sparbot.services.working_set import load_working_set

DEFAULT_SEND_AT = time(8, 30)
_URGENT = frozenset(kind for kind in NudgeKind if kind.urgent)  # read for every nudge


@dataclass(frozen=True)
class NudgeRules:
    course_end_weeks: tuple[int, ...] = (6, 4)
    overdue_repeats: int = 3
    send_at: time = DEFAULT_SEND_AT
    closures: frozenset[date] = frozenset()

    @cached_property
    def course_end_spans(self) -> tuple[tuple[int, timedelta], ...]:
        """The thresholds nearest first, as spans: made once, read for every case."""
        return tuple((count, weeks(count)) for count in sorted(self.course_end_weeks))


@dataclass
class Nudge:
    kind: NudgeKind
    key: str  # what was nudged, and for which period: recorded once
    subject: str  # kind and case or action: what "Udsæt 1 uge" holds back
    person: Person
    case: AnyCase
    due_on: date
    facts: dict[str, Any] = field(default_factory=dict)
    snapshot: CaseSnapshot | None = None


@dataclass
class PlannedDigest:
    person: Person
    nudges: list[Nudge]


def plan_digests(*, session: Session, now: datetime, rules: NudgeRules = NudgeRules(),
                 ignore_send_time: bool = False) -> list[PlannedDigest]:
    """Every digest due to go out at `now`, not yet sent today. A fixed number of queries."""
    with collector_paused():
        return _plan_digests(session, now, rules, ignore_send_time)


def _plan_digests(session: Session, now: datetime, rules: NudgeRules,
                  ignore_send_time: bool) -> list[PlannedDigest]:
    today = now.date()
    if not is_working_day(today, rules.closures):
        return []
    # Last week's attendance only: whether it was logged (placements that ended before
    # today are not read, so a week whose placement ended in it is not asked about).
    snapshots = load_working_set(session, today, attendance_from=week_of(today) - WEEK)
    contact_ids = {placement.contact_slack_user_id for snapshot in snapshots
                   for placement in snapshot.placements if placement.contact_slack_user_id}
    # Who follows up at a workplace by agreement, when not one of the case's own people.
    followers = people_by_id(session=session, ids={
        placement.follows_up_id for snapshot in snapshots for placement in snapshot.placements
        if placement.follows_up_id is not None})
    contacts = {person.slack_user_id: person for person in session.exec(
        select(Person).where(col(Person.slack_user_id).in_(contact_ids)))} if contact_ids else {}
    settled = settled_on(session=session, day=today)
    absent: dict[int, list[Absence]] = defaultdict(list)  # by person: to say who is away
    for absence in not_over(session=session, day=today):  # when a course ends
        absent[absence.person_id].append(absence)
    nudges: list[Nudge] = []
    for snapshot in snapshots:
        nudges += _case_nudges(snapshot, today, rules, contacts,
                               settled.get(snapshot.case.id or 0) if settled else None,
                               absent, followers)
    nudges += _action_nudges(session, today, rules,
                             {snapshot.case.id: snapshot.case for snapshot in snapshots
                              if snapshot.case.id is not None})

    away = away_on(session=session, day=today)
    stand_ins = people_by_id(session=session, ids=[absence.stand_in_id
                                                   for absence in away.values()])
    preferences = {preference.person_id: preference for preference in
                   session.exec(select(NudgePreference))}
    suppressed = _suppressed(session, today)
    done_today = set(session.exec(select(Digest.person_id).where(
        Digest.day == today, Digest.status != DigestStatus.FAILED)))
    # A key of the day can only be in today's digest, and whoever has one is skipped above.
    sent_keys = _sent_keys(session, [nudge.key for nudge in nudges
                                     if not nudge.kind.keyed_by_day])
    overdue_counts = _overdue_counts(session)

    of_case = {snapshot.case.id: snapshot for snapshot in snapshots}
    by_person: dict[int, list[Nudge]] = defaultdict(list)
    for nudge in nudges:
        if nudge.person.id in away:  # to their stand-in, if they named one who is here
            stand_in = stand_ins.get(away[nudge.person.id].stand_in_id)
            if stand_in is None or stand_in.id in away:
                continue
            nudge = replace(nudge, person=stand_in, facts={**nudge.facts, "for": nudge.person,
                                                           "why": "away"})
        elif not reachable_in_slack(nudge.person):  # never silently: the case's other owner
            other = _other_owner(of_case.get(nudge.case.id), nudge.person)
            if other is None or other.id in away:
                continue  # `sparbot people --unreachable` lists them for the operator
            nudge = replace(nudge, person=other, facts={**nudge.facts, "for": nudge.person,
                                                        "why": "unreachable"})
        person_id = nudge.person.id
        assert person_id is not None
        preference = preferences.get(person_id)
        if (person_id in done_today
                or nudge.key in sent_keys or (person_id, nudge.subject) in suppressed
                or (preference is not None and preference.paused and not nudge.kind.urgent)):
            continue
        if nudge.kind is NudgeKind.ACTION_OVERDUE and \
                overdue_counts.get(nudge.subject, 0) >= rules.overdue_repeats:
            continue
        send_at = _send_time(preference, rules)
        if not ignore_send_time and now.time() < send_at:
            continue
        by_person[person_id].append(nudge)
    return [PlannedDigest(items[0].person,
                          sorted(_one_per_subject(items),
                                 key=lambda nudge: (nudge.kind not in _URGENT, nudge.due_on,
                                                    nudge.case.ref_key)))
            for _person_id, items in sorted(by_person.items())]


def _other_owner(snapshot: CaseSnapshot | None, person: Person) -> Person | None:
    """The case's other owner who can be reached: the company consultant for the mentor,
    the mentor for anyone else."""
    if snapshot is None:
        return None
    other = snapshot.company_consultant if person.id == snapshot.case.mentor_id \
        else snapshot.mentor
    return other if other is not None and other.id != person.id and \
        reachable_in_slack(other) else None


def _one_per_subject(items: list[Nudge]) -> list[Nudge]:
    """A stand-in who has the same item of their own gets it once, as their own."""
    if not any("for" in nudge.facts for nudge in items):
        return items
    chosen: dict[str, Nudge] = {}
    for nudge in items:
        kept = chosen.get(nudge.subject)
        if kept is None or ("for" in kept.facts and "for" not in nudge.facts):
            chosen[nudge.subject] = nudge
    return list(chosen.values())


def _send_time(preference: NudgePreference | None, rules: NudgeRules) -> time:
    if preference is None:
        return rules.send_at
    hours, minutes = preference.send_at.split(":")
    return time(int(hours), int(minutes))


_NUDGED = {DueKind.MENTOR_MEETING: NudgeKind.MENTOR_MEETING,
           DueKind.WORKPLACE_FOLLOWUP: NudgeKind.WORKPLACE_FOLLOWUP,
           DueKind.PAID_HOURS: NudgeKind.PAID_HOURS}
_DUE_RULES = DueRules()


def _case_nudges(snapshot: CaseSnapshot, today: date, rules: NudgeRules,
                 contacts: dict[str | None, Person] | None = None,
                 settled: list[Settled] | None = None,
                 absent: dict[int, list[Absence]] | None = None,
                 followers: dict[int | None, Person] | None = None) -> list[Nudge]:
    case = snapshot.case
    found: list[Nudge] = []
    # The owners' ids are read off the case: run over every case, ORM reads add up.
    owners: dict[int | None, Person] = {person_id: person for person_id, person in (
        (case.mentor_id, snapshot.mentor),
        (case.company_consultant_id, snapshot.company_consultant)) if person is not None}
    day = today.isoformat()
    placement: AnyPlacement | None = None  # looked up once, when an item needs it
    for item in due_items(snapshot, today, _DUE_RULES):
        kind = _NUDGED.get(item.kind)
        owner = owners.get(item.owner_id) or (followers or {}).get(item.owner_id)
        if kind is None or owner is None:
            continue
        if settled and kind is NudgeKind.PAID_HOURS and \
                quiet(snapshot, ReasonCode.PAID_HOURS, today, settled) is not None:
            continue  # "paid hours not now", decided until a date
        subject = f"{kind.value}:{case.id}"
        if placement is None:
            placement = snapshot.current_placement(today)
        facts = {"last": item.last_done, "workplace": item.workplace, "placement": placement}
        recipients: list[tuple[int | None, Person]] = [(item.owner_id, owner)]
        contact = (contacts or {}).get(placement.contact_slack_user_id) \
            if placement is not None and kind is not NudgeKind.MENTOR_MEETING else None
        if contact is not None and contact.id not in owners:
            recipients.append((contact.id, contact))  # the internship supervisor, in Slack
        for person_id, person in recipients:
            found.append(Nudge(kind, f"{subject}:{day}:{person_id}", subject,
                               person, case, item.due_on, dict(facts), snapshot))
    end = snapshot.end_date
    if case.mentor_id in owners:
        found += _attendance_nudges(snapshot, today, owners[case.mentor_id])
    if today > end:
        return found
    for count, span in rules.course_end_spans:
        if end - span > today:
            continue
        subject = f"course-ending:{case.id}"
        away_at_end = _away_on(snapshot, end, absent) if absent else None
        for person_id, person in owners.items():
            found.append(Nudge(NudgeKind.COURSE_ENDING,
                               f"{subject}:{end.isoformat()}:{count}:{person_id}", subject,
                               person, case, end, {"weeks": count, "end": end,
                                                   "week": snapshot.week_number(today),
                                                   "total": snapshot.total_weeks,
                                                   "away": away_at_end}, snapshot))
        break  # only the nearest threshold reached: never two warnings at once
    return found


def _away_on(snapshot: CaseSnapshot, day: date, absent: dict[int, list[Absence]]
             ) -> dict[str, Any] | None:
    """Who on the case is away on `day` (the jobcenter consultant first: the course's end
    is decided with them), and from when to when."""
    case = snapshot.case
    for person_id, person in ((case.jobcenter_consultant_id, snapshot.jobcenter_consultant),
                              (case.mentor_id, snapshot.mentor),
                              (case.company_consultant_id, snapshot.company_consultant)):
        for absence in absent.get(person_id or 0, ()):
            if person is not None and absence.starts_on <= day <= absence.ends_on:
                return {"person": person, "from": absence.starts_on, "to": absence.ends_on}
    return None


def _attendance_nudges(snapshot: CaseSnapshot, today: date, mentor: Person) -> list[Nudge]:
    """Last week's attendance not logged, while the citizen was in a placement: the
    mentor is reminded once for that week."""
    monday = week_of(today) - WEEK
    sunday = monday + timedelta(days=6)
    in_placement = any(placement.start_date <= sunday and
                       (placement.end_date is None or placement.end_date >= monday)
                       for placement in snapshot.placements)
    missing = missing_week(snapshot.attendance, today=today,
                           course_start=snapshot.case.start_date, course_end=snapshot.end_date,
                           in_placement=in_placement)
    if missing is None:
        return []
    subject = f"{NudgeKind.ATTENDANCE_MISSING.value}:{snapshot.case.id}"
    return [Nudge(NudgeKind.ATTENDANCE_MISSING, f"{subject}:{missing.isoformat()}:{mentor.id}",
                  subject, mentor, snapshot.case, missing + WEEK, {"week": missing},
                  snapshot)]


def _action_nudges(session: Session, today: date, rules: NudgeRules,
                   cases: dict[int, AnyCase]) -> list[Nudge]:
    """Actions due tomorrow or overdue, on the active cases in `cases`."""
    tomorrow = next_working_day(today + timedelta(days=1), rules.closures)
    rows = session.execute(
        sa.select(col(DecisionAction.id), col(DecisionAction.due_date),
                  col(DecisionAction.owner_id), col(Decision.case_id), col(Decision.text))
        .select_from(DecisionAction)
        .join(Decision, col(Decision.id) == DecisionAction.decision_id)
        .where(col(DecisionAction.status) == ActionStatus.OPEN,
               col(Decision.status) == DecisionStatus.ACTIVE,
               col(DecisionAction.due_date) <= tomorrow)).all()
    owners = people_by_id(session=session, ids=[row.owner_id for row in rows])
    found = []
    for action_id, due, owner_id, case_id, text in rows:
        case = cases.get(case_id)
        if case is None:  # the case is closed
            continue
        person = owners[owner_id]
        facts = {"text": text, "due": due, "action_id": action_id}
        if due < today:
            subject = f"action-overdue:{action_id}"
            found.append(Nudge(NudgeKind.ACTION_OVERDUE, f"{subject}:{today.isoformat()}",
                               subject, person, case, due, facts))
        elif due > today:
            subject = f"action-due:{action_id}"
            found.append(Nudge(NudgeKind.ACTION_DUE, f"{subject}:{due.isoformat()}", subject,
                               person, case, due, facts))
    return found


def _suppressed(session: Session, today: date) -> set[tuple[int, str]]:
    return {(person_id, subject) for person_id, subject in session.exec(
        select(NudgeSuppression.person_id, NudgeSuppression.key)
        .where(NudgeSuppression.until > today))}


def _sent_keys(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.exec(
        select(DigestItem.key).join(Digest, col(Digest.id) == DigestItem.digest_id)
        .where(col(DigestItem.key).in_(keys), Digest.status != DigestStatus.FAILED)))


def _overdue_counts(session: Session) -> dict[str, int]:
    """How often each overdue action has been nudged ("action-overdue:<id>" → count)."""
    subject = func.substr(DigestItem.key, 1, func.length(DigestItem.key) - 11)
    rows = session.exec(select(subject, func.count())
                        .join(Digest, col(Digest.id) == DigestItem.digest_id)
                        .where(DigestItem.kind == NudgeKind.ACTION_OVERDUE.value,
                               Digest.status != DigestStatus.FAILED)
                        .group_by(subject))
    return {str(key): int(count) for key, count in rows}
