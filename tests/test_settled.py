"""A decision that answers an agenda reason until a date: "Praktiktimerne forbliver status
quo så E kan have tid og overskud til terapi". The agenda and the digests are quiet about
that reason until the date, and raise it again after it, or as soon as the facts change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from sparbot.enums import DecisionCategory, NudgeKind, PlacementKind, ReasonCode
from sparbot.errors import UserError
from sparbot.models import Decision
from sparbot.services import decisions
from sparbot.services.agenda import build_agenda
from sparbot.services.decisions import DecisionCreate
from sparbot.services.exports import ExportFilter, export_rows
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests
from tests.conftest import TODAY, Bot
from tests.factories import CONSULTANT, MENTOR, hours, make_case, placement, weeks_ago
from tests.test_slack_commands import block_text, last_reply

CPH = ZoneInfo("Europe/Copenhagen")
DECIDED = date(2026, 11, 24)  # TODAY, a Tuesday
UNTIL = date(2027, 1, 12)


def codes_on(session: Session, day: date, ref: str = "ZA") -> list[ReasonCode]:
    agenda = build_agenda(session=session, plan=MeetingPlan(day, day, None),
                          rules=MeetingRules())
    return next((item.codes for item in agenda.items + agenda.not_reached if item.ref == ref),
                [])


def flat_hours_case(session: Session) -> None:
    make_case(session, "ZA", start=weeks_ago(TODAY, 14))
    hours(session, "ZA", "3x3", weeks_ago(TODAY, 12), today=TODAY)


def hold_hours(session: Session, until: date = UNTIL, **data: object) -> None:
    decisions.record_decision(session=session, actor=MENTOR, today=DECIDED, data=DecisionCreate(
        ref="ZA", text="Praktiktimerne forbliver status quo så E kan have tid og overskud "
                       "til terapi", category=DecisionCategory.HOURS, settled_until=until,
        **data))  # type: ignore[arg-type]


def test_a_hold_hours_decision_quiets_flat_hours_until_its_date_and_not_after(
        session: Session) -> None:
    flat_hours_case(session)
    assert ReasonCode.HOURS_FLAT in codes_on(session, date(2026, 12, 1))
    hold_hours(session)
    for meeting in (date(2026, 12, 1), date(2026, 12, 8), UNTIL):
        assert ReasonCode.HOURS_FLAT not in codes_on(session, meeting), meeting
    assert ReasonCode.HOURS_FLAT in codes_on(session, UNTIL + timedelta(days=7))


def test_new_facts_raise_the_reason_before_the_date(session: Session) -> None:
    flat_hours_case(session)
    hold_hours(session)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Netto", date(2026, 12, 2),
              today=date(2026, 12, 2))
    assert ReasonCode.HOURS_FLAT not in codes_on(session, date(2026, 12, 1))
    assert ReasonCode.HOURS_FLAT in codes_on(session, date(2026, 12, 8))  # a new placement


def test_a_cancelled_decision_settles_nothing(session: Session) -> None:
    flat_hours_case(session)
    hold_hours(session)
    decision = session.exec(select(Decision)).one()
    decisions.cancel_decision(session=session, decision_id=decision.id or 0, actor=MENTOR)
    assert ReasonCode.HOURS_FLAT in codes_on(session, date(2026, 12, 1))


@pytest.mark.parametrize(("data", "error"), [
    ({"category": DecisionCategory.OTHER}, "settle_needs_reason"),
    ({"settles": ReasonCode.COURSE_ENDING}, "settle_needs_reason"),
    ({"until": DECIDED}, "settle_date"),
    ({"until": DECIDED + timedelta(days=400)}, "settle_date"),
])
def test_a_status_quo_must_say_what_and_until_when(
        session: Session, data: dict[str, object], error: str) -> None:
    flat_hours_case(session)
    settles = data.get("settles")
    until = data.get("until", UNTIL)
    with pytest.raises(UserError) as refused:
        decisions.record_decision(session=session, actor=MENTOR, today=DECIDED,
                                  data=DecisionCreate(
                                      ref="ZA", text="Status quo",
                                      category=data.get("category", DecisionCategory.HOURS),  # type: ignore[arg-type]
                                      settles=settles, settled_until=until))  # type: ignore[arg-type]
    assert refused.value.key == error
    assert session.exec(select(Decision)).all() == []


def test_paid_hours_not_now_quiets_the_digest_until_the_date(session: Session) -> None:
    make_case(session, "ZA", start=weeks_ago(TODAY, 14))
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Netto", weeks_ago(TODAY, 10),
              today=TODAY)

    def paid_nudged(day: date) -> bool:
        now = datetime.combine(day, datetime.min.time(), CPH).replace(hour=9)
        return any(nudge.kind is NudgeKind.PAID_HOURS and nudge.person.slack_user_id ==
                   CONSULTANT for digest in plan_digests(session=session, now=now)
                   for nudge in digest.nudges)

    assert paid_nudged(date(2026, 11, 25))
    decisions.record_decision(session=session, actor=MENTOR, today=DECIDED, data=DecisionCreate(
        ref="ZA", text="Løntimer tages op igen efter nytår", category=DecisionCategory.PAID_HOURS,
        settled_until=date(2027, 1, 4)))
    assert not paid_nudged(date(2026, 11, 25))
    assert ReasonCode.PAID_HOURS not in codes_on(session, date(2026, 12, 1))
    assert paid_nudged(date(2027, 1, 5))
    assert ReasonCode.PAID_HOURS in codes_on(session, date(2027, 1, 5))


def test_the_decision_log_shows_what_is_held_and_until_when(session: Session) -> None:
    flat_hours_case(session)
    hold_hours(session)
    [row] = list(export_rows(session=session, selection=ExportFilter()))
    assert (row.settles, row.settled_until) == ("hours-flat", UNTIL)


# --- through Slack ------------------------------------------------------------------------


def test_typed_with_indtil_the_decision_holds_and_says_so(bot: Bot) -> None:
    with bot.db() as session:
        flat_hours_case(session)
    bot.driver.command("beslut ZA Praktiktimerne forbliver status quo så E kan have tid og "
                       "overskud til terapi om:timer indtil:12/1")
    last_reply(bot)
    post = bot.slack.wait_for("chat.postMessage")[0]
    text = block_text(post.blocks)
    assert "Praktiktimerne forbliver status quo så E kan have tid og overskud til terapi" in text
    assert "Status quo til 12. jan 2027" in text and "samme timetal" in text
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
        assert (decision.settles, decision.settled_until) == (ReasonCode.HOURS_FLAT, UNTIL)
        assert ReasonCode.HOURS_FLAT not in codes_on(session, date(2026, 12, 1))


def test_a_date_without_what_it_holds_is_explained_and_nothing_is_kept(bot: Bot) -> None:
    with bot.db() as session:
        flat_hours_case(session)
    bot.driver.command("beslut ZA Vi venter indtil:12/1")
    assert "om:timer" in last_reply(bot)
    with bot.db() as session:
        assert session.exec(select(Decision)).all() == []


def test_the_agenda_items_status_quo_button_opens_the_form_set_to_its_reason(
        bot: Bot) -> None:
    with bot.db() as session:
        flat_hours_case(session)
    bot.driver.command("dagsorden post")
    bot.slack.wait_for("response_url")
    item = next(call for call in bot.slack.calls_to("chat.postMessage")
                if block_text(call.blocks).startswith("*1. ZA*"))
    button = next(element for block in item.blocks if block["type"] == "actions"
                  for element in block["elements"]
                  if element["action_id"] == "decision-status-quo")
    bot.driver.click("decision-status-quo", button["value"], message=item.message)
    view = bot.slack.wait_for("views.open")[-1].view
    settles = next(block for block in view["blocks"] if block["block_id"] == "settles")
    assert settles["element"]["initial_option"]["value"] == "hours-flat"
    category = next(block for block in view["blocks"] if block["block_id"] == "category")
    assert category["element"]["initial_option"]["value"] == "hours"
    posted = len(bot.slack.calls_to("chat.postMessage"))
    bot.driver.submit(view, {"decision-text": "Timerne forbliver status quo, fordi E går i "
                                              "terapi", "settled-until": UNTIL.isoformat()})
    replies = bot.slack.wait_for("chat.postMessage", posted + 1)
    assert "Status quo til 12. jan 2027" in block_text(replies[-1].blocks)
    assert replies[-1].args.get("thread_ts") == item.message["ts"]  # in the item's thread
    with bot.db() as session:
        assert ReasonCode.HOURS_FLAT not in codes_on(session, date(2026, 12, 8))
