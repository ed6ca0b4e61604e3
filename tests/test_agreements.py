"""The placement agreement: written in its form, shown on the case card (accommodations only
where just the reader sees them, never in a channel), read by the rules (who follows up, how
often, the planned end, the paid-hours talk), in the report, and its goals' progress said at
a follow-up."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from sparbot.enums import (
    DueKind,
    FollowUpCadence,
    GoalStatus,
    NudgeKind,
    PlacementKind,
    ReasonCode,
)
from sparbot.errors import UserError
from sparbot.models import AgreementGoal, Placement, PlacementAgreement
from sparbot.privacy import CprNumberRefused
from sparbot.reports.case_pdf import case_report_pdf
from sparbot.services import roster
from sparbot.services.agenda import build_agenda
from sparbot.services.agreements import AgreementInput, save_agreement, set_goal_statuses
from sparbot.services.due import due_items
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests
from sparbot.services.people import PersonRef, resolve_person
from sparbot.services.report import gather_case_report
from tests.conftest import TEAM_CHANNEL, TODAY, Bot
from tests.factories import MENTOR, make_case, placement, weeks_ago
from tests.test_slack_commands import block_text, last_reply
from tests.test_slack_nudges import sweep

CPH = ZoneInfo("Europe/Copenhagen")
SECRET = "Ingen tunge løft, pauser hver time (SKÅNE-7Q)"
GOALS = "Møde stabilt 3 dage om ugen\n- Møde til tiden\n- Sige til ved fravær\nBetjene kassen"
FOLLOWER = "U0FOLLOWER"


def agreed(session: Session, **changes: object) -> None:
    data = AgreementInput(
        tasks="Varemodtagelse og opfyldning", goals=GOALS, hours_plan="3×3 nu, 4×4 fra 1/2",
        accommodations=SECRET, planned_end=TODAY + timedelta(days=10),
        next_paid_hours_talk=date(2027, 1, 15), cadence=FollowUpCadence.WEEKLY,
        follows_up=PersonRef(slack_user_id=FOLLOWER))
    save_agreement(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                   data=AgreementInput(**{**data.__dict__, **changes}))


def in_netto(session: Session) -> None:
    make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Netto", weeks_ago(TODAY, 4),
              today=TODAY)


def test_the_agreement_keeps_goals_as_a_tree_and_the_placements_own_fields(
        session: Session) -> None:
    in_netto(session)
    agreed(session)
    goals = session.exec(select(AgreementGoal).order_by(AgreementGoal.position)).all()  # type: ignore[arg-type]
    assert [(goal.text, goal.parent_id is not None) for goal in goals] == [
        ("Møde stabilt 3 dage om ugen", False), ("Møde til tiden", True),
        ("Sige til ved fravær", True), ("Betjene kassen", False)]
    assert goals[1].parent_id == goals[0].id == goals[2].parent_id
    stored = session.exec(select(Placement)).one()
    assert (stored.end_date, stored.next_paid_hours_raise, stored.follow_up_cadence) == (
        TODAY + timedelta(days=10), date(2027, 1, 15), FollowUpCadence.WEEKLY)


def test_saving_again_keeps_where_each_goal_stands(session: Session) -> None:
    in_netto(session)
    agreed(session)
    case = roster.get_case(session=session, ref="ZA")
    first = session.exec(select(AgreementGoal).where(
        AgreementGoal.text == "Møde til tiden")).one()
    assert set_goal_statuses(session=session, case_id=case.id or 0,
                             statuses={first.id or 0: GoalStatus.REACHED}, today=TODAY) == 1
    agreed(session, goals=GOALS + "\nTage telefonen")
    statuses = {goal.text: goal.status for goal in session.exec(select(AgreementGoal))}
    assert statuses["Møde til tiden"] is GoalStatus.REACHED
    assert statuses["Tage telefonen"] is GoalStatus.OPEN
    assert len(session.exec(select(PlacementAgreement)).all()) == 1


def test_no_placement_no_agreement_and_no_cpr_number_anywhere_in_it(session: Session) -> None:
    make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    with pytest.raises(UserError) as refused:
        agreed(session)
    assert refused.value.key == "agreement_needs_placement"
    placement(session, "ZA", PlacementKind.OWN_SHOP, "Butikken", weeks_ago(TODAY, 2),
              today=TODAY)
    for field in ("tasks", "goals", "hours_plan", "accommodations"):
        with pytest.raises(CprNumberRefused):
            agreed(session, **{field: "cpr 010190-1234"})
    assert session.exec(select(PlacementAgreement)).all() == []


def test_who_follows_up_and_how_often_drive_what_is_due_and_who_is_nudged(
        session: Session) -> None:
    in_netto(session)
    agreed(session)
    snapshot = roster.snapshot(session=session, case=roster.get_case(session=session, ref="ZA"))
    [workplace] = [item for item in due_items(snapshot, TODAY)
                   if item.kind is DueKind.WORKPLACE_FOLLOWUP]
    follower = resolve_person(session=session, ref=PersonRef(slack_user_id=FOLLOWER))
    assert workplace.owner_id == follower.id
    assert workplace.due_on == weeks_ago(TODAY, 3)  # weekly from the start
    now = datetime(2026, 11, 24, 9, 0, tzinfo=CPH)
    nudged = {(digest.person.slack_user_id, nudge.kind) for digest in
              plan_digests(session=session, now=now) for nudge in digest.nudges}
    assert (FOLLOWER, NudgeKind.WORKPLACE_FOLLOWUP) in nudged


def test_the_agreed_end_is_raised_before_it_when_nothing_follows(session: Session) -> None:
    in_netto(session)
    agreed(session)

    def codes(day: date) -> list[ReasonCode]:
        agenda = build_agenda(session=session, plan=MeetingPlan(day, day, None),
                              rules=MeetingRules())
        return next(item.codes for item in agenda.items if item.ref == "ZA")

    assert ReasonCode.PLACEMENT_ENDING in codes(TODAY)
    placement(session, "ZA", PlacementKind.PAID_HOURS, "Netto", TODAY + timedelta(days=11),
              today=TODAY)
    assert ReasonCode.PLACEMENT_ENDING not in codes(TODAY)  # the next step is planned


def test_the_report_holds_the_agreement(session: Session) -> None:
    in_netto(session)
    agreed(session)
    from sparbot.bot.render import Renderer
    from sparbot.enums import Language

    pdf = case_report_pdf(gather_case_report(session=session, ref="ZA", today=TODAY),
                          Renderer(Language.DA))
    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in ("Praktikaftale – Netto", "Varemodtagelse og opfyldning",
                     "Møde til tiden (ikke begyndt)", "Ingen tunge løft", "hver uge"):
        assert expected in text, expected


# --- through Slack ------------------------------------------------------------------------


def test_written_in_the_form_shown_on_the_card_and_progressed_at_a_follow_up(bot: Bot) -> None:
    with bot.db() as session:
        in_netto(session)
    bot.driver.command("aftale ZA")
    view = bot.slack.wait_for("views.open")[-1].view
    assert view["callback_id"] == "agreement-modal"
    response = bot.driver.submit(view, {
        "tasks": "Varemodtagelse", "goals": GOALS, "accommodations": SECRET,
        "follow-up-cadence": "biweekly", "follows-up": FOLLOWER})
    assert response.status == 200 and response.body == ""
    confirmation = block_text(bot.slack.wait_for("chat.postMessage")[0].blocks)
    assert "praktikaftalen for Netto er gemt – 4 mål" in confirmation
    assert SECRET not in confirmation
    bot.driver.command("sag ZA")
    card = last_reply(bot)
    assert "*Praktikaftale* (Netto" in card and ":white_circle: Møde til tiden" in card
    assert "Opfølgning:* hver anden uge ved <@U0FOLLOWER>" in card
    assert f"Skånehensyn* (kun synligt for dig): {SECRET}" in card
    bot.driver.command("opfølgning ZA")
    form = bot.slack.wait_for("views.open", 2)[-1].view
    goal_blocks = [block for block in form["blocks"] if block["block_id"].startswith("goal-")]
    assert [block["label"]["text"] for block in goal_blocks][:2] == [
        "Mål: Møde stabilt 3 dage om ugen", "Mål: Møde til tiden"]
    bot.driver.submit(form, {"kind": "workplace", goal_blocks[1]["block_id"]: "reached"})
    assert "1 mål er opdateret i praktikaftalen" in block_text(
        bot.slack.wait_for("chat.postMessage", 2)[-1].blocks)
    bot.driver.command("sag ZA")
    assert ":white_check_mark: Møde til tiden" in last_reply(bot, 2)


def test_accommodations_never_reach_a_channel(bot: Bot) -> None:
    """Every surface the bot has, exercised with an agreement in place: the words of the
    accommodations are in the private ones and in no channel message."""
    with bot.db() as session:
        in_netto(session)
        make_case(session, "EM", start=weeks_ago(TODAY, 23))
        agreed(session)
    bot.driver.command("sag ZA")  # private: the asker's ephemeral card
    assert SECRET in last_reply(bot)
    bot.driver.command("dagsorden post")  # the channel: overview and one message a case
    bot.slack.wait_for("response_url", 2)
    bot.driver.command("beslut ZA Praktikken forlænges til 1. feb ansvarlig:<@U0MENTOR>")
    bot.slack.wait_for("response_url", 3)
    bot.driver.open_home()  # private: the App Home
    bot.slack.wait_for("views.publish")
    bot.driver.click("case-open", "ZA", in_view={"id": "VHOME", "type": "home"})
    assert SECRET in block_text(bot.slack.wait_for("views.open")[-1].view["blocks"])
    sweep(bot)  # the morning digests: DMs
    bot.idle()
    channel_calls = [call for call in bot.slack.calls
                     if str(call.args.get("channel") or call.args.get("channel_id") or ""
                            ).startswith("C")]
    assert any(call.args.get("channel") == TEAM_CHANNEL for call in channel_calls)
    leaked = [call.method for call in channel_calls if "SKÅNE-7Q" in str(call.args)]
    assert leaked == []
