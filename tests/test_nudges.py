"""What is nudged, to whom, when: at each boundary (cadence day, weekend, holiday, absence,
snooze, send time, pause, daylight saving) on a real session."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from sparbot.enums import FollowUpKind, NudgeKind, PlacementKind
from sparbot.services import absences, decisions, digests
from sparbot.services.decisions import DecisionCreate
from sparbot.services.nudges import NudgeRules, plan_digests
from sparbot.services.people import find_person_by_slack_id
from tests.factories import CONSULTANT, MENTOR, follow_up, make_case, placement

CPH = ZoneInfo("Europe/Copenhagen")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CPH)


DEFAULT_RULES = NudgeRules()


def planned(session: Session, when: str, rules: NudgeRules = DEFAULT_RULES
            ) -> dict[str, set[tuple[NudgeKind, str]]]:
    return {digest.person.slack_user_id or "": {(nudge.kind, nudge.case.ref)
                                                for nudge in digest.nudges}
            for digest in plan_digests(session=session, now=at(when), rules=rules)}


def person_id(session: Session, slack_id: str) -> int:
    person = find_person_by_slack_id(session=session, slack_user_id=slack_id)
    assert person is not None and person.id is not None
    return person.id


def weekly_case(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 9, 1))
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 11, 17),
              today=date(2026, 11, 17))


def test_the_mentor_meeting_is_nudged_on_its_cadence_day(session: Session) -> None:
    weekly_case(session)
    assert planned(session, "2026-11-23T09:00") == {}
    assert planned(session, "2026-11-24T09:00") == {MENTOR: {(NudgeKind.MENTOR_MEETING, "ZA")}}


def test_nothing_before_the_persons_time_and_their_own_time_is_kept(session: Session) -> None:
    weekly_case(session)
    assert planned(session, "2026-11-24T08:29") == {}
    assert MENTOR in planned(session, "2026-11-24T08:30")
    absences.set_preference(session=session, person_id=person_id(session, MENTOR),
                            send_at="7:45", paused=None, default_send_at="08:30")
    assert MENTOR in planned(session, "2026-11-24T07:45")


def test_no_nudges_at_weekends_holidays_or_closures(session: Session) -> None:
    weekly_case(session)
    assert planned(session, "2026-11-28T09:00") == {}  # Saturday
    assert planned(session, "2026-12-25T09:00") == {}  # Christmas Day
    assert planned(session, "2026-12-28T09:00") != {}  # the Monday after
    closed = NudgeRules(closures=frozenset({date(2026, 12, 28)}))
    assert planned(session, "2026-12-28T09:00", closed) == {}


def test_an_absent_person_gets_what_fell_due_after_coming_back(session: Session) -> None:
    weekly_case(session)
    absences.record_absence(session=session, person_id=person_id(session, MENTOR),
                            starts_on=date(2026, 11, 23), ends_on=date(2026, 11, 26),
                            actor=MENTOR, today=date(2026, 11, 20))
    assert planned(session, "2026-11-24T09:00") == {}
    assert planned(session, "2026-11-27T09:00") == {MENTOR: {(NudgeKind.MENTOR_MEETING, "ZA")}}


def test_snoozed_for_a_week(session: Session) -> None:
    weekly_case(session)
    [digest] = plan_digests(session=session, now=at("2026-11-24T09:00"))
    digests.suppress(session=session, person_id=person_id(session, MENTOR),
                    subject=digest.nudges[0].subject, until=date(2026, 12, 1))
    assert planned(session, "2026-11-30T09:00") == {}
    assert planned(session, "2026-12-01T09:00") == {MENTOR: {(NudgeKind.MENTOR_MEETING, "ZA")}}


def test_paused_means_only_urgent_nudges(session: Session) -> None:
    weekly_case(session)
    decisions.record_decision(session=session, actor=MENTOR, today=date(2026, 11, 20),
                              data=DecisionCreate(ref="ZA", text="Ring til lederen",
                                                  due=date(2026, 11, 25)))
    absences.set_preference(session=session, person_id=person_id(session, MENTOR),
                            send_at=None, paused=True, default_send_at="08:30")
    assert planned(session, "2026-11-24T09:00") == {MENTOR: {(NudgeKind.ACTION_DUE, "ZA")}}


def test_an_action_due_tomorrow_and_then_overdue_at_most_three_working_days(
        session: Session) -> None:
    from sparbot.models import Digest, DigestItem

    make_case(session, "EM", start=date(2026, 9, 1))
    follow_up(session, "EM", FollowUpKind.MENTOR_MEETING, date(2026, 11, 30),
              today=date(2026, 11, 30))
    decisions.record_decision(session=session, actor=MENTOR, today=date(2026, 11, 20),
                              data=DecisionCreate(ref="EM", text="Indhent erklæring",
                                                  due=date(2026, 12, 1)))
    assert planned(session, "2026-11-30T09:00")[MENTOR] == {(NudgeKind.ACTION_DUE, "EM")}
    sent = 0
    for day in ("2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"):
        digests = plan_digests(session=session, now=at(f"{day}T09:00"))
        overdue = [nudge for digest in digests for nudge in digest.nudges
                   if nudge.kind is NudgeKind.ACTION_OVERDUE]
        if overdue:  # "send" it, as the sweep records it
            digest_row = Digest(person_id=person_id(session, MENTOR),
                                day=date.fromisoformat(day), status="sent")  # type: ignore[arg-type]
            session.add(digest_row)
            session.flush()
            session.add(DigestItem(digest_id=digest_row.id, key=overdue[0].key,  # type: ignore[arg-type]
                                   kind=overdue[0].kind.value, case_id=overdue[0].case.id))
            session.flush()
            sent += 1
    assert sent == 3


def test_course_end_six_and_four_weeks_before_to_mentor_and_consultant(
        session: Session) -> None:
    from sparbot.services import roster

    make_case(session, "EM", start=date(2026, 6, 2))
    end = roster.snapshot(session=session, case=roster.get_case(session=session, ref="EM")
                          ).end_date
    six = end - timedelta(weeks=6)
    while six.weekday() >= 5:
        six += timedelta(days=1)
    before = planned(session, f"{six - timedelta(days=1)}T09:00")
    assert (NudgeKind.COURSE_ENDING, "EM") not in before.get(MENTOR, set())
    on = planned(session, f"{six}T09:00")
    assert (NudgeKind.COURSE_ENDING, "EM") in on[MENTOR]
    assert (NudgeKind.COURSE_ENDING, "EM") in on[CONSULTANT]


def test_course_end_warns_at_the_nearest_threshold_only_and_not_after_the_end(
        session: Session) -> None:
    from sparbot.services import roster

    make_case(session, "EM", start=date(2026, 6, 2))
    end = roster.snapshot(session=session, case=roster.get_case(session=session, ref="EM")
                          ).end_date

    def course_end_weeks(day: date) -> set[int]:
        return {nudge.facts["weeks"] for digest in plan_digests(session=session,
                                                                 now=at(f"{day}T09:00"))
                for nudge in digest.nudges if nudge.kind is NudgeKind.COURSE_ENDING}

    def working_day(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    assert course_end_weeks(working_day(end - timedelta(weeks=5))) == {6}
    assert course_end_weeks(working_day(end - timedelta(weeks=4))) == {4}  # not 6 as well
    last_working_day = end
    while last_working_day.weekday() >= 5:
        last_working_day -= timedelta(days=1)
    assert course_end_weeks(last_working_day) == {4}
    assert course_end_weeks(working_day(end + timedelta(days=1))) == set()


def test_the_consultant_is_nudged_about_the_company_and_paid_hours(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 9, 1))
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken", date(2026, 9, 7),
              today=date(2026, 9, 7))
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 11, 3),
              today=date(2026, 11, 3))
    kinds = planned(session, "2026-11-03T09:00")[CONSULTANT]
    assert kinds == {(NudgeKind.WORKPLACE_FOLLOWUP, "ZA"), (NudgeKind.PAID_HOURS, "ZA")}


def test_the_send_time_is_local_across_daylight_saving(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 9, 1))
    # Summer time ended on Sunday 25 October 2026; Monday 26 October, 08:30 local is 07:30 UTC.
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 10, 19),
              today=date(2026, 10, 19))
    assert planned(session, "2026-10-26T08:29") == {}
    assert MENTOR in planned(session, "2026-10-26T08:30")
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger(day_of_week="mon-fri", hour="6-18", minute="*/5", timezone=CPH)
    fire = trigger.get_next_fire_time(None, at("2026-10-26T08:27"))
    assert fire.astimezone(CPH).strftime("%H:%M") == "08:30"
