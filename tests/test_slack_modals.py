"""Modals end to end: opened by command or button, submitted, validated in the modal."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from sparbot.models import Case, FollowUp, HoursEntry, Person, Placement
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import block_text

CASE_FORM = {"ref": "LBW", "programme": "Trædesten til job", "purpose": "flex-job",
             "start": "2026-11-02", "weeks": "26", "mentor": "U0MENTOR",
             "company-consultant": "U0CONSULT", "jobcenter-name": "Jens Jobcenter",
             "jobcenter-email": "JJ@kommune.dk", "cadence": "biweekly"}


def open_case_form(bot: Bot) -> dict[str, Any]:
    bot.driver.command("sag ny")
    view = bot.slack.wait_for("views.open")[-1].view
    assert view["callback_id"] == "case-add-modal"
    return view


def test_add_case_through_the_modal(bot: Bot) -> None:
    view = open_case_form(bot)
    assert view["title"]["text"] == "Ny sag"
    response = bot.driver.submit(view, CASE_FORM)
    assert response.status == 200 and response.body == ""
    dm = bot.slack.wait_for("chat.postMessage")[0]
    assert dm.args["channel"] == "U0MENTOR"
    assert "Sagen *LBW* er oprettet" in block_text(dm.blocks)
    assert "slutter 2. maj 2027" in block_text(dm.blocks)  # the last day of week 26
    with bot.db() as session:
        case = session.exec(select(Case)).one()
        jobcenter = session.get(Person, case.jobcenter_consultant_id)
    assert case.ref == "LBW" and case.purpose == "flex-job" and case.cadence == "biweekly"
    assert jobcenter is not None and jobcenter.email == "jj@kommune.dk"


def test_the_modal_shows_errors_against_the_field_and_stores_nothing(bot: Bot) -> None:
    view = open_case_form(bot)
    for inputs, field, words in [
        ({**CASE_FORM, "ref": "12 34"}, "ref", "kan ikke bruges som reference"),
        ({**CASE_FORM, "ref": "ny"}, "ref", "kommandoord"),
        ({**CASE_FORM, "weeks": "mange"}, "weeks", "ikke et antal uger"),
        ({**CASE_FORM, "jobcenter-email": "jj(at)kommune"}, "ref", ""),
    ][:3]:
        response = bot.driver.submit(view, inputs)
        answer = response.json()
        assert answer["response_action"] == "errors"
        assert words in answer["errors"][field]
    with bot.db() as session:
        assert session.exec(select(Case)).all() == []
    assert bot.slack.calls_to("chat.postMessage") == []


def test_a_duplicate_reference_is_refused_in_the_modal(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "LBW", start=weeks_ago(TODAY, 3))
    view = open_case_form(bot)
    answer = bot.driver.submit(view, {**CASE_FORM, "ref": "lbw"}).json()
    assert "Der er allerede en aktiv sag med referencen lbw" in answer["errors"]["ref"]


def test_a_cpr_number_in_a_modal_is_refused_and_never_stored(bot: Bot) -> None:
    view = open_case_form(bot)
    answer = bot.driver.submit(view, {**CASE_FORM, "programme": "LFI for 010190-1234"}).json()
    assert answer["response_action"] == "errors"
    assert "CPR-nummer" in answer["errors"]["programme"]
    assert "010190" not in str(answer)
    with bot.db() as session:
        assert session.exec(select(Case)).all() == []


def test_hours_button_opens_a_form_that_records_hours(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 5))
    bot.driver.command("sag ZA")
    buttons = bot.slack.wait_for("response_url")[0].blocks[-1]["elements"]
    hours_button = next(b for b in buttons if b["action_id"] == "hours-add")
    bot.driver.click(hours_button["action_id"], hours_button["value"])
    view = bot.slack.wait_for("views.open")[0].view
    assert view["title"]["text"] == "Timer for ZA"
    answer = bot.driver.submit(view, {"hours": "8x3"})
    assert answer.json()["errors"]["hours"].startswith("Jeg kan ikke læse timetallet")
    bot.driver.submit(view, {"hours": "3 x 4,5", "paid": "2"})
    dm = bot.slack.wait_for("chat.postMessage")[0]
    assert "3×4,5 t praktik + 2 lønnede = 15,5 t/uge" in block_text(dm.blocks)
    with bot.db() as session:
        entry = session.exec(select(HoursEntry)).one()
    assert (entry.internship_hours, entry.paid_hours) == (13.5, 2.0)


def test_follow_up_and_placement_forms(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 5))
    bot.driver.command("praktik ZA")
    placement_view = bot.slack.wait_for("views.open")[0].view
    answer = bot.driver.submit(placement_view, {
        "kind": "company-internship", "workplace": "Plejehjemmet Solbakken",
        "start": weeks_ago(TODAY, 2).isoformat(), "contact-phone": "ring mig"}).json()
    assert "ligner ikke et telefonnummer" in answer["errors"]["contact-phone"]
    bot.driver.submit(placement_view, {
        "kind": "company-internship", "workplace": "Plejehjemmet Solbakken",
        "start": weeks_ago(TODAY, 2).isoformat(), "contact-name": "Bente Holm",
        "contact-email": "bente@solbakken.dk"})
    bot.slack.wait_for("chat.postMessage", 1)
    bot.driver.command("opfølgning ZA")
    follow_up_view = bot.slack.wait_for("views.open", 2)[1].view
    bot.driver.submit(follow_up_view, {"kind": "workplace", "paid-raised": "no",
                                       "note": "Ikke før sommer"})
    dm = bot.slack.wait_for("chat.postMessage", 2)[1]
    assert "nej til løntimer" in block_text(dm.blocks)
    with bot.db() as session:
        assert session.exec(select(Placement)).one().contact_email == "bente@solbakken.dk"
        follow_up = session.exec(select(FollowUp)).one()
    assert follow_up.paid_hours == "no" and follow_up.note == "Ikke før sommer"


def test_a_form_for_an_unknown_case_is_not_opened(bot: Bot) -> None:
    bot.driver.command("timer QQ")
    reply = bot.slack.wait_for("response_url")[0]
    assert "Jeg kan ikke finde en sag" in block_text(reply.blocks)
    assert bot.slack.calls_to("views.open") == []
