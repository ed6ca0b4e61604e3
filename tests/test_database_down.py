"""The database stops under a running bot (a PostgreSQL cluster of the test's own, stopped
with pg_ctl): every declared entry is still acked well inside Slack's 3 seconds, and the
person is told the truth, that nothing was saved; started again, the same process works.

The probes are the entry matrix's (tests.test_entry_matrix): a new entry is tried here the
moment it is declared. This suite runs once, beside the SQLite run (the cluster is its own,
whatever database the rest of the suite uses)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel

from sparbot import jobs
from sparbot.clock import FixedClock
from sparbot.db import make_engine, session_factory
from sparbot.devtools.fake_slack import FakeSlack
from tests.conftest import Bot, running_bot
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
    cluster.stop()
    try:
        for entry in ENTRIES:
            response = probe(bot, world, entry, ADMIN)
            assert response.status == 200, f"{entry.key}: HTTP {response.status}"
            assert response.elapsed < ACK_LIMIT_SECONDS, f"{entry.key}: {response.elapsed}s"
            bot.idle()
            seen = said(bot, response)
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
              f"{len(ENTRIES) - len(without_database)} said nothing was saved, "
              f"{len(without_database)} needed no database ({', '.join(without_database)})")
    # The same process, with no restart, works again as soon as the database is back.
    bot.driver.command(f"sag {REF}", user_id=ADMIN)
    card = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "uge 11 af 26" in card, card
