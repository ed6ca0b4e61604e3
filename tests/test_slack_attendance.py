"""Attendance end to end through Slack: one line, or two clicks from the case card or the
morning digest; the case card shows it; the report draws it; the workplace follow-up
agreed weekly is flagged after one missed week."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from pypdf import PdfReader
from sqlmodel import select

from sparbot.enums import FollowUpCadence, FollowUpKind, PlacementKind, ReasonCode
from sparbot.models import AttendanceWeek, Placement
from sparbot.reports.case_pdf import case_report_pdf
from sparbot.services.agenda import build_agenda
from sparbot.services.attendance import AttendanceInput, record_attendance
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.report import gather_case_report
from tests.conftest import TODAY, Bot
from tests.factories import MENTOR, follow_up, make_case, placement, weeks_ago
from tests.test_slack_commands import block_text, last_reply
from tests.test_slack_nudges import digests_to, sweep

LAST_WEEK = date(2026, 11, 16)  # TODAY is Tuesday of week 48


def stored(bot: Bot) -> list[tuple[date, int, int, int, int]]:
    with bot.db() as session:
        return [(week.week_start, week.attended_days, week.planned_days, week.sick_days,
                 week.no_show_days) for week in session.exec(
            select(AttendanceWeek).order_by(AttendanceWeek.week_start))]  # type: ignore[arg-type]


def case_in_shop(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 6))
        placement(session, "ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken",
                  weeks_ago(TODAY, 6), today=TODAY)


def test_one_line_logs_a_week_and_says_what_was_kept(bot: Bot) -> None:
    case_in_shop(bot)
    bot.driver.command("fremmøde ZA 3/4")
    said = last_reply(bot)
    assert "ZA: fremmøde i uge 47 (16. nov–22. nov) er registreret: mødt 3 af 4 dage (75 %)" \
        in said
    bot.driver.command("fremmøde ZA uge:46 mødt:2 af:4 syg:1 udeblevet:1")
    assert "uge 46" in last_reply(bot, 2) and "udeblevet uden afbud 1" in last_reply(bot, 2)
    bot.driver.command("fremmøde ZA 4 af 4")  # again for week 47: replaces it
    assert "erstatter" in last_reply(bot, 3)
    assert stored(bot) == [(date(2026, 11, 9), 2, 4, 1, 1), (LAST_WEEK, 4, 4, 0, 0)]


def test_days_that_do_not_add_up_are_explained_and_nothing_is_kept(bot: Bot) -> None:
    case_in_shop(bot)
    bot.driver.command("fremmøde ZA mødt:5 af:4")
    assert "flere end de 4 planlagte" in last_reply(bot)
    bot.driver.command("fremmøde ZA mødt:3")
    assert "/spar fremmøde ZA mødt:3 af:4" in last_reply(bot, 2)
    assert stored(bot) == []


def test_two_clicks_from_the_case_card_log_a_full_week(bot: Bot) -> None:
    case_in_shop(bot)
    with bot.db() as session:
        record_attendance(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                          data=AttendanceInput(date(2026, 11, 9), planned=3, attended=3))
    bot.driver.command("sag ZA")
    card = bot.slack.wait_for("response_url")[0].blocks
    assert "Fremmøde:* 100 %" in block_text(card)
    assert "uge 47: ikke registreret" in block_text(card)
    buttons = [element for block in card if block["type"] == "actions"
               for element in block["elements"]]
    attendance = next(button for button in buttons if button["action_id"] == "attendance-add")
    bot.driver.click("attendance-add", attendance["value"])  # click one
    view = bot.slack.wait_for("views.open")[-1].view
    assert view["callback_id"] == "attendance-modal"
    week = next(block for block in view["blocks"] if block["block_id"] == "week")
    assert week["element"]["initial_option"]["value"] == LAST_WEEK.isoformat()  # not logged
    response = bot.driver.submit(view, {})  # click two: as prefilled
    assert response.status == 200 and response.body == ""
    bot.slack.wait_for("chat.postMessage")
    assert stored(bot)[-1] == (LAST_WEEK, 3, 3, 0, 0)  # the days planned as last logged


def test_the_form_shows_a_mistake_against_its_field(bot: Bot) -> None:
    case_in_shop(bot)
    bot.driver.command("fremmøde ZA")
    view = bot.slack.wait_for("views.open")[-1].view
    answer = bot.driver.submit(view, {"planned": "3", "attended": "3",
                                      "left-early": "4"}).json()
    assert answer["response_action"] == "errors"
    assert "Gået tidligt 4 dage" in answer["errors"]["left-early"]
    assert stored(bot) == []


def test_the_morning_digest_reminds_the_mentor_and_its_button_opens_the_week(
        bot: Bot) -> None:
    case_in_shop(bot)
    sweep(bot)
    digest = digests_to(bot, MENTOR)
    assert len(digest) == 1
    assert "Fremmøde for *ZA* i uge 47 (16. nov–22. nov) er ikke registreret" in digest[0]
    message = next(call for call in bot.slack.calls_to("chat.postMessage")
                   if call.args.get("channel") == MENTOR)
    buttons = [element for block in message.blocks if block["type"] == "actions"
               for element in block["elements"] if element["action_id"] == "attendance-add"]
    assert len(buttons) == 1
    bot.driver.click("attendance-add", buttons[0]["value"], channel_id="D0MENTOR")
    view = bot.slack.wait_for("views.open")[-1].view
    assert view["callback_id"] == "attendance-modal"


def test_english_attendance_and_the_jobcenter_word_both_still_work(bot_en: Bot) -> None:
    case_in_shop(bot_en)
    bot_en.driver.command("attendance ZA attended:3 of:4 sick:1")
    assert "attendance in week 47" in last_reply(bot_en)
    assert "attended 3 of 4 days (75 %) · sick 1" in last_reply(bot_en)
    bot_en.driver.command("attendance jobcenter no")
    assert "*Jobcenter:* :x: absent" in last_reply(bot_en, 2)
    assert stored(bot_en) == [(LAST_WEEK, 3, 4, 1, 0)]


def test_the_report_draws_attendance_under_the_hours(bot: Bot) -> None:
    case_in_shop(bot)
    with bot.db() as session:
        for monday, attended in ((date(2026, 11, 2), 4), (date(2026, 11, 9), 2),
                                 (LAST_WEEK, 3)):
            record_attendance(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                              data=AttendanceInput(monday, planned=4, attended=attended))
        pdf = case_report_pdf(gather_case_report(session=session, ref="ZA", today=TODAY),
                              bot.deps.renderer)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ugentlige timer" in text and "Fremmøde pr. uge" in text
    assert text.index("Ugentlige timer") < text.index("Fremmøde pr. uge")
    assert "3 uger registreret: mødt 9 af 12 planlagte dage (75 %)" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2  # the hours chart and the attendance chart


# --- the workplace follow-up, as agreed for the placement --------------------------------


def agenda_codes(bot: Bot, day: date) -> dict[str, list[ReasonCode]]:
    with bot.db() as session:
        agenda = build_agenda(session=session, plan=MeetingPlan(day, day, None),
                              rules=MeetingRules())
        return {item.ref: item.codes for item in agenda.items + agenda.not_reached}


def test_a_weekly_workplace_follow_up_is_flagged_after_one_missed_week(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        make_case(session, "ZB", start=weeks_ago(TODAY, 10))
    bot.driver.command("praktik ZA virksomhed Plejehjemmet Solbakken fra:2/11 "
                       "opfølgning:ugentlig")
    assert "Arbejdspladsen følges op hver uge" in last_reply(bot)
    bot.driver.command("praktik ZB virksomhed Netto fra:2/11")  # monthly, the default
    assert "følges op hver måned" in last_reply(bot, 2)
    with bot.db() as session:
        for ref in ("ZA", "ZB"):
            follow_up(session, ref, FollowUpKind.WORKPLACE, date(2026, 11, 16), today=TODAY)
    # Held Monday 16 Nov: weekly is due 23 Nov, so the meeting of 24 Nov flags it;
    # monthly is due 16 Dec.
    codes = agenda_codes(bot, TODAY)
    assert ReasonCode.FOLLOW_UP_OVERDUE in codes["ZA"]
    assert ReasonCode.FOLLOW_UP_OVERDUE not in codes.get("ZB", [])
    assert ReasonCode.FOLLOW_UP_OVERDUE not in agenda_codes(bot, date(2026, 11, 23)).get(
        "ZA", [])  # not before the week has passed


def test_the_cadence_can_be_agreed_later_and_a_wrong_word_says_what_to_type(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Netto",
                  weeks_ago(TODAY, 2), today=TODAY)
    bot.driver.command("praktik ZA opfølgning:hver-anden-uge")
    assert "opfølgningen hos Netto er nu hver anden uge" in last_reply(bot)
    bot.driver.command("praktik ZA opfølgning:dagligt")
    assert "opfølgning:ugentlig" in last_reply(bot, 2)
    with bot.db() as session:
        cadences = [row.follow_up_cadence for row in session.exec(select(Placement))]
    assert cadences == [FollowUpCadence.BIWEEKLY]


def test_the_placement_form_asks_how_often_the_workplace_is_followed_up(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    bot.driver.command("praktik ZA")
    view = bot.slack.wait_for("views.open")[-1].view
    cadence: dict[str, Any] = next(block for block in view["blocks"]
                                   if block["block_id"] == "follow-up-cadence")
    assert cadence["element"]["initial_option"]["value"] == "monthly"
    bot.driver.submit(view, {"workplace": "Netto", "follow-up-cadence": "weekly"})
    bot.slack.wait_for("chat.postMessage")
    bot.driver.command("sag ZA")
    assert "opfølgning hver uge" in last_reply(bot)

