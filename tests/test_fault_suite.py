"""The fault suite, on a PostgreSQL cluster of its own (initdb and pg_ctl under a temporary
folder), under a running bot:
- the database stops: every declared entry is still acked well inside Slack's 3 seconds
  and the person told that nothing was saved; the scheduled jobs say so in one line;
  started again, the same process works;
- Slack answers 500 and 429 in storms during a decision, an agenda and a sweep, and the
  database stops in the middle of one: every message intended ends posted exactly once,
  and each person was told the truth on the way.

The probes are the entry matrix's (tests.test_entry_matrix): a new entry is tried here the
moment it is declared. This suite runs once, beside the SQLite run (the cluster is its own,
whatever database the rest of the suite uses)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel, select

from sparbot import jobs
from sparbot.bot.agenda.posting import Outcome, coming_meeting, post_agenda
from sparbot.bot.delivery import sweep_outbox
from sparbot.bot.entries import Who
from sparbot.clock import FixedClock
from sparbot.db import make_engine, session_factory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import OutboxStatus
from sparbot.models import Decision, OutboxMessage
from sparbot.services.teams import assign_cases, create_team, team_channel
from tests.conftest import TODAY, Bot, running_bot
from tests.factories import make_case, weeks_ago
from tests.pg_cluster import PgCluster, own_cluster
from tests.test_entry_matrix import (
    ADMIN,
    ENTRIES,
    INTERNAL,
    JOBCENTER,
    OTHER_STAFF,
    REF,
    STAFF,
    TEAM_A,
    TEAM_B,
    build_world,
    probe,
    said,
)
from tests.test_outbox import some_time_passes
from tests.test_slack_commands import block_text

NOTHING_SAVED = "intet blev gemt"
ACK_LIMIT_SECONDS = 3.0

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("SPARBOT_TEST_DATABASE_URL")),
    reason="runs once, in the SQLite run: it brings its own PostgreSQL cluster")


@pytest.fixture(scope="module")
def cluster() -> Iterator[PgCluster]:
    with own_cluster() as running:
        yield running


@pytest.fixture
def cluster_engine(cluster: PgCluster) -> Iterator[Engine]:
    engine = make_engine(cluster.url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def bot_on_cluster(cluster_engine: Engine, slack: FakeSlack, clock: FixedClock
                   ) -> Iterator[Bot]:
    slack.private_channels.update({TEAM_A, TEAM_B})
    with running_bot(session_factory(cluster_engine), cluster_engine, slack, clock,
                     SPARBOT_STAFF=f"{STAFF},{OTHER_STAFF}", SPARBOT_ADMINS=ADMIN,
                     SPARBOT_JOBCENTER_USERS=JOBCENTER) as bot:
        yield bot


def test_with_the_database_stopped_every_entry_is_acked_and_says_nothing_was_saved(
        bot_on_cluster: Bot, cluster: PgCluster, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    bot = bot_on_cluster
    world = build_world(bot)
    without_database: list[str] = []
    no_one_to_tell: list[str] = []
    cluster.stop()
    try:
        for entry in ENTRIES:
            response = probe(bot, world, entry, ADMIN)
            assert response.status == 200, f"{entry.key}: HTTP {response.status}"
            assert response.elapsed < ACK_LIMIT_SECONDS, f"{entry.key}: {response.elapsed}s"
            bot.idle()
            seen = said(bot, response)
            if Who.WORKSPACE in entry.rule.who:  # Slack's own event: no one to tell
                assert not any(word in seen for word in INTERNAL), f"{entry.key}: {seen}"
                no_one_to_tell.append(entry.key)
                bot.slack.clear()
                continue
            if NOTHING_SAVED not in seen:  # it did its work without the database
                assert (bot.slack.calls or "errors" in response.body) and not any(
                    word in seen for word in INTERNAL), \
                    f"{entry.key}: {seen}"
                without_database.append(entry.key)
            bot.slack.clear()
        # The scheduled jobs: one line each in the log, no traceback, no raise.
        caplog.clear()
        for job in (jobs.run_outbox_job, jobs.run_nudge_job, jobs.run_agenda_job):
            job(bot.deps, bot.client)
        lines = [record.getMessage() for record in caplog.records
                 if record.name == "sparbot.jobs"]
        assert len(lines) == 3 and all("cannot be reached" in line for line in lines), lines
        assert "Traceback" not in caplog.text
    finally:
        cluster.start()
    with capsys.disabled():
        print(f"\ndatabase stopped: {len(ENTRIES)} entries acked, "
              f"{len(ENTRIES) - len(without_database) - len(no_one_to_tell)} said nothing "
              f"was saved, {len(without_database)} needed no database "
              f"({', '.join(without_database)}), {len(no_one_to_tell)} had no one to tell "
              f"({', '.join(no_one_to_tell)})")
    # The same process, with no restart, works again as soon as the database is back.
    bot.driver.command(f"sag {REF}", user_id=ADMIN)
    card = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "uge 11 af 26" in card, card


def test_slack_storms_and_a_database_stop_end_with_every_message_posted_once(
        bot_on_cluster: Bot, cluster: PgCluster) -> None:
    bot = bot_on_cluster
    build_world(bot)  # case JC in team A, a decision, the agenda posted
    bot.slack.clear()
    # A decision while Slack answers 500 (beyond the client's retries): saved, and said so.
    bot.slack.fail_next("chat.postMessage", status=500, times=3)
    bot.driver.command(f"beslut {REF} Storm-beslutning ansvarlig:<@{STAFF}>", user_id=ADMIN,
                       channel_id=TEAM_A)
    reply = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "er gemt" in reply and "kommer, så snart Slack svarer" in reply, reply
    # Two more decisions while Slack rate-limits for longer than a thread should wait.
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=60, times=2)
    for number in (1, 2):
        bot.driver.command(f"beslut {REF} Storm-beslutning {number}", user_id=ADMIN,
                           channel_id=TEAM_A)
    bot.idle()
    replies = [block_text(call.blocks) for call in bot.slack.calls_to("response_url")]
    assert len(replies) == 3 and all("er gemt" in text for text in replies), replies
    # The database stops in the middle: the sweep says so in one line and sends nothing.
    cluster.stop()
    try:
        jobs.run_outbox_job(bot.deps, bot.client)
    finally:
        cluster.start()
    # The database is back; Slack's storm goes on for two more sweeps, then ends. The
    # sweeps (Slack's wait honoured each time) send each message once, and only once.
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=60, times=2)
    for _ in range(4):
        some_time_passes(bot)
        sweep_outbox(bot.deps, bot.client)
    posted = [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")
              if call.response.get("ok")]
    assert sorted(text.count("Storm-beslutning") for text in posted
                  if "Storm-beslutning" in text) == [1, 1, 1]
    with bot.db() as session:
        statuses = {message.status for message in session.exec(select(OutboxMessage))}
        assert statuses == {OutboxStatus.SENT}
        assert all(decision.message_ts for decision in session.exec(select(Decision)))


def test_an_agenda_through_a_slack_storm_and_a_database_stop_is_posted_once_in_order(
        bot_on_cluster: Bot, cluster: PgCluster) -> None:
    bot = bot_on_cluster
    with bot.db() as session:
        for ref, weeks in (("EM", 23), ("ZA", 10), ("LB", 3)):
            make_case(session, ref, start=weeks_ago(TODAY, weeks))
        team = create_team(session=session, name="Team A", channel_id=TEAM_A)
        assign_cases(session=session, team=team, refs=["EM", "ZA", "LB"])
        channel = team_channel(team)
    bot.slack.clear()
    plan = coming_meeting(bot.deps, channel)
    bot.slack.fail_next("chat.postMessage", status=503, after=1, times=3)  # its first case
    first = post_agenda(bot.deps, bot.client, plan, channel)
    assert first.outcome is Outcome.QUEUED and first.sent == 1, first
    cluster.stop()  # the database goes while the rest waits
    try:
        jobs.run_outbox_job(bot.deps, bot.client)
        jobs.run_agenda_job(bot.deps, bot.client)
    finally:
        cluster.start()
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=60)  # Slack still busy
    for _ in range(3):
        some_time_passes(bot)
        sweep_outbox(bot.deps, bot.client)
    posted = [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")
              if call.response.get("ok")]
    assert len(posted) == first.total and "Dagsorden:" in posted[0], posted
    headings = [text.split("*")[1] for text in posted[1:]]
    assert headings == sorted(headings), headings  # the cases in their order, each once
    assert post_agenda(bot.deps, bot.client, plan, channel).outcome is Outcome.ALREADY_POSTED
