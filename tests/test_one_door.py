"""The one door, where it failed before: a jobcenter consultant through the case card's
buttons and forms, another consultant's case opened from a button, suggestions that named
other people's cases, `%` as a wildcard, and an app built with an entry left undeclared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import Engine, func, select
from sqlmodel import col

from sparbot.bot.app import declared_entries
from sparbot.bot.dispatch import Door
from sparbot.bot.entries import Kind, Registry, Who, rule
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import Purpose
from sparbot.models import AuditEvent, HoursEntry
from sparbot.services import roster
from sparbot.services.people import PersonRef
from tests.conftest import SIGNING_SECRET, TODAY, Bot, running_bot
from tests.factories import weeks_ago
from tests.test_slack_commands import block_text, last_reply

JOBCENTER, OTHER_JOBCENTER = "U0JOBCENTER", "U0OTHERJC"


@pytest.fixture
def guarded(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
            ) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF="U0MENTOR",
                     SPARBOT_JOBCENTER_USERS=f"{JOBCENTER},{OTHER_JOBCENTER}") as bot:
        with bot.db() as session:
            for ref, jobcenter in (("JC", JOBCENTER), ("JCB", OTHER_JOBCENTER),
                                   ("JCC", OTHER_JOBCENTER)):
                roster.add_case(session=session, actor="U0MENTOR", data=roster.CaseCreate(
                    ref=ref, programme="LFI", purpose=Purpose.FLEX_JOB,
                    start_date=weeks_ago(TODAY, 5), mentor=PersonRef(slack_user_id="U0MENTOR"),
                    jobcenter_consultant=PersonRef(slack_user_id=jobcenter)))
        yield bot


def refusals(bot: Bot, user: str) -> list[tuple[str, str | None]]:
    with bot.db() as session:
        rows = session.execute(select(col(AuditEvent.what), col(AuditEvent.case_ref)).where(
            col(AuditEvent.actor) == user, col(AuditEvent.action) == "refuse")
            .order_by(col(AuditEvent.id))).all()
    return [(what, ref) for what, ref in rows]


def case_card_buttons(bot: Bot, user: str) -> dict[str, str]:
    bot.driver.command("sag JC", user_id=user)
    bot.idle()
    card = bot.slack.calls_to("response_url")[-1].blocks
    return {element["action_id"]: element.get("value", "") for block in card
            if block["type"] == "actions" for element in block["elements"]}


def test_a_jobcenter_consultant_cannot_record_hours_through_the_case_cards_buttons(
        guarded: Bot) -> None:
    guarded.driver.click(ActionId.HOURS_ADD.value, "JC", user_id=JOBCENTER)
    guarded.idle()
    assert guarded.slack.calls_to("views.open") == []  # the form never opens
    assert "Som jobcenterkonsulent kan du se og træffe beslutninger" in last_reply(guarded)
    hours_form = {"type": "modal", "callback_id": CallbackId.HOURS.value,
                  "private_metadata": '{"ref":"JC"}', "title": {"type": "plain_text",
                                                                 "text": "Timer"},
                  "blocks": [{"type": "input", "block_id": "hours",
                              "label": {"type": "plain_text", "text": "Timer"},
                              "element": {"type": "plain_text_input", "action_id": "v"}}]}
    answer = guarded.driver.submit(hours_form, {"hours": "3"}, user_id=JOBCENTER)
    guarded.idle()
    assert answer.json()["response_action"] == "errors"
    assert "Som jobcenterkonsulent" in answer.json()["errors"]["hours"]
    with guarded.db() as session:
        assert session.execute(select(func.count()).select_from(HoursEntry)).scalar_one() == 0
    assert refusals(guarded, JOBCENTER) == [("action:hours-add", "JC"),
                                            ("view:hours-modal", "JC")]
    # Staff through the same form: recorded.
    answer = guarded.driver.submit(hours_form, {"hours": "3"}, user_id="U0MENTOR")
    guarded.idle()
    with guarded.db() as session:
        assert session.execute(select(func.count()).select_from(HoursEntry)).scalar_one() == 1


def test_the_case_card_offers_a_jobcenter_consultant_only_what_they_may_do(
        guarded: Bot) -> None:
    assert set(case_card_buttons(guarded, "U0MENTOR")) >= {
        ActionId.HOURS_ADD, ActionId.FOLLOWUP_ADD, ActionId.PLACEMENT_ADD, ActionId.AGENDA_ADD}
    guarded.slack.clear()
    assert set(case_card_buttons(guarded, JOBCENTER)) & {
        ActionId.HOURS_ADD, ActionId.FOLLOWUP_ADD, ActionId.PLACEMENT_ADD,
        ActionId.AGENDA_ADD} == set()


def test_another_consultants_case_does_not_open_from_a_button(guarded: Bot) -> None:
    guarded.driver.click(ActionId.CASE_OPEN.value, "JCB", user_id=JOBCENTER,
                         in_view={"id": "VHOME", "type": "home"})
    guarded.idle()
    assert guarded.slack.calls_to("views.open") == []
    [dm] = guarded.slack.calls_to("chat.postMessage")
    assert "Jeg kan ikke finde en sag med referencen «JCB»" in dm.args["text"]
    assert "JCC" not in dm.args["text"]  # and suggests nothing of the other consultant's
    assert refusals(guarded, JOBCENTER) == [("action:case-open", "JCB")]
    guarded.driver.click(ActionId.CASE_OPEN.value, "JC", user_id=JOBCENTER,
                         in_view={"id": "VHOME", "type": "home"})
    assert "JC – uge 6 af 26" in guarded.slack.wait_for("views.open")[0].view["title"][
        "text"] + block_text(guarded.slack.calls_to("views.open")[0].view["blocks"])


def test_did_you_mean_names_only_the_persons_own_cases(guarded: Bot) -> None:
    guarded.driver.command("sag JCX", user_id=JOBCENTER)
    reply = last_reply(guarded)
    assert "Mente du JC?" in reply and "JCB" not in reply and "JCC" not in reply
    guarded.driver.command("sag JCX", user_id="U0MENTOR")
    assert "Mente du JC eller JCB eller JCC?" in last_reply(guarded, 2)


def test_percent_and_underscore_are_letters_not_wildcards(guarded: Bot) -> None:
    for count, typed in enumerate(("%", "_C", "J%"), start=1):
        guarded.driver.command(f"sag {typed}", user_id="U0MENTOR")
        reply = last_reply(guarded, count)
        assert "Jeg kan ikke finde en sag" in reply
        assert "Mente du" not in reply, typed


def test_an_app_with_an_entry_left_undeclared_refuses_to_build(bot: Bot) -> None:
    registry = declared_entries()
    del registry.entries[(Kind.ACTION, ActionId.HOURS_ADD.value)]
    door = Door(bot.deps, registry)
    with pytest.raises(RuntimeError, match="entries without a rule: action:hours-add"):
        registry.bind(App(signing_secret=SIGNING_SECRET, token_verification_enabled=False,
                          token="xoxb-0"), door.listener_for, door.command_listener)


def test_a_listener_that_bypasses_the_dispatcher_refuses_to_build(bot: Bot) -> None:
    registry = declared_entries()
    app = App(signing_secret=SIGNING_SECRET, token_verification_enabled=False,
              token="xoxb-0")

    def sneaky(ack: Any) -> None:  # a listener registered beside the registry
        ack()

    app.action("sneaky")(sneaky)
    door = Door(bot.deps, registry)
    with pytest.raises(RuntimeError, match="bypass the dispatcher"):
        registry.bind(app, door.listener_for, door.command_listener)


def test_a_rule_must_name_who_may_use_it() -> None:
    with pytest.raises(ValueError, match="must say who"):
        rule()
    registry = Registry()
    registry.action(ActionId.CASE_ADD, rule=rule(Who.STAFF))(lambda: None)
    with pytest.raises(RuntimeError, match="declared twice"):
        registry.action(ActionId.CASE_ADD, rule=rule(Who.ADMIN))(lambda: None)


def test_the_app_home_offers_a_jobcenter_consultant_no_new_case_button(guarded: Bot) -> None:
    guarded.driver.open_home(JOBCENTER)
    home = guarded.slack.wait_for("views.publish")[0].view
    ids = {element.get("action_id") for block in home["blocks"]
           for element in [*block.get("elements", []), block.get("accessory") or {}]}
    assert ActionId.CASE_OPEN in ids and ActionId.CASE_ADD not in ids
    guarded.driver.open_home("U0MENTOR")
    mentor = guarded.slack.wait_for("views.publish", 2)[1].view
    assert ActionId.CASE_ADD in {element.get("action_id") for block in mentor["blocks"]
                                 for element in block.get("elements", [])}
