"""Nudges end to end: one digest DM per person per working day, exactly once — swept
twice, raced by two replicas, through a 429 storm and a lost connection — and its buttons."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from sparbot.bot.app import make_client, make_deps
from sparbot.bot.nudges.sending import send_due_nudges
from sparbot.clock import FixedClock, utcnow
from sparbot.devtools.fake_slack import DROP
from sparbot.enums import FollowUpKind, PlacementKind
from sparbot.models import Digest, NudgeSuppression
from sparbot.services.attendance import AttendanceInput, record_attendance
from tests.conftest import TODAY, Bot
from tests.factories import CONSULTANT, MENTOR, follow_up, make_case, placement, weeks_ago
from tests.test_outbox import some_time_passes
from tests.test_slack_commands import block_text, last_reply

CPH = ZoneInfo("Europe/Copenhagen")
MORNING = datetime(2026, 11, 24, 8, 30, tzinfo=CPH)


def no_wait(_seconds: float) -> None:
    return None


def team(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 12))
        follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, TODAY - timedelta(days=7),
                  today=TODAY)
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Plejehjemmet Solbakken",
                  weeks_ago(TODAY, 10), today=TODAY)
        # Last week's attendance is logged: these tests are about the other nudges.
        record_attendance(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                          data=AttendanceInput(date(2026, 11, 16), planned=3, attended=3))


def digests_to(bot: Bot, user: str) -> list[str]:
    return [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")
            if call.args.get("channel") == user]


def sweep(bot: Bot, now: datetime = MORNING) -> object:
    client = make_client(bot.deps.settings, retry_lost_connections=False)
    return send_due_nudges(bot.deps, client, now, pace=no_wait)


def test_one_digest_per_person_and_a_second_sweep_sends_nothing(bot: Bot) -> None:
    team(bot)
    sweep(bot)
    sweep(bot)
    mentor, consultant = digests_to(bot, MENTOR), digests_to(bot, CONSULTANT)
    assert len(mentor) == 1 and len(consultant) == 1
    assert "Mentorsamtale med *ZA* er forfalden (sidst 17. nov)" in mentor[0]
    assert "Opfølgning hos Plejehjemmet Solbakken for *ZA* er forfalden" in consultant[0]
    assert "husk at drøfte løntimer" in consultant[0]
    assert "tag løntimer op med Plejehjemmet Solbakken" in consultant[0]


def test_two_replicas_racing_send_each_digest_once(bot: Bot) -> None:
    team(bot)
    client = make_client(bot.deps.settings, retry_lost_connections=False)

    def replica() -> None:
        deps = make_deps(bot.deps.settings, bot.db, clock=FixedClock(MORNING))
        send_due_nudges(deps, client, MORNING, pace=no_wait)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(digests_to(bot, MENTOR)) == 1 and len(digests_to(bot, CONSULTANT)) == 1


def test_a_429_storm_delays_but_never_doubles(bot: Bot) -> None:
    team(bot)
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=1, times=5)
    first = sweep(bot)
    assert first.failed >= 1  # type: ignore[attr-defined]
    sweep(bot, MORNING + timedelta(minutes=5))  # waiting for its backoff: nothing twice
    assert sum(len(digests_to(bot, user)) for user in (MENTOR, CONSULTANT)) == 1
    some_time_passes(bot)
    sweep(bot, MORNING + timedelta(minutes=10))  # the next sweep sends what waited
    assert len(digests_to(bot, MENTOR)) == 1 and len(digests_to(bot, CONSULTANT)) == 1


def test_a_lost_connection_is_checked_in_slack_and_never_sent_twice(bot: Bot) -> None:
    team(bot)
    bot.slack.fail_next("chat.postMessage", status=DROP)
    result = sweep(bot)
    assert result.unknown == 1  # type: ignore[attr-defined]
    with bot.db() as session:
        statuses = sorted(str(digest.status) for digest in session.exec(select(Digest)))
    assert statuses == ["sending", "sent"]  # its outbox message is looked up next
    sweep(bot, MORNING + timedelta(minutes=5))
    all_posts = bot.slack.calls_to("chat.postMessage")
    assert len(all_posts) == 2  # the lost one reached Slack; nobody got a second
    assert bot.slack.calls_to("conversations.history")  # it was looked up, not guessed
    with bot.db() as session:
        digests = session.exec(select(Digest)).all()
    assert sorted(str(digest.status) for digest in digests) == ["sent", "sent"]
    assert all(digest.message_ts for digest in digests)


def left_by_a_dead_process(bot: Bot, user: str, *, reached_slack: bool) -> None:
    """What a replica killed mid-send leaves: a digest and its outbox message claimed twenty
    minutes ago, and the DM in Slack or not."""
    from sparbot.enums import OutboxStatus
    from sparbot.models import OutboxMessage, Person
    from sparbot.services import outbox
    from sparbot.services.digests import claim_digest

    with bot.db() as session:
        person = session.exec(select(Person).where(Person.slack_user_id == user)).one()
        assert person.id is not None
        digest = claim_digest(session=session, person_id=person.id, day=TODAY)
        assert digest is not None and digest.id is not None
        queued = outbox.enqueue(session=session, kind="digest", subject_id=digest.id,
                                channel_id=user, text="Dine opgaver", blocks=[
                                    {"type": "header", "text": {"type": "plain_text",
                                                                "text": "Dine opgaver"}}])
        message = session.get_one(OutboxMessage, queued.id)
        message.status, message.claimed_at = OutboxStatus.SENDING, \
            utcnow() - timedelta(minutes=20)
        blocks = json.loads(message.payload or "{}")["blocks"]
    if reached_slack:
        make_client(bot.deps.settings).chat_postMessage(channel=user, text="Dine opgaver",
                                                        blocks=blocks)


def test_a_digest_claimed_by_a_process_that_died_before_sending_is_sent_once(
        bot: Bot) -> None:
    team(bot)
    left_by_a_dead_process(bot, MENTOR, reached_slack=False)
    sweep(bot)
    sweep(bot, MORNING + timedelta(minutes=5))
    # What the dead process had queued goes out, once; nobody gets a second.
    assert digests_to(bot, MENTOR) == ["Dine opgaver"]
    assert len(digests_to(bot, CONSULTANT)) == 1
    with bot.db() as session:
        assert sorted(str(digest.status) for digest in session.exec(select(Digest))) == [
            "sent", "sent"]


def test_a_digest_that_reached_slack_before_its_process_died_is_not_sent_again(
        bot: Bot) -> None:
    team(bot)
    left_by_a_dead_process(bot, MENTOR, reached_slack=True)
    sweep(bot)
    assert digests_to(bot, MENTOR) == ["Dine opgaver"]  # only what the dead process sent
    assert len(digests_to(bot, CONSULTANT)) == 1
    with bot.db() as session:
        digests = session.exec(select(Digest)).all()
    assert sorted(str(digest.status) for digest in digests) == ["sent", "sent"]


def test_a_digest_that_cannot_be_checked_is_never_sent_blind(bot: Bot) -> None:
    team(bot)
    left_by_a_dead_process(bot, MENTOR, reached_slack=False)
    bot.slack.fail_next("conversations.history", error="missing_scope")
    sweep(bot)
    assert digests_to(bot, MENTOR) == []
    with bot.db() as session:
        assert sorted(str(digest.status) for digest in session.exec(select(Digest))) == [
            "sending", "sent"]


def test_snooze_updates_the_message_and_holds_the_nudge_for_a_week(bot: Bot) -> None:
    team(bot)
    sweep(bot)
    [post] = [call for call in bot.slack.calls_to("chat.postMessage")
              if call.args["channel"] == MENTOR]
    snooze = next(element for block in post.blocks if block["type"] == "actions"
                  for element in block["elements"] if element["action_id"] == "nudge-snooze")
    bot.driver.click("nudge-snooze", snooze["value"], message=post.message,
                     channel_id="D0MENTOR", block_id="nudge-actions-0")
    update = bot.slack.wait_for("chat.update")[0]
    assert "Udsat til 1. dec" in block_text(update.blocks)
    assert sum(block["type"] == "actions" for block in update.blocks) == 0
    tomorrow = MORNING + timedelta(days=1)
    sweep(bot, tomorrow)
    assert len(digests_to(bot, MENTOR)) == 1


def test_not_relevant_asks_why_and_keeps_the_reason(bot: Bot) -> None:
    team(bot)
    sweep(bot)
    [post] = [call for call in bot.slack.calls_to("chat.postMessage")
              if call.args["channel"] == MENTOR]
    dismiss = next(element for block in post.blocks if block["type"] == "actions"
                   for element in block["elements"] if element["action_id"] == "nudge-dismiss")
    bot.driver.click("nudge-dismiss", dismiss["value"], message=post.message,
                     channel_id="D0MENTOR", block_id="nudge-actions-0")
    view = bot.slack.wait_for("views.open")[0].view
    assert bot.driver.submit(view, {"reason": ""}).json()["response_action"] == "errors"
    bot.driver.submit(view, {"reason": "Borgeren er indlagt – aftalt med lederen"})
    with bot.db() as session:
        suppression = session.exec(select(NudgeSuppression)).one()
    assert suppression.reason == "Borgeren er indlagt – aftalt med lederen"
    assert suppression.until == date(2026, 12, 22)


def test_away_and_own_settings_by_command(bot: Bot) -> None:
    team(bot)
    bot.driver.command("fravær 24/11 27/11")
    assert "Du er registreret som fraværende 24. nov 2026 – 27. nov 2026" in last_reply(bot)
    sweep(bot)
    assert digests_to(bot, MENTOR) == []
    bot.driver.command("påmindelser kl:7:45 pause")
    text = last_reply(bot, 2)
    assert "kl. 07:45" in text and "de øvrige er sat på pause" in text
    bot.driver.command("påmindelser kl:22")
    assert "Vælg et tidspunkt mellem 6:00 og 17:59" in last_reply(bot, 3)


def test_the_dry_run_lists_what_would_be_sent_and_sends_nothing(bot: Bot) -> None:
    team(bot)
    client = make_client(bot.deps.settings)
    result = send_due_nudges(bot.deps, client, MORNING, dry_run=True)
    listed = result.to_json()
    assert {entry["person"] for entry in listed} == {MENTOR, CONSULTANT}
    assert bot.slack.calls_to("chat.postMessage") == []


def company_with_contact(bot: Bot, **contact: str) -> None:
    from sparbot.services import roster

    with bot.db() as session:
        make_case(session, "EM", start=weeks_ago(TODAY, 12))
        follow_up(session, "EM", FollowUpKind.MENTOR_MEETING, TODAY, today=TODAY)
        roster.start_placement(session=session, ref="EM", actor=CONSULTANT, today=TODAY,
                               data=roster.PlacementCreate(
                                   kind=PlacementKind.COMPANY_INTERNSHIP, workplace="Café Havnen",
                                   start_date=weeks_ago(TODAY, 10), **contact))  # type: ignore[arg-type]
        record_attendance(session=session, ref="EM", actor=MENTOR, today=TODAY,
                          data=AttendanceInput(date(2026, 11, 16), planned=3, attended=3))


def test_a_supervisor_in_slack_gets_the_workplace_nudges_too(bot: Bot) -> None:
    company_with_contact(bot, contact_slack_user_id="U0SUPERVISOR")
    sweep(bot)
    [supervisor] = digests_to(bot, "U0SUPERVISOR")
    assert "Opfølgning hos Café Havnen for *EM* er forfalden" in supervisor
    assert "tag løntimer op med Café Havnen" in supervisor
    assert len(digests_to(bot, CONSULTANT)) == 1


def test_without_smtp_the_consultant_gets_a_ready_e_mail_link(bot: Bot) -> None:
    company_with_contact(bot, contact_name="Sara Kim", contact_phone="21 43 65 87",
                         contact_email="sara@havnen.dk")
    sweep(bot)
    [consultant] = digests_to(bot, CONSULTANT)
    assert "Kontakt: Sara Kim, 21 43 65 87, sara@havnen.dk" in consultant
    assert "<mailto:sara@havnen.dk?subject=Opf%C3%B8lgning%20p%C3%A5%20praktikken" in consultant
    assert "|Skriv e-mailen>" in consultant


def test_send_to_the_company_through_smtp_and_note_it_on_the_case(
        db: object, engine: object, slack: object, clock: object) -> None:
    from aiosmtpd.controller import Controller

    from sparbot.models import ContactMessage
    from tests.conftest import running_bot

    received: list[object] = []

    class Inbox:
        async def handle_DATA(self, server: object, session: object,  # noqa: N802
                              envelope: object) -> str:
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port on loopback for the test's mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with running_bot(db, engine, slack, clock, SMTP_HOST="127.0.0.1",  # type: ignore[arg-type]
                         SMTP_PORT=str(port), SMTP_FROM="sparbot@udbyder.dk",
                         SMTP_STARTTLS="false") as bot:
            company_with_contact(bot, contact_name="Sara Kim", contact_email="sara@havnen.dk")
            sweep(bot)
            [post] = [call for call in bot.slack.calls_to("chat.postMessage")
                      if call.args["channel"] == CONSULTANT]
            assert "mailto:" not in block_text(post.blocks)
            send = next(element for block in post.blocks if block["type"] == "actions"
                        for element in block["elements"]
                        if element["action_id"] == "contact-email")
            bot.driver.click("contact-email", send["value"], message=post.message,
                             user_id=CONSULTANT, channel_id="D0CONSULT")
            view = bot.slack.wait_for("views.open")[0].view
            texts = [block["element"].get("initial_value") for block in view["blocks"]
                     if block["type"] == "input"]
            assert texts[0] == "Opfølgning på praktikken hos Café Havnen"
            assert texts[1].startswith("Kære Sara Kim")
            assert "lønnede timer" in texts[1]
            answer = bot.driver.submit(view, {"email-body": texts[1] + "\n\nKarsten"},
                                       user_id=CONSULTANT)
            assert answer.status == 200 and answer.body == ""
            dm = bot.slack.wait_for("chat.postMessage", 2)[-1]
            assert "E-mailen til sara@havnen.dk er sendt, og det er noteret på EM" in \
                block_text(dm.blocks)
            with bot.db() as session:
                logged = session.exec(select(ContactMessage)).one()
            assert (logged.to_email, logged.sent_by) == ("sara@havnen.dk", CONSULTANT)
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["sara@havnen.dk"]  # type: ignore[attr-defined]
    message = envelope.content.decode()  # type: ignore[attr-defined]
    assert "Subject: =?utf-8?" in message or "Opf" in message
    assert "Karsten" in message
