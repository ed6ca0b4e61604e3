"""Attendance as the team lives it: a week logged in one line or two clicks, the rules that
raise it at the meeting, the reminder when a week is not logged, and the weeks of the
calendar it is counted in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from sparbot.enums import NudgeKind, PlacementKind, ReasonCode
from sparbot.errors import UserError
from sparbot.models import AttendanceWeek
from sparbot.privacy import CprNumberRefused
from sparbot.services.agenda import build_agenda
from sparbot.services.attendance import (
    AttendanceInput,
    AttendanceRules,
    attendance_flag,
    default_week,
    record_attendance,
    summarise,
    week_numbered,
    week_of,
)
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests
from tests.factories import MENTOR, make_case, placement

CPH = ZoneInfo("Europe/Copenhagen")
TUESDAY = date(2026, 11, 24)  # week 48; the meeting's day
LAST_WEEK = date(2026, 11, 16)  # week 47's Monday


def log(session: Session, ref: str, monday: date, attended: int, planned: int, *,
        today: date = TUESDAY, sick: int = 0, no_show: int = 0) -> tuple[AttendanceWeek, bool]:
    return record_attendance(session=session, ref=ref, actor=MENTOR, today=today,
                             data=AttendanceInput(week_start=monday, planned=planned,
                                                  attended=attended, sick=sick,
                                                  no_show=no_show))


def weeks_back(count: int) -> date:
    """The Monday `count` weeks before the meeting's week."""
    return date.fromordinal(week_of(TUESDAY).toordinal() - 7 * count)


# --- which week ---------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 23), date(2026, 11, 16)),  # Monday: last week
    (date(2026, 11, 25), date(2026, 11, 16)),  # Wednesday: still last week
    (date(2026, 11, 26), date(2026, 11, 23)),  # Thursday: this week
    (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday: this week
])
def test_a_count_typed_without_a_week_is_for_the_week_most_likely_meant(
        today: date, expected: date) -> None:
    assert default_week(today) == expected


def test_a_week_number_is_the_last_such_week_begun() -> None:
    assert week_numbered(47, TUESDAY) == date(2026, 11, 16)
    assert week_numbered(48, TUESDAY) == date(2026, 11, 23)
    assert week_numbered(49, TUESDAY) == date(2025, 12, 1)  # not begun this year: last year's
    assert week_numbered(52, date(2027, 1, 5)) == date(2026, 12, 21)  # January: December's
    with pytest.raises(UserError) as refused:
        week_numbered(53, date(2026, 6, 1))  # neither 2026 nor 2025 has a week 53
    assert refused.value.key == "bad_week"


# --- recording ----------------------------------------------------------------------------


def test_a_week_is_recorded_once_and_logging_it_again_replaces_it(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 10, 5))
    first, replaced = log(session, "ZA", LAST_WEEK, 3, 4)
    assert not replaced and first.share == 0.75
    _second, replaced = log(session, "ZA", LAST_WEEK, 4, 4)
    assert replaced
    rows = session.exec(select(AttendanceWeek)).all()
    assert [(row.week_start, row.attended_days, row.planned_days) for row in rows] == [
        (LAST_WEEK, 4, 4)]


@pytest.mark.parametrize(("data", "error"), [
    (AttendanceInput(LAST_WEEK, planned=3, attended=4), "attended_over_planned"),
    (AttendanceInput(LAST_WEEK, planned=4, attended=3, sick=1, no_show=1),
     "missed_over_planned"),
    (AttendanceInput(LAST_WEEK, planned=4, attended=1, left_early=2),
     "left_early_over_attended"),
    (AttendanceInput(LAST_WEEK, planned=8, attended=1), "bad_days"),
    (AttendanceInput(date(2026, 9, 28), planned=4, attended=4), "week_before_start"),
    (AttendanceInput(date(2026, 11, 30), planned=4, attended=4), "week_in_future"),
])
def test_days_that_do_not_add_up_are_refused_and_nothing_is_kept(
        session: Session, data: AttendanceInput, error: str) -> None:
    make_case(session, "ZA", start=date(2026, 10, 5))
    with pytest.raises(UserError) as refused:
        record_attendance(session=session, ref="ZA", data=data, actor=MENTOR, today=TUESDAY)
    assert refused.value.key == error
    assert session.exec(select(AttendanceWeek)).all() == []


def test_a_cpr_number_in_the_note_is_refused(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 10, 5))
    with pytest.raises(CprNumberRefused):
        record_attendance(session=session, ref="ZA", actor=MENTOR, today=TUESDAY,
                          data=AttendanceInput(LAST_WEEK, planned=4, attended=2,
                                               note="syg, cpr 010190-1234"))
    assert session.exec(select(AttendanceWeek)).all() == []


# --- the rules ----------------------------------------------------------------------------


def weeks_of(*counts: tuple[int, int] | None, no_show: dict[int, int] | None = None
             ) -> list[AttendanceInput]:
    """Weeks ending the week before the meeting, oldest first; None: not logged."""
    found = []
    for back, count in zip(range(len(counts), 0, -1), counts, strict=True):
        if count is not None:
            attended, planned = count
            found.append(AttendanceInput(weeks_back(back), planned=planned, attended=attended,
                                         no_show=(no_show or {}).get(back, 0)))
    return found


class Week:
    def __init__(self, data: AttendanceInput) -> None:
        self.week_start = data.week_start
        self.planned_days, self.attended_days = data.planned, data.attended
        self.sick_days, self.no_show_days, self.left_early_days = data.sick, data.no_show, 0


DEFAULT_RULES = AttendanceRules()


