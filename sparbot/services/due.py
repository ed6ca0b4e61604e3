"""What is due on a case, and for whom: the facts behind the App Home, nudges and agenda."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sparbot.clock import weeks
from sparbot.enums import (
    Cadence,
    DueKind,
    FollowUpCadence,
    FollowUpKind,
    PaidHoursAnswer,
    PlacementKind,
)
from sparbot.services.snapshots import CaseSnapshot


@dataclass(frozen=True)
class DueRules:
    """Thresholds (settings later; these are the defaults from the domain)."""

    follow_up_months: int = 1
    course_ending_weeks: int = 4
    unpaid_internship_weeks: int = 8


class DueItem(NamedTuple):
    """A tuple: made for every case in every sweep, so made in one step."""

    kind: DueKind
    snapshot: CaseSnapshot
    due_on: date
    owner_id: int
    last_done: date | None = None
    workplace: str | None = None

    @property
    def ref(self) -> str:
        return self.snapshot.case.ref

    def overdue(self, today: date) -> bool:
        return self.due_on < today


_CADENCE = {cadence: timedelta(days=cadence.days) for cadence in Cadence}
_WORKPLACE_SPAN = {FollowUpCadence.WEEKLY: timedelta(days=7),
                   FollowUpCadence.BIWEEKLY: timedelta(days=14)}


def next_workplace_follow_up(since: date, cadence: FollowUpCadence, months: int = 1) -> date:
    """When the workplace is next followed up, as agreed for the placement: a week or two
    after `since`, or (monthly, the default) `months` later."""
    span = _WORKPLACE_SPAN.get(cadence)
    return since + span if span is not None else add_months(since, months)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= 28:  # every month has the day: no calendar needed (the usual case)
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_items(snapshot: CaseSnapshot, today: date, rules: DueRules = DueRules()) -> list[DueItem]:
    """Everything due on or before today for one active case."""
    items: list[DueItem] = []
    case = snapshot.case  # the people's ids are read off the case: no ORM attribute reads
    mentor_id = case.mentor_id
    consultant_id = case.company_consultant_id

    last_meeting = snapshot.last_follow_up(FollowUpKind.MENTOR_MEETING)
    since = last_meeting.held_on if last_meeting else case.start_date
    meeting_due = since + _CADENCE[case.cadence]
    if meeting_due <= today:
        items.append(DueItem(DueKind.MENTOR_MEETING, snapshot, meeting_due, mentor_id,
                             last_meeting.held_on if last_meeting else None))

    placement = snapshot.current_placement(today)
    if placement is not None:
        at_company = placement.kind.is_at_company
        # Who follows up, as agreed; else the company consultant at a company.
        owner = placement.follows_up_id or (consultant_id if at_company and consultant_id
                                            else mentor_id)
        last = snapshot.last_follow_up(FollowUpKind.WORKPLACE, since=placement.start_date)
        follow_up_due = next_workplace_follow_up(
            last.held_on if last else placement.start_date, placement.follow_up_cadence,
            rules.follow_up_months)
        if follow_up_due <= today:
            items.append(DueItem(DueKind.WORKPLACE_FOLLOWUP, snapshot, follow_up_due, owner,
                                 last.held_on if last else None, placement.workplace))
        if placement.kind in (PlacementKind.COMPANY_INTERNSHIP, PlacementKind.HYBRID):
            paid_due = placement.next_paid_hours_raise
            hours = snapshot.hours_on(today)
            raised = last is not None and last.paid_hours != PaidHoursAnswer.NOT_RAISED
            unpaid_since = placement.start_date + weeks(rules.unpaid_internship_weeks)
            if paid_due is None and not raised and (hours is None or hours.paid_hours == 0):
                paid_due = unpaid_since
            if paid_due is not None and paid_due <= today:
                items.append(DueItem(DueKind.PAID_HOURS, snapshot, paid_due, owner,
                                     last.held_on if last and raised else None,
                                     placement.workplace))

    warn_from = snapshot.end_date - weeks(rules.course_ending_weeks)
    if warn_from <= today:
        items.append(DueItem(DueKind.COURSE_ENDING, snapshot, snapshot.end_date, mentor_id))
    return items


def due_for_person(snapshots: list[CaseSnapshot], person_id: int, today: date,
                   rules: DueRules = DueRules()) -> list[DueItem]:
    items = [item for snapshot in snapshots for item in due_items(snapshot, today, rules)
             if item.owner_id == person_id]
    return sorted(items, key=lambda item: (item.due_on, item.ref))
