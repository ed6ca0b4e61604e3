"""The roster's rules, on a real database session."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import Session

from sparbot.enums import FollowUpKind, Outcome, PlacementKind
from sparbot.errors import UserError
from sparbot.privacy import CprNumberRefused
from sparbot.services import roster
from sparbot.services.people import PersonRef
from tests.factories import follow_up, hours, make_case, placement

START = date(2026, 9, 1)
TODAY = date(2026, 11, 24)


def test_a_reference_is_unique_among_active_cases_only(session: Session) -> None:
    make_case(session, "ZA", start=START)
    with pytest.raises(UserError) as caught:
        make_case(session, "za", start=START)
    assert caught.value.key == "duplicate_ref"
    roster.close_case(session=session, ref="ZA", outcome=Outcome.EDUCATION, closed_on=TODAY,
                      actor=None)
    again = make_case(session, "ZA", start=TODAY)  # a new course may reuse the initials
    assert roster.get_case(session=session, ref="ZA").id == again.id


def test_references_that_are_not_initials_or_pseudonyms_are_refused(session: Session) -> None:
    for ref, key in [("12", "bad_ref"), ("mine", "reserved_ref"), ("A" * 30, "bad_ref"),
                     ("<!here>", "bad_ref"), ("", "bad_ref")]:
        with pytest.raises(UserError) as caught:
            make_case(session, ref, start=START)
        assert caught.value.key == key
    with pytest.raises(CprNumberRefused):
        roster.add_case(session=session, actor=None, data=roster.CaseCreate(
            ref="ZA", programme="LFI 010190-1234", purpose="education",  # type: ignore[arg-type]
            start_date=START, mentor=PersonRef(slack_user_id="U0MENTOR")))


def test_a_closed_case_cannot_be_changed(session: Session) -> None:
    make_case(session, "ZA", start=START)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", START, today=TODAY)
    roster.close_case(session=session, ref="ZA", outcome=Outcome.FLEX_JOB, closed_on=TODAY,
                      actor=None)
    snapshot = roster.snapshot(session=session, case=roster.get_case(session=session, ref="ZA"))
    assert snapshot.placements[0].end_date == TODAY  # the open placement ends with the case
    with pytest.raises(UserError) as caught:
        hours(session, "ZA", "3", TODAY, today=TODAY)
    assert caught.value.key == "case_closed"


def test_dates_before_the_course_are_refused(session: Session) -> None:
    make_case(session, "ZA", start=START)
    with pytest.raises(UserError) as caught:
        hours(session, "ZA", "3", date(2026, 8, 31), today=TODAY)
    assert caught.value.key == "date_before_start"


def test_hours_history_and_hours_in_force(session: Session) -> None:
    make_case(session, "ZA", start=START)
    for text, on in [("2x1,5", date(2026, 9, 1)), ("3x5", date(2026, 10, 1)),
                     ("21,5", date(2026, 11, 1)), ("15", date(2026, 11, 20))]:
        hours(session, "ZA", text, on, today=TODAY)
    snapshot = roster.snapshot(session=session, case=roster.get_case(session=session, ref="ZA"))
    assert [entry.total for entry in snapshot.hours] == [3.0, 15.0, 21.5, 15.0]
    in_force = snapshot.hours_on(date(2026, 11, 19))
    assert in_force is not None and in_force.total == 21.5


def test_a_follow_up_at_the_workplace_needs_a_placement(session: Session) -> None:
    make_case(session, "ZA", start=START)
    with pytest.raises(UserError) as caught:
        follow_up(session, "ZA", FollowUpKind.WORKPLACE, TODAY, today=TODAY)
    assert caught.value.key == "no_placement_for_follow_up"


def test_listing_the_roster_takes_the_same_queries_for_5_or_60_cases(session: Session) -> None:
    def count_queries(size: int) -> int:
        for number in range(size):
            ref = f"Q{size}x{number}"
            make_case(session, ref, start=START)
            hours(session, ref, "3x3", START, today=TODAY)
            placement(session, ref, PlacementKind.OWN_SHOP, "Butik", START, today=TODAY)
        session.flush()
        statements: list[str] = []
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = roster.list_roster(session=session, page_size=100)
            assert page.total >= size
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    assert count_queries(5) == count_queries(60)


def test_a_placement_agreed_to_end_later_ends_when_the_next_one_starts(
        session: Session) -> None:
    """Issue 17's bug: a placement with an agreed end date ran on beside the next one."""
    make_case(session, "ZA", start=START)
    shop, company = PlacementKind.OWN_SHOP, PlacementKind.COMPANY_INTERNSHIP
    placement(session, "ZA", shop, "Genbrugsbutikken", date(2026, 9, 7), today=TODAY,
              until=date(2026, 12, 31))
    ended = placement(session, "ZA", company, "Plejehjemmet Solbakken", date(2026, 11, 2),
                      today=TODAY)
    assert ended is not None and ended.workplace == "Genbrugsbutikken"
    assert ended.end_date == date(2026, 11, 1)
    # One that ended before the new start keeps its own end.
    placement(session, "ZA", shop, "Caféen", date(2026, 11, 10), today=TODAY,
              until=date(2026, 11, 15))
    assert placement(session, "ZA", company, "Værkstedet", date(2026, 11, 20),
                     today=TODAY) is None