def flag(*counts: tuple[int, int] | None, no_show: dict[int, int] | None = None,
         rules: AttendanceRules = DEFAULT_RULES) -> dict[str, object] | None:
    return attendance_flag([Week(data) for data in weeks_of(*counts, no_show=no_show)],
                           day=TUESDAY, rules=rules)


def test_low_attendance_is_three_weeks_running_under_the_threshold() -> None:
    low = flag((4, 4), (2, 4), (2, 4), (1, 4))
    assert low is not None and low["kind"] == "low" and low["share"] == 42
    assert low["since"] == weeks_back(3)
    assert flag((2, 4), (2, 4), (4, 4)) is None  # the last week was full
    assert flag((2, 4), None, (2, 4)) is None  # a week not logged is not a low week
    assert flag((3, 4), (3, 4), (3, 4)) is None  # 75 % is not under 75 %
    assert flag((3, 4), (3, 4), (3, 4), rules=AttendanceRules(low_share=0.8)) is not None


def test_absent_without_notice_in_two_weeks_is_raised_first() -> None:
    found = flag((3, 4), (4, 4), (3, 4), (4, 4), no_show={4: 1, 2: 1})
    assert found == {"kind": "no-show", "weeks": 2, "window": 4, "days": 2, "share": 88}
    assert flag((3, 4), (4, 4), (3, 4), (4, 4), no_show={2: 1}) is None


def test_falling_attendance_is_the_last_two_weeks_well_below_the_two_before() -> None:
    found = flag((4, 4), (4, 4), (3, 4), (2, 4))
    assert found is not None and found["kind"] == "falling"
    assert (found["from"], found["to"]) == (100, 62)
    assert flag((4, 4), (4, 4), (4, 4), (3, 4)) is None  # 100 → 88: not a fall


def test_the_case_card_summary_shows_each_week_and_the_trend() -> None:
    weeks = [Week(data) for data in weeks_of((4, 4), (4, 4), (2, 4), None)]
    summary = summarise(weeks, today=TUESDAY, course_start=date(2026, 10, 5))
    assert summary is not None
    assert [line.percent for line in summary.lines] == [100, 100, 50, None]
    assert [line.number for line in summary.lines] == [44, 45, 46, 47]
    assert summary.percent == 83 and summary.trend == "down"
    assert summarise([], today=TUESDAY, course_start=date(2026, 10, 5)) is None


def test_low_attendance_reaches_the_agenda(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 9, 7))
    make_case(session, "ZB", start=date(2026, 9, 7))
    for back in (3, 2, 1):
        log(session, "ZA", weeks_back(back), 1, 4)
        log(session, "ZB", weeks_back(back), 4, 4)
    agenda = build_agenda(session=session, plan=MeetingPlan(TUESDAY, TUESDAY, None),
                          rules=MeetingRules())
    reasons = {item.ref: item.reasons for item in agenda.items}
    attendance = [reason for reason in reasons["ZA"] if reason.code is ReasonCode.ATTENDANCE]
    assert attendance and attendance[0].facts["kind"] == "low"
    assert attendance[0].facts["share"] == 25
    assert ReasonCode.ATTENDANCE not in [reason.code for reason in reasons.get("ZB", [])]
    as_json = agenda.to_json()
    za = next(item for item in as_json["items"] if item["ref"] == "ZA")
    assert {"code": "attendance", "facts": {"kind": "low", "weeks": 3, "share": 25,
                                             "below": 75, "since": weeks_back(3).isoformat()}
            } in za["reasons"]


# --- the reminder -------------------------------------------------------------------------


def digest_kinds(session: Session, when: str) -> dict[str, set[tuple[NudgeKind, str]]]:
    now = datetime.fromisoformat(when).replace(tzinfo=CPH)
    return {digest.person.slack_user_id or "": {(nudge.kind, nudge.case.ref)
                                                for nudge in digest.nudges}
            for digest in plan_digests(session=session, now=now)}


def test_a_week_in_a_placement_without_attendance_reaches_the_mentors_digest(
        session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 10, 5))
    make_case(session, "ZB", start=date(2026, 10, 5))  # in no placement: nothing to log
    make_case(session, "ZC", start=date(2026, 10, 5))  # in a placement, week logged
    for ref in ("ZA", "ZC"):
        placement(session, ref, PlacementKind.OWN_SHOP, "Genbrugsbutikken", date(2026, 10, 5),
                  today=TUESDAY)
    log(session, "ZC", LAST_WEEK, 4, 4)
    found = digest_kinds(session, "2026-11-23T09:00")
    assert (NudgeKind.ATTENDANCE_MISSING, "ZA") in found[MENTOR]
    assert (NudgeKind.ATTENDANCE_MISSING, "ZB") not in found[MENTOR]
    assert (NudgeKind.ATTENDANCE_MISSING, "ZC") not in found[MENTOR]
    log(session, "ZA", LAST_WEEK, 2, 4)
    assert (NudgeKind.ATTENDANCE_MISSING, "ZA") not in digest_kinds(
        session, "2026-11-23T09:00").get(MENTOR, set())


def test_the_reminder_names_the_week_and_is_keyed_by_it(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 10, 5))
    placement(session, "ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken", date(2026, 10, 5),
              today=TUESDAY)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=CPH)
    nudges = [nudge for digest in plan_digests(session=session, now=now)
              for nudge in digest.nudges if nudge.kind is NudgeKind.ATTENDANCE_MISSING]
    assert [(nudge.facts["week"], nudge.key.split(":")[2]) for nudge in nudges] == [
        (LAST_WEEK, "2026-11-16")]
    assert not NudgeKind.ATTENDANCE_MISSING.keyed_by_day  # once a week, not every morning
