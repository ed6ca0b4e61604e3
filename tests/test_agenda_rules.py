"""Each agenda rule at its boundary: the meeting the day before it triggers, and the day
it does. On a real session (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import Session

from sparbot.enums import FollowUpKind, MeetingStatus, PaidHoursAnswer, PlacementKind, ReasonCode
from sparbot.models import AgendaItem, Meeting
from sparbot.services import roster, sparring
from sparbot.services.agenda import Agenda, build_agenda
from sparbot.services.meetings import MeetingPlan, MeetingRules
from tests.factories import follow_up, hours, make_case, placement

START = date(2026, 9, 1)  # a Tuesday; 26 weeks end on 1 March 2027
RULES = MeetingRules()


def agenda_on(session: Session, day: date, rules: MeetingRules = RULES) -> Agenda:
    return build_agenda(session=session, plan=MeetingPlan(day, day, None), rules=rules)


def codes(session: Session, ref: str, day: date) -> set[ReasonCode]:
    agenda = agenda_on(session, day)
    for item in agenda.items + agenda.not_reached:
        if item.ref == ref:
            return set(item.codes)
    return set()


def quiet_case(session: Session, ref: str, start: date = START) -> None:
    """A case with nothing to discuss until a rule says otherwise."""
    make_case(session, ref, start=start)


def test_requested_items_come_first_until_taken_up(session: Session) -> None:
    quiet_case(session, "ZA")
    day = date(2026, 9, 8)
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 9, 7), today=day)
    assert ReasonCode.REQUESTED not in codes(session, "ZA", day)
    sparring.add_agenda_request(session=session, ref="ZA", reason="Praktikken stopper",
                                actor="U0MENTOR", today=day)
    agenda = agenda_on(session, day)
    assert agenda.items[0].ref == "ZA"
    assert agenda.items[0].reasons[0].facts["text"] == "Praktikken stopper"


def test_course_ending_within_four_weeks(session: Session) -> None:
    quiet_case(session, "ZA")
    end = date(2027, 3, 1)
    assert ReasonCode.COURSE_ENDING not in codes(session, "ZA", end - timedelta(days=29))
    assert ReasonCode.COURSE_ENDING in codes(session, "ZA", end - timedelta(days=28))
    agenda = agenda_on(session, end - timedelta(days=28))
    item = next(item for item in agenda.items if item.ref == "ZA")
    assert item.needs_jobcenter
    roster.extend_course(session=session, ref="ZA", weeks=13, decided_on=end - timedelta(30),
                         reason=None, actor=None)
    assert ReasonCode.COURSE_ENDING not in codes(session, "ZA", end - timedelta(days=28))


def test_mentor_meeting_overdue_the_day_after_it_fell_due(session: Session) -> None:
    quiet_case(session, "ZA")
    met = date(2026, 10, 5)
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, met, today=met)
    assert ReasonCode.MENTOR_MEETING_OVERDUE not in codes(session, "ZA", met + timedelta(7))
    assert ReasonCode.MENTOR_MEETING_OVERDUE in codes(session, "ZA", met + timedelta(8))


def test_workplace_follow_up_overdue_after_a_month(session: Session) -> None:
    quiet_case(session, "ZA")
    begun = date(2026, 10, 5)
    placement(session, "ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken", begun, today=begun)
    assert ReasonCode.FOLLOW_UP_OVERDUE not in codes(session, "ZA", date(2026, 11, 5))
    assert ReasonCode.FOLLOW_UP_OVERDUE in codes(session, "ZA", date(2026, 11, 6))


def test_paid_hours_after_eight_weeks_unless_raised(session: Session) -> None:
    quiet_case(session, "ZA")
    begun = date(2026, 9, 8)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", begun, today=begun)
    hours(session, "ZA", "3x3", begun, today=begun)
    eight = begun + timedelta(weeks=8)
    assert ReasonCode.PAID_HOURS not in codes(session, "ZA", eight - timedelta(days=1))
    assert ReasonCode.PAID_HOURS in codes(session, "ZA", eight)
    follow_up(session, "ZA", FollowUpKind.WORKPLACE, eight, today=eight,
              paid=PaidHoursAnswer.LATER)
    assert ReasonCode.PAID_HOURS not in codes(session, "ZA", eight)


def test_hours_down_since_the_last_meeting_and_hours_flat_for_eight_weeks(
        session: Session) -> None:
    quiet_case(session, "ZA")
    hours(session, "ZA", "3x5", date(2026, 9, 1), today=date(2026, 9, 1))
    flat_from = date(2026, 9, 1) + timedelta(weeks=8)
    assert ReasonCode.HOURS_FLAT not in codes(session, "ZA", flat_from - timedelta(days=1))
    assert ReasonCode.HOURS_FLAT in codes(session, "ZA", flat_from)
    hours(session, "ZA", "2x5", date(2026, 11, 2), today=date(2026, 11, 2))
    agenda = agenda_on(session, date(2026, 11, 3))
    item = next(item for item in agenda.items + agenda.not_reached if item.ref == "ZA")
    down = next(reason for reason in item.reasons if reason.code is ReasonCode.HOURS_DOWN)
    assert (down.facts["from_total"], down.facts["to_total"]) == (15.0, 10.0)
    # A week later the step down is old news (it happened before the previous meeting).
    assert ReasonCode.HOURS_DOWN not in codes(session, "ZA", date(2026, 11, 17))


def test_new_cases_and_new_placements_since_the_last_meeting(session: Session) -> None:
    quiet_case(session, "NB", start=date(2026, 11, 3))
    assert ReasonCode.NEW_CASE in codes(session, "NB", date(2026, 11, 3))
    assert ReasonCode.NEW_CASE in codes(session, "NB", date(2026, 10, 28))  # within a week
    assert ReasonCode.NEW_CASE not in codes(session, "NB", date(2026, 10, 27))  # next meeting's
    assert ReasonCode.NEW_CASE not in codes(session, "NB", date(2026, 11, 10) + timedelta(1))
    placement(session, "NB", PlacementKind.COMPANY_INTERNSHIP, "Café Havnen",
              date(2026, 11, 16), today=date(2026, 11, 16))
    assert ReasonCode.PLACEMENT_CHANGED not in codes(session, "NB", date(2026, 11, 15))
    assert ReasonCode.PLACEMENT_CHANGED in codes(session, "NB", date(2026, 11, 17))


def test_rotation_after_eight_weeks_without_being_taken_up(session: Session) -> None:
    quiet_case(session, "ZA")
    eight = START + timedelta(weeks=8)
    # Keep every other rule quiet: meetings held, hours changing.
    for week in range(0, 12):
        day = START + timedelta(weeks=week)
        follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, day, today=day)
        hours(session, "ZA", str(week + 1), day, today=day)  # stepping up every week
    assert codes(session, "ZA", eight - timedelta(days=1)) == set()
    assert codes(session, "ZA", eight) == {ReasonCode.ROTATION}
    meeting = Meeting(regular_date=eight, held_on=eight, status=MeetingStatus.POSTED)
    session.add(meeting)
    session.flush()
    case = roster.get_case(session=session, ref="ZA")
    session.add(AgendaItem(meeting_id=meeting.id, case_id=case.id, position=1,  # type: ignore[arg-type]
                           reached=True, discussed=True, reasons=json.dumps([])))
    session.flush()
    assert codes(session, "ZA", eight + timedelta(weeks=1)) == set()


def test_time_box_and_carry_over(session: Session) -> None:
    for number in range(9):
        quiet_case(session, f"C{number}", start=date(2026, 11, 3))  # all new cases
    rules = MeetingRules(minutes=60, minutes_per_case=8)
    first_day = date(2026, 11, 3)
    agenda = agenda_on(session, first_day, rules)
    assert [item.ref for item in agenda.items] == [f"C{n}" for n in range(7)]
    assert [item.ref for item in agenda.not_reached] == ["C7", "C8"]
    assert agenda.to_json()["not_reached"][0]["position"] == 8
    # Post it (as the bot does) and discuss only the first two.
    plan = MeetingPlan(first_day, first_day, None)
    meeting = sparring.claim_posting(session=session, plan=plan)
    assert meeting is not None and meeting.id is not None
    recorded = sparring.record_agenda(session=session, meeting_id=meeting.id, agenda=agenda)
    sparring.record_overview_posted(session=session, meeting_id=meeting.id,
                                    channel_id="C0SPARRING", message_ts="1.1")
    for record in recorded[:2]:
        sparring.mark_discussed(session=session, item_id=record.item_id)
    session.flush()
    later = agenda_on(session, first_day + timedelta(weeks=1), rules)
    carried = [item.ref for item in later.items if ReasonCode.CARRIED_OVER in item.codes]
    assert carried == ["C2", "C3", "C4", "C5", "C6", "C7", "C8"]
    assert later.items[0].codes[0] is ReasonCode.CARRIED_OVER


def test_claiming_the_posting_happens_once(session: Session) -> None:
    plan = MeetingPlan(date(2026, 12, 1), date(2026, 12, 1), None)
    assert sparring.claim_posting(session=session, plan=plan) is not None
    assert sparring.claim_posting(session=session, plan=plan) is None


def test_the_agenda_takes_the_same_queries_for_5_or_80_cases(session: Session) -> None:
    def statements_for(count: int, prefix: str) -> int:
        for number in range(count):
            ref = f"{prefix}{number}"
            make_case(session, ref, start=START)
            hours(session, ref, "3x3", START, today=START)
            placement(session, ref, PlacementKind.OWN_SHOP, "Butik", START, today=START)
            follow_up(session, ref, FollowUpKind.MENTOR_MEETING, START, today=START)
        session.flush()
        seen: list[str] = []
        engine = session.get_bind()

        def count_statement(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count_statement)
        try:
            agenda_on(session, date(2026, 11, 24))
        finally:
            event.remove(engine, "before_cursor_execute", count_statement)
        return len(seen)

    assert statements_for(5, "A") == statements_for(80, "B")


def test_a_decision_action_is_overdue_the_day_after_its_due_date(session: Session) -> None:
    from sparbot.services import decisions
    from sparbot.services.decisions import DecisionCreate

    quiet_case(session, "ZA")
    met = date(2026, 11, 20)
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, met, today=met)
    recorded = decisions.record_decision(session=session, actor="U0MENTOR", today=met,
                                         data=DecisionCreate(ref="ZA", text="Ring til lederen",
                                                             due=date(2026, 11, 24)))
    assert ReasonCode.DECISION_OVERDUE not in codes(session, "ZA", date(2026, 11, 24))
    assert ReasonCode.DECISION_OVERDUE in codes(session, "ZA", date(2026, 11, 25))
    decisions.complete_action(session=session, action_id=recorded.actions[0].action.id or 0,
                              actor="U0MENTOR", today=date(2026, 11, 25))
    assert ReasonCode.DECISION_OVERDUE not in codes(session, "ZA", date(2026, 11, 25))


def test_an_owner_away_over_a_week_and_a_jobcenter_consultant_away_are_flagged(
        session: Session) -> None:
    from sparbot.services import absences
    from sparbot.services.people import find_person_by_slack_id

    quiet_case(session, "ZA")
    meeting = date(2027, 2, 2)  # four weeks before the course ends: needs the jobcenter
    mentor = find_person_by_slack_id(session=session, slack_user_id="U0MENTOR")
    assert mentor is not None and mentor.id is not None
    absences.record_absence(session=session, person_id=mentor.id, starts_on=meeting,
                            ends_on=meeting + timedelta(days=6), actor=None, today=meeting)
    assert ReasonCode.OWNER_AWAY not in codes(session, "ZA", meeting)  # six days: no
    absences.record_absence(session=session, person_id=mentor.id, starts_on=meeting,
                            ends_on=meeting + timedelta(days=7), actor=None, today=meeting)
    agenda = agenda_on(session, meeting)
    [item] = [item for item in agenda.items if item.ref == "ZA"]
    away = next(reason for reason in item.reasons if reason.code is ReasonCode.OWNER_AWAY)
    assert away.facts == {"role": "mentor", "who": "U0MENTOR",
                          "until": meeting + timedelta(days=7)}
    assert item.jobcenter_away_until is None
    case = roster.get_case(session=session, ref="ZA")
    assert case.jobcenter_consultant_id is not None
    absences.record_absence(session=session, person_id=case.jobcenter_consultant_id,
                            starts_on=meeting - timedelta(days=1), ends_on=meeting,
                            actor=None, today=meeting - timedelta(days=1))
    [item] = [item for item in agenda_on(session, meeting).items if item.ref == "ZA"]
    assert item.needs_jobcenter and item.jobcenter_away_until == meeting
