"""The outbox: a change and its message are one transaction; Slack failing never makes the
bot say "nothing was saved" after it saved, and what Slack did not take is sent by a later
sweep, exactly once, on whichever replica gets to it."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from sparbot.bot.agenda.posting import Outcome, coming_meeting, own_team, post_agenda
from sparbot.bot.delivery import sweep_outbox
from sparbot.clock import utcnow
from sparbot.devtools.fake_slack import DROP
from sparbot.enums import MeetingStatus, OutboxStatus
from sparbot.models import AgendaItem, Decision, Meeting, OutboxMessage
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import block_text

DECIDED = "Indhent speciallægeerklæring"


def some_time_passes(bot: Bot, *, claimed: bool = False) -> None:
    """Every waiting message is due, as after its backoff; `claimed`: every claim in
    flight is as old as one left by a process that died."""
    long_ago = utcnow() - timedelta(hours=1)
    with bot.db() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=long_ago))
        if claimed:
            session.execute(update(OutboxMessage).where(
                col(OutboxMessage.status) == OutboxStatus.SENDING).values(claimed_at=long_ago))


def decision_posts(bot: Bot) -> list[str]:
    """The decisions Slack took (a refused call is in the fake's log too)."""
    return [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")
            if DECIDED in block_text(call.blocks) and "Beslutning · " in block_text(call.blocks)
            and call.response.get("ok") is not False]


def cases(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        make_case(session, "EM", start=weeks_ago(TODAY, 23))


def test_a_decision_recorded_while_slack_fails_is_said_saved_and_posted_once_later(
        bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", status=500, times=3)  # beyond the client's retries
    bot.driver.command(f"beslut ZA {DECIDED}")
    reply = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "Beslutningen for ZA er gemt" in reply and "kommer, så snart Slack svarer" in reply
    assert "intet blev gemt" not in reply and "Noget gik galt" not in reply
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
        assert decision.message_ts is None
        assert session.exec(select(OutboxMessage)).one().status is OutboxStatus.PENDING
    assert decision_posts(bot) == []
    sweep_outbox(bot.deps, bot.client)  # not due yet: it waits for its backoff
    assert decision_posts(bot) == []
    some_time_passes(bot)
    assert sweep_outbox(bot.deps, bot.client).sent == 1
    assert sweep_outbox(bot.deps, bot.client).sent == 0
    assert len(decision_posts(bot)) == 1
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
        message = session.exec(select(OutboxMessage)).one()
    assert decision.message_ts == message.sent_ts and decision.channel_id == "C0SPARRING"
    assert message.payload is None  # the case's text is not kept once it is in Slack


def test_a_decision_form_submitted_while_slack_fails_is_said_saved_by_dm(bot: Bot) -> None:
    cases(bot)
    bot.driver.command("beslut ZA")
    view = bot.slack.wait_for("views.open")[0].view
    bot.slack.fail_next("chat.postMessage", status=503, times=3)
    answer = bot.driver.submit(view, {"decision-text": DECIDED})
    assert answer.status == 200 and answer.body == ""  # the form closes: it is saved
    bot.idle()
    dms = [call for call in bot.slack.calls_to("chat.postMessage")
           if call.args.get("channel") == "U0MENTOR"]
    assert len(dms) == 1 and "er gemt" in block_text(dms[0].blocks) + str(dms[0].args)
    some_time_passes(bot)
    sweep_outbox(bot.deps, bot.client)
    assert len(decision_posts(bot)) == 1


def test_slack_refusing_a_post_for_good_is_said_with_its_reason_and_not_retried(
        bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", error="not_in_channel")
    bot.driver.command(f"beslut ZA {DECIDED}")
    reply = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "er gemt, men jeg kan ikke lægge den" in reply and "not_in_channel" in reply
    with bot.db() as session:
        message = session.exec(select(OutboxMessage)).one()
    assert message.status is OutboxStatus.FAILED and message.last_error == "not_in_channel"
    some_time_passes(bot)
    assert sweep_outbox(bot.deps, bot.client).sent == 0
    assert decision_posts(bot) == []


def test_done_and_edits_follow_a_post_that_is_still_waiting(bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", status=500, times=3)
    bot.driver.command(f"beslut ZA {DECIDED} ansvarlig:<@U0MENTOR>")
    bot.slack.wait_for("response_url")
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
    bot.driver.click("decision-cancel", str(decision.id))  # struck through before it is out
    bot.idle()
    assert not bot.slack.calls_to("chat.update")  # nothing to update in Slack yet
    some_time_passes(bot)
    result = sweep_outbox(bot.deps, bot.client)
    assert result.sent == 2  # the post, then the update of it
    assert len(decision_posts(bot)) == 1
    [updated] = bot.slack.calls_to("chat.update")
    with bot.db() as session:
        decision = session.exec(select(Decision)).one()
    assert updated.args["ts"] == decision.message_ts
    assert "~" in block_text(updated.blocks) or "annulleret" in block_text(updated.blocks)


def test_an_agenda_item_slack_failed_is_posted_by_a_later_sweep_once_and_in_order(
        bot: Bot) -> None:
    cases(bot)
    bot.clock.instant = bot.clock.instant.replace(day=30, hour=14)  # Monday, posting time
    team = own_team(bot.deps)
    bot.slack.fail_next("chat.postMessage", status=500, after=1, times=3)  # the first case
    result = post_agenda(bot.deps, bot.client, coming_meeting(bot.deps, team), team)
    assert (result.outcome, result.sent, result.total) == (Outcome.QUEUED, 1, 3)
    again = post_agenda(bot.deps, bot.client, coming_meeting(bot.deps, team), team)
    assert again.outcome is Outcome.POSTED  # a second post finishes it: nothing was lost
    assert post_agenda(bot.deps, bot.client, coming_meeting(bot.deps, team),
                       team).outcome is Outcome.ALREADY_POSTED
    posts = [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")]
    assert len(posts) == 3 and "Dagsorden:" in posts[0]
    assert posts[1].startswith("*1. ") and posts[2].startswith("*2. ")
    with bot.db() as session:
        assert session.exec(select(Meeting)).one().status == "posted"
        assert all(item.thread_ts for item in session.exec(select(AgendaItem))
                   if item.reached)


def test_a_message_whose_sender_died_is_found_in_slack_or_sent_once(bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", status=500, times=6)
    bot.driver.command(f"beslut ZA {DECIDED}")
    bot.driver.command(f"beslut EM {DECIDED}")
    bot.idle()
    with bot.db() as session:
        first, second = session.exec(select(OutboxMessage).order_by(
            col(OutboxMessage.id))).all()
        # Two replicas died mid-send: the first had got its message out, the second not.
        for message in (first, second):
            message.status, message.claimed_at = OutboxStatus.SENDING, utcnow()
        payload = first.payload
    assert payload is not None
    import json

    out = json.loads(payload)
    bot.client.chat_postMessage(channel="C0SPARRING", text=out["text"], blocks=out["blocks"])
    some_time_passes(bot, claimed=True)
    result = sweep_outbox(bot.deps, bot.client)
    assert (result.settled, result.sent) == (2, 1)
    assert len(decision_posts(bot)) == 2  # one each: the first not sent again
    with bot.db() as session:
        assert all(decision.message_ts for decision in session.exec(select(Decision)))


def test_two_replicas_sweeping_at_once_send_each_message_once(bot: Bot) -> None:
    cases(bot)
    # Slack says "internal_error" (a 200 the client does not retry): fast, and transient.
    bot.slack.fail_next("chat.postMessage", error="internal_error", times=10)
    for number in range(10):
        bot.driver.command(f"beslut ZA {DECIDED} nr. {number}")
        bot.idle()
    some_time_passes(bot)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        sweep_outbox(bot.deps, bot.client))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.sent for result in results) == 10
    assert len(set(decision_posts(bot))) == 10


def test_a_rate_limited_sweep_waits_as_long_as_slack_asks(bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", status=500, times=3)
    bot.driver.command(f"beslut ZA {DECIDED}")
    bot.idle()
    some_time_passes(bot)
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=120, times=3)
    result = sweep_outbox(bot.deps, bot.client)
    assert (result.sent, result.waiting) == (0, 1)
    with bot.db() as session:
        message = session.exec(select(OutboxMessage)).one()
    assert message.status is OutboxStatus.PENDING and message.last_error == "ratelimited"
    wait = message.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert wait >= timedelta(seconds=110)


def test_a_post_whose_answer_was_lost_is_looked_up_by_the_next_sweep_and_not_doubled(
        bot: Bot) -> None:
    cases(bot)
    bot.slack.fail_next("chat.postMessage", status=DROP)  # Slack has it; the answer is lost
    bot.driver.command(f"beslut ZA {DECIDED}")
    reply = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "er gemt" in reply and "intet blev gemt" not in reply
    result = sweep_outbox(bot.deps, bot.client)  # at once: no waiting for the timeout
    assert (result.settled, result.sent) == (1, 0)
    assert bot.slack.calls_to("conversations.history")  # looked up, not guessed
    assert len(decision_posts(bot)) == 1
    with bot.db() as session:
        assert session.exec(select(Decision)).one().message_ts


def test_a_posting_a_process_left_before_the_outbox_existed_is_posted_anew(bot: Bot) -> None:
    cases(bot)
    team = own_team(bot.deps)
    plan = coming_meeting(bot.deps, team)
    with bot.db() as session:  # claimed, nothing queued: the old code died mid-posting
        session.add(Meeting(regular_date=plan.regular, held_on=plan.held_on,
                            status=MeetingStatus.POSTING,
                            claimed_at=utcnow() - timedelta(hours=1)))
    result = post_agenda(bot.deps, bot.client, plan, team)
    assert result.outcome is Outcome.POSTED
    posts = [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")]
    assert sum("Dagsorden:" in post for post in posts) == 1


def test_a_change_a_button_made_that_slack_refuses_for_good_is_said_to_who_clicked(
        bot: Bot) -> None:
    cases(bot)
    bot.clock.instant = bot.clock.instant.replace(day=30, hour=14)
    team = own_team(bot.deps)
    post_agenda(bot.deps, bot.client, coming_meeting(bot.deps, team), team)
    item = next(call for call in bot.slack.calls_to("chat.postMessage")
                if "agenda-item-discussed" in str(call.blocks))
    value = next(element["value"] for block in item.blocks if block["type"] == "actions"
                 for element in block["elements"]
                 if element["action_id"] == "agenda-item-discussed")
    bot.slack.clear()
    bot.slack.fail_next("chat.update", error="message_not_found")
    bot.driver.click("agenda-item-discussed", value, message=item.message)
    bot.idle()
    told = [call for call in bot.slack.calls_to("chat.postMessage")
            if call.args.get("channel") == "U0MENTOR"]
    assert len(told) == 1 and "message_not_found" in told[0].args["text"]
    assert "en ændring af en besked" in told[0].args["text"]
    with bot.db() as session:  # the change itself is kept
        assert session.exec(select(AgendaItem).where(
            col(AgendaItem.discussed).is_(True))).one()


def test_what_is_said_when_a_message_is_given_up_on_reads_for_every_kind(bot: Bot) -> None:
    kinds = ["decision", "decision-update", "decision-reply", "agenda", "agenda-item",
             "agenda-edit", "agenda-line", "digest", "digest-edit"]
    for kind in kinds:
        text = bot.deps.renderer.text("delivery", "gave_up", kind=kind, channel="C0SPARRING",
                                      error="is_archived", message_id=7)
        assert not text.startswith(":warning: Jeg kunne ikke lægge en besked "), kind  # named
        assert "sparbot outbox retry 7" in text and "<#C0SPARRING>" in text
