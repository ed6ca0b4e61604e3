"""When the meeting is and when its agenda goes out: weekdays, Danish holidays, closure
days, and the local hour across daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sparbot.config import Settings
from sparbot.enums import HolidayPolicy
from sparbot.services.meetings import (
    MeetingRules,
    next_meeting,
    parse_closure_days,
    plan_meeting,
    posting_day,
    posting_instant,
)

CPH = ZoneInfo("Europe/Copenhagen")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CPH)


def test_the_next_meeting_is_this_weeks_until_it_starts() -> None:
    rules = MeetingRules()
    assert next_meeting(at("2026-11-24T09:59"), rules).held_on == date(2026, 11, 24)
    assert next_meeting(at("2026-11-24T10:00"), rules).held_on == date(2026, 12, 1)
    assert next_meeting(at("2026-11-19T12:00"), rules).held_on == date(2026, 11, 24)


def test_posted_the_working_day_before_at_two() -> None:
    rules = MeetingRules()
    plan = next_meeting(at("2026-11-20T08:00"), rules)
    assert posting_instant(plan, rules, CPH) == at("2026-11-23T14:00")
    monday_rules = MeetingRules(weekday=0)
    monday = next_meeting(at("2026-11-20T08:00"), monday_rules)
    assert posting_day(monday, monday_rules) == date(2026, 11, 20)  # Friday before Monday


def test_a_meeting_on_a_public_holiday_moves_or_is_cancelled() -> None:
    # 2027-03-29 is Easter Monday; a Monday meeting that week.
    moving = MeetingRules(weekday=0)
    plan = plan_meeting(date(2027, 3, 29), moving)
    assert (plan.held_on, plan.closed_because) == (date(2027, 3, 30), "holiday")
    # ... and its agenda goes out before Maundy Thursday and Good Friday.
    assert posting_day(plan, moving) == date(2027, 3, 24)
    cancelling = MeetingRules(weekday=0, holiday_policy=HolidayPolicy.CANCEL)
    assert plan_meeting(date(2027, 3, 29), cancelling).held_on is None


def test_closure_days_such_as_the_christmas_week() -> None:
    closures = frozenset(parse_closure_days("2026-12-21..2027-01-01"))
    rules = MeetingRules(closures=closures)
    christmas = plan_meeting(date(2026, 12, 22), rules)
    assert christmas.held_on is None and christmas.closed_because == "closure"
    # Second Christmas Day (a public holiday) and the closure week; the next meeting is
    # 5 January, its agenda on Monday the 4th.
    after = next_meeting(at("2026-12-22T11:00"), rules)
    assert after.held_on is None  # the 29th is closed too
    assert next_meeting(at("2026-12-29T11:00"), rules).held_on == date(2027, 1, 5)


def test_the_local_posting_hour_holds_across_daylight_saving() -> None:
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger(day_of_week="mon-fri", hour=14, minute=0, timezone=CPH)
    # Summer time ends 25 Oct 2026 and begins 28 Mar 2027.
    for before in (at("2026-10-23T15:00"), at("2027-03-26T15:00")):
        fire = trigger.get_next_fire_time(None, before)
        assert fire.astimezone(CPH).time() == time(14, 0)
        assert fire.utcoffset() != before.utcoffset()  # it is a different UTC hour
    rules = MeetingRules()
    plan = next_meeting(at("2026-10-26T08:00"), rules)  # the Monday after the change
    assert posting_instant(plan, rules, CPH).utcoffset() == timedelta(hours=1)


def test_meeting_settings_are_read_from_the_environment() -> None:
    settings = Settings(SPARBOT_MEETING_DAY="onsdag", SPARBOT_MEETING_TIME="9:30",
                        SPARBOT_AGENDA_POST_TIME="12:15", SPARBOT_MEETING_MINUTES="90",
                        SPARBOT_CLOSURE_DAYS="2026-12-24, 2026-12-31",
                        SPARBOT_HOLIDAY_POLICY="cancel", _env_file=None)
    rules = settings.meeting_rules()
    assert (rules.weekday, rules.starts_at, rules.post_at) == (2, time(9, 30), time(12, 15))
    assert rules.capacity == 11
    assert rules.closures == {date(2026, 12, 24), date(2026, 12, 31)}
    assert rules.holiday_policy is HolidayPolicy.CANCEL


@pytest.mark.parametrize(("name", "value"), [
    ("SPARBOT_MEETING_DAY", "søndag"), ("SPARBOT_MEETING_TIME", "25:00"),
    ("SPARBOT_CLOSURE_DAYS", "jul"), ("SPARBOT_HOLIDAY_POLICY", "maybe"),
])
def test_bad_meeting_settings_are_named(name: str, value: str) -> None:
    import os

    from sparbot.config import SettingsError, load_settings
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        with pytest.raises(SettingsError) as caught:
            load_settings(env_file=None)
        assert name in str(caught.value.code)
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old
