"""Decisions end to end: recorded by command, form, agenda button and message shortcut;
posted as structured messages in the case's agenda thread; done, edited, cancelled."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from sparbot.bot.agenda.posting import post_agenda
from sparbot.bot.ids import CallbackId
from sparbot.models import AgendaItem, Decision, DecisionAction, DecisionChange, Extension
from sparbot.services.meetings import plan_meeting
from tests.conftest import TEAM_CHANNEL, TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import block_text, last_reply


def cases(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "EM", start=weeks_ago(TODAY, 23))  # ends within 4 weeks
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))


def posted_decisions(bot: Bot, count: int = 1) -> list[Any]:
    """The decisions the bot posted, once `count` of them have arrived (they are posted after
    the request is acknowledged)."""
    deadline = time.monotonic() + 5
    while True:
        found = [call for call in bot.slack.calls_to("chat.postMessage")
                 if "Beslutning · " in block_text(call.blocks)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def button(call: Any, action_id: str) -> dict[str, Any]:
    return next(element for block in call.blocks
                for element in ([block.get("accessory")] if block.get("accessory") else [])
                + block.get("elements", [])
                if isinstance(element, dict) and element.get("action_id") == action_id)


def test_a_decision_by_command_goes_to_the_team_channel(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Indhent speciallægeerklæring <!channel> "
                       "ansvarlig:<@U0CONSULT|karsten> frist:1/12 kategori:speciallæge")
    assert f"Beslutningen for ZA er registreret i <#{TEAM_CHANNEL}>" in last_reply(bot)
    [post] = posted_decisions(bot)
    assert post.args["channel"] == TEAM_CHANNEL
    text = block_text(post.blocks)
    assert "*Beslutning · ZA* · speciallægeerklæring · 24. nov 2026" in text
    assert "> Indhent speciallægeerklæring &lt;!channel&gt;" in text
    assert "*Ansvarlig:* <@U0CONSULT> · frist 1. dec 2026" in text
    assert "Registreret af <@U0MENTOR>" in text
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
        assert decision.message_ts == post.response["ts"]


def test_in_the_meeting_an_extension_goes_to_the_cases_thread_and_extends_it(bot: Bot) -> None:
    cases(bot)
    post_agenda(bot.deps, bot.client, plan_meeting(TODAY, bot.deps.settings.meeting_rules()))
    item = next(call for call in bot.slack.calls_to("chat.postMessage")
                if block_text(call.blocks).startswith("*1. EM*"))
    bot.driver.command("beslut EM Forlæng med 13 uger, afventer fleksjobvurdering uger:13 "
                       "jobcenter:enig ansvarlig:jobcenter")
    bot.slack.wait_for("response_url")
    [post] = posted_decisions(bot)
    assert post.args["thread_ts"] == item.response["ts"]
    text = block_text(post.blocks)
    assert "forlængelse" in text and "Forløbet er forlænget med 13 uger." in text
    assert "*Ansvarlig:* Jens Jobcenter" in text and "jobcentret er enig" in text
    with bot.db() as session:
        assert session.exec(select(Extension)).one().weeks == 13
        decision = session.exec(select(Decision)).one()
        assert decision.meeting_id is not None and decision.jobcenter_agreed is True
        em_item = session.exec(select(AgendaItem).where(AgendaItem.position == 1)).one()
        assert em_item.discussed


def test_done_is_reported_in_the_thread_once(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Ring til lederen om løntimer ansvarlig:<@U0CONSULT|k>")
    bot.slack.wait_for("response_url")
    [post] = posted_decisions(bot)
    done = button(post, "decision-action-done")
    for _ in range(2):  # a double click, or Slack retrying
        bot.driver.click("decision-action-done", done["value"], message=post.message,
                         user_id="U0CONSULT")
    update = bot.slack.wait_for("chat.update")[0]
    assert "udført 24. nov af <@U0CONSULT>" in block_text(update.blocks)
    bot.slack.wait_for("chat.postMessage", 2)  # the decision, then the reply in its thread
    time.sleep(0.3)  # room for a second reply, which must not come
    replies = [call for call in bot.slack.calls_to("chat.postMessage")
               if call.args.get("thread_ts") == post.response["ts"]]
    assert len(replies) == 1
    assert "har markeret som udført" in replies[0].args["text"]
    with bot.db() as session:
        action = session.exec(select(DecisionAction)).one()
        assert action.status == "done" and action.done_by == "U0CONSULT"


def test_edit_keeps_the_history_and_cancel_strikes_it_through(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Ny praktik i butikken ansvarlig:<@U0MENTOR|m> frist:1/12")
    bot.slack.wait_for("response_url")
    [post] = posted_decisions(bot)
    bot.driver.click("decision-edit", button(post, "decision-edit")["value"],
                     message=post.message, user_id="U0CONSULT")
    view = bot.slack.wait_for("views.open")[0].view
    assert view["callback_id"] == CallbackId.DECISION_EDIT.value
    answer = bot.driver.submit(view, {"decision-text": "Ny praktik i cykelværkstedet",
                                      "due": "2026-12-08"}, user_id="U0CONSULT")
    assert answer.status == 200 and answer.body == ""
    update = bot.slack.wait_for("chat.update")[0]
    assert "> Ny praktik i cykelværkstedet" in block_text(update.blocks)
    assert "frist 8. dec 2026" in block_text(update.blocks)
    with bot.db() as session:
        history = session.exec(select(DecisionChange).order_by(col(DecisionChange.id))).all()
    assert [change.change for change in history] == ["recorded", "edited"]
    edited = json.loads(history[1].detail)
    assert edited["before"]["text"] == "Ny praktik i butikken"
    assert edited["after"] == {"text": "Ny praktik i cykelværkstedet", "due": "2026-12-08"}
    assert history[1].changed_by == "U0CONSULT"
    bot.driver.click("decision-cancel", button(post, "decision-cancel")["value"],
                     message=post.message)
    cancelled = bot.slack.wait_for("chat.update", 2)[1]
    assert "~*Beslutning · ZA*~ · annulleret" in block_text(cancelled.blocks)
    assert all(block["type"] != "actions" for block in cancelled.blocks)


def test_the_form_checks_its_fields_in_the_form(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut")
    view = bot.slack.wait_for("views.open")[0].view
    assert "Sag (initialer eller pseudonym)" in json.dumps(view, ensure_ascii=False)
    for inputs, field, words in [
        ({"ref": "QQ", "decision-text": "x"}, "ref", "Jeg kan ikke finde en sag"),
        ({"ref": "ZA", "decision-text": "Forlæng", "category": "extension"},
         "extension-weeks", "hvor mange uger"),
        ({"ref": "ZA", "decision-text": "Afslut", "category": "closing"}, "outcome",
         "Skriv udfaldet"),
        ({"ref": "ZA", "decision-text": "x", "due": "2026-11-01"}, "due", "fortiden"),
        ({"ref": "ZA", "decision-text": "LFI for 010190-1234"}, "decision-text", "CPR"),
    ]:
        answer = bot.driver.submit(view, inputs).json()
        assert words in answer["errors"][field], answer
    bot.driver.submit(view, {"ref": "ZA", "decision-text": "Afslut forløbet",
                             "category": "closing", "outcome": "education",
                             "owners": "U0MENTOR,U0CONSULT"})
    [post] = posted_decisions(bot)
    assert block_text(post.blocks).count("*Ansvarlig:*") == 2
    assert "Forløbet er afsluttet: uddannelse." in block_text(post.blocks)
    bot.driver.command("sag ZA")
    assert "ZA – afsluttet" in last_reply(bot, 1)


def test_a_message_in_the_cases_thread_becomes_a_decision(bot: Bot) -> None:
    cases(bot)
    post_agenda(bot.deps, bot.client, plan_meeting(TODAY, bot.deps.settings.meeting_rules()))
    item = next(call for call in bot.slack.calls_to("chat.postMessage")
                if block_text(call.blocks).startswith("*2. ZA*"))
    reply_in_thread = {"type": "message", "user": "U0JOBCENTER", "ts": "1800000000.000200",
                       "thread_ts": item.response["ts"],
                       "text": "Vi bevilger 4 ugers praktik mere hos Solbakken"}
    bot.driver.message_shortcut(CallbackId.DECISION_SHORTCUT.value, reply_in_thread)
    view = bot.slack.wait_for("views.open")[0].view
    assert view["title"]["text"] == "Beslutning ZA"
    texts = [block["element"].get("initial_value") for block in view["blocks"]
             if block["type"] == "input"]
    assert "Vi bevilger 4 ugers praktik mere hos Solbakken" in texts
    bot.driver.submit(view, {"category": "internship"})
    [post] = posted_decisions(bot)
    assert post.args["thread_ts"] == item.response["ts"]


def test_listing_decisions_and_the_owners_home(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Ring til lederen ansvarlig:<@U0CONSULT|k> frist:26/11")
    bot.driver.command("beslut EM Book møde med jobcentret")
    bot.slack.wait_for("response_url", 2)
    bot.driver.command("beslutninger mine", user_id="U0CONSULT")
    mine = block_text(bot.slack.wait_for("response_url", 3)[2].blocks)
    assert "Beslutninger – dine åbne" in mine and "*ZA*" in mine and "*EM*" not in mine
    bot.driver.command("beslutninger EM")
    assert "Book møde med jobcentret" in last_reply(bot, 4)
    bot.driver.open_home("U0CONSULT")
    home = bot.slack.wait_for("views.publish")[0].view
    assert "Dine opgaver fra beslutninger" in block_text(home["blocks"])
    assert "*ZA*: Ring til lederen · frist 26. nov" in block_text(home["blocks"])


def test_an_overdue_action_is_on_the_next_agenda(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Ring til lederen ansvarlig:<@U0CONSULT|k> frist:26/11")
    bot.slack.wait_for("response_url")
    bot.driver.command("dagsorden")
    text = last_reply(bot, 2)
    assert "Beslutning ikke udført: «Ring til lederen» – frist 26. nov, ansvarlig <@U0CONSULT>" \
        in text
    assert TODAY + timedelta(days=7) == date(2026, 12, 1)


def test_the_export_arrives_as_a_file_in_a_dm(bot: Bot) -> None:
    import csv
    import io

    cases(bot)
    bot.driver.command("beslut ZA Ring til lederen ansvarlig:<@U0CONSULT|k> frist:26/11")
    bot.slack.wait_for("response_url")
    bot.driver.command("eksport ZA format:csv", user_id="U0CONSULT")
    assert "Eksporten (1 linje) er sendt til dig som direkte besked" in last_reply(bot, 2)
    [complete] = bot.slack.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "D0CONSULT"  # a DM, never a channel
    [file_id] = bot.slack.uploads
    rows = list(csv.reader(io.StringIO(bot.slack.uploads[file_id].decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0][2] == "Sag" and rows[1][2:5] == ["ZA", "andet", "Ring til lederen"]
    bot.driver.command("eksport format:pdf")
    assert "«pdf» er ikke et format" in last_reply(bot, 3)


def test_who_was_present_is_kept_with_the_decision(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA Ny praktik i cykelværkstedet "
                       "til_stede:<@U0MENTOR|m>,<@U0CONSULT|k>,<@U0JOBCENTER|j>")
    bot.slack.wait_for("response_url")
    [post] = posted_decisions(bot)
    assert "til stede: <@U0MENTOR>, <@U0CONSULT>, <@U0JOBCENTER>" in block_text(post.blocks)
    with bot.db() as session:
        assert json.loads(session.exec(select(Decision)).one().present) == [
            "U0MENTOR", "U0CONSULT", "U0JOBCENTER"]


def test_a_decision_never_goes_to_a_channel_that_is_not_private(bot: Bot) -> None:
    cases(bot)
    bot.slack.private_channels.discard(TEAM_CHANNEL)
    bot.driver.command("beslut ZA Ny praktik", user_id="U0CONSULT")
    bot.slack.wait_for("response_url")
    [post] = posted_decisions(bot)
    assert post.args["channel"] == "U0CONSULT"  # to the recorder, in a DM


def test_a_colon_in_a_decisions_text_is_text_and_the_text_is_kept_as_typed(bot: Bot) -> None:
    """Issue 17's bug: "13 uger: praktik …" was read as the option `uger:praktik`, then
    overwritten by the real `uger:13`, and the decision logged without those words."""
    cases(bot)
    bot.driver.command("beslut ZA Forlænges 13 uger: praktik uden for Saxogade afprøves. "
                       "Mål: 10 timer kl. 9:30 uger:13")
    [post] = posted_decisions(bot)
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
        extension = session.exec(select(Extension)).one()
    assert decision.text == ("Forlænges 13 uger: praktik uden for Saxogade afprøves. "
                             "Mål: 10 timer kl. 9:30")
    assert decision.category == "extension" and extension.weeks == 13
    assert "uger: praktik uden for Saxogade" in block_text(post.blocks)
    # A mistake in an option written as one is still said.
    bot.slack.wait_for("response_url")  # the first reply, before the second command
    bot.driver.command("beslut ZA Forlænges uger:tretten")
    assert "kan ikke bruges" in last_reply(bot, 2)
