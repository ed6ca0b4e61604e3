"""What is due, for whom, at each rule's boundary: the day before and the day it falls due."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from sparbot.enums import Cadence, DueKind, FollowUpKind, PaidHoursAnswer, PlacementKind
from sparbot.services import roster
from sparbot.services.due import add_months, due_for_person, due_items
from tests.factories import follow_up, hours, make_case, placement

START = date(2026, 9, 1)


def kinds(session: Session, ref: str, today: date) -> set[DueKind]:
    case = roster.get_case(session=session, ref=ref)
    return {item.kind for item in due_items(roster.snapshot(session=session, case=case), today)}


def test_mentor_meeting_falls_due_by_cadence(session: Session) -> None:
    make_case(session, "W", start=START, cadence=Cadence.WEEKLY)
    make_case(session, "B", start=START, cadence=Cadence.BIWEEKLY)
    met = date(2026, 10, 6)
    for ref in ("W", "B"):
        follow_up(session, ref, FollowUpKind.MENTOR_MEETING, met, today=met)
    assert DueKind.MENTOR_MEETING not in kinds(session, "W", met + timedelta(days=6))
    assert DueKind.MENTOR_MEETING in kinds(session, "W", met + timedelta(days=7))
    assert DueKind.MENTOR_MEETING not in kinds(session, "B", met + timedelta(days=13))
    assert DueKind.MENTOR_MEETING in kinds(session, "B", met + timedelta(days=14))


def test_a_new_case_needs_its_first_mentor_meeting_within_its_cadence(session: Session) -> None:
    make_case(session, "ZA", start=START)
    assert DueKind.MENTOR_MEETING not in kinds(session, "ZA", START + timedelta(days=6))
    assert DueKind.MENTOR_MEETING in kinds(session, "ZA", START + timedelta(days=7))


def test_workplace_follow_up_is_monthly_and_goes_to_the_company_consultant(
        session: Session) -> None:
    make_case(session, "ZA", start=START)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", date(2026, 10, 4),
              today=date(2026, 10, 4))
    assert DueKind.WORKPLACE_FOLLOWUP not in kinds(session, "ZA", date(2026, 11, 3))
    assert DueKind.WORKPLACE_FOLLOWUP in kinds(session, "ZA", date(2026, 11, 4))
    follow_up(session, "ZA", FollowUpKind.WORKPLACE, date(2026, 11, 4), today=date(2026, 11, 4))
    assert DueKind.WORKPLACE_FOLLOWUP not in kinds(session, "ZA", date(2026, 12, 3))
    assert DueKind.WORKPLACE_FOLLOWUP in kinds(session, "ZA", date(2026, 12, 4))
    case = roster.get_case(session=session, ref="ZA")
    snapshot = roster.snapshot(session=session, case=case)
    item = next(item for item in due_items(snapshot, date(2026, 12, 4))
                if item.kind is DueKind.WORKPLACE_FOLLOWUP)
    assert item.owner_id == case.company_consultant_id


def test_own_shop_follow_up_is_the_mentors(session: Session) -> None:
    case = make_case(session, "ZA", start=START)
    placement(session, "ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken", START, today=START)
    snapshot = roster.snapshot(session=session, case=case)
    item = next(item for item in due_items(snapshot, date(2026, 10, 1))
                if item.kind is DueKind.WORKPLACE_FOLLOWUP)
    assert item.owner_id == case.mentor_id


def test_paid_hours_after_eight_unpaid_weeks_unless_raised(session: Session) -> None:
    make_case(session, "ZA", start=START)
    begun = date(2026, 9, 7)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", begun, today=begun)
    hours(session, "ZA", "3x3", begun, today=begun)
    eight_weeks = begun + timedelta(weeks=8)
    assert DueKind.PAID_HOURS not in kinds(session, "ZA", eight_weeks - timedelta(days=1))
    assert DueKind.PAID_HOURS in kinds(session, "ZA", eight_weeks)
    follow_up(session, "ZA", FollowUpKind.WORKPLACE, eight_weeks, today=eight_weeks,
              paid=PaidHoursAnswer.LATER)
    assert DueKind.PAID_HOURS not in kinds(session, "ZA", eight_weeks)


def test_paid_hours_on_the_date_the_placement_agreement_set(session: Session) -> None:
    make_case(session, "ZA", start=START)
    begun = date(2026, 9, 7)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", begun, today=begun)
    roster.log_follow_up(session=session, ref="ZA", kind=FollowUpKind.WORKPLACE, held_on=begun,
                         paid_hours=PaidHoursAnswer.NO, next_paid_hours_raise=date(2027, 1, 4),
                         actor=None, today=begun)
    assert DueKind.PAID_HOURS not in kinds(session, "ZA", date(2027, 1, 3))
    assert DueKind.PAID_HOURS in kinds(session, "ZA", date(2027, 1, 4))


def test_course_ending_four_weeks_ahead_and_extension_moves_it(session: Session) -> None:
    make_case(session, "ZA", start=START)  # ends 1 Mar 2027 (26 weeks, last day)
    end = date(2027, 3, 1)
    assert roster.snapshot(session=session, case=roster.get_case(session=session, ref="ZA")
                           ).end_date == end
    assert DueKind.COURSE_ENDING not in kinds(session, "ZA", end - timedelta(weeks=4, days=1))
    assert DueKind.COURSE_ENDING in kinds(session, "ZA", end - timedelta(weeks=4))
    roster.extend_course(session=session, ref="ZA", weeks=13, decided_on=end - timedelta(weeks=4),
                         reason=None, actor=None)
    assert DueKind.COURSE_ENDING not in kinds(session, "ZA", end - timedelta(weeks=4))


def test_due_for_person_lists_only_their_items_in_date_order(session: Session) -> None:
    make_case(session, "A", start=START)
    make_case(session, "B", start=START + timedelta(days=3), mentor="U0OTHER")
    make_case(session, "C", start=START - timedelta(days=2))
    page = roster.list_roster(session=session)
    mentor_id = roster.get_case(session=session, ref="A").mentor_id
    items = due_for_person(page.snapshots, mentor_id, date(2026, 9, 20))
    assert [item.ref for item in items] == ["C", "A"]


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
