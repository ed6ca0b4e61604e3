"""Fixtures: a real database (SQLite, or PostgreSQL via SPARBOT_TEST_DATABASE_URL), a fixed
clock, a fake Slack on loopback and the bot in HTTP mode driven by signed requests."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from sparbot import models  # noqa: F401  (registers the tables)
from sparbot.bot.app import create_bolt_app, make_deps
from sparbot.bot.calendar import calendar_for_token
from sparbot.bot.deps import Deps
from sparbot.bot.server import EVENTS_PATH, BackgroundServer, build_wsgi_app
from sparbot.clock import FixedClock
from sparbot.config import Settings
from sparbot.db import SessionFactory, make_engine, session_factory
from sparbot.devtools.driver import SlackDriver
from sparbot.devtools.fake_slack import FakeSlack

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-0000-token"
TEAM_CHANNEL = "C0SPARRING"
# Tuesday 24 November 2026, 10:00 in Copenhagen: the sparring meeting's usual hour.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = date(2026, 11, 24)


def database_url_for(tmp_dir: Path) -> str:
    return os.environ.get("SPARBOT_TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = database_url_for(tmp_path_factory.mktemp("db"))
    engine = make_engine(url)
    # A schema of this run's own: a developer's data, the migration tests and another run
    # of the suite on the same database (CI beside a developer) never meet.
    schema = f"sparbot_test_{os.getpid()}"
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()
    if engine.dialect.name == "postgresql":
        admin = make_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@contextmanager
def database_of_its_own(tmp_path: Path, name: str) -> Iterator[str]:
    """An empty database of the test run's kind, for processes of their own (the CLI, the
    bot started as a subprocess): a SQLite file, or a PostgreSQL schema dropped after."""
    base = os.environ.get("SPARBOT_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    schema = f"{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A database URL that separate processes share: a schema of its own on the CI
    PostgreSQL (SPARBOT_TEST_DATABASE_URL), else a SQLite file."""
    with database_of_its_own(tmp_path, "race") as url:
        yield url


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test run's kind, empty, for the CLI alone."""
    with database_of_its_own(tmp_path, "cli") as url:
        yield url


@pytest.fixture
def db(engine: Engine) -> Iterator[SessionFactory]:
    """A clean database for each test, and the bot's own session factory over it."""
    _empty(engine)
    yield session_factory(engine)
    _empty(engine)


def _empty(engine: Engine) -> None:
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def session(db: SessionFactory) -> Iterator[Session]:
    with db() as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
    assert fake.problems == [], "the bot sent Slack something it would refuse"


class CountingExecutor(ThreadPoolExecutor):
    """The listeners' pool, counting the work in hand, so that a test can wait until
    everything a request set off (the work after its ack) is done."""

    def __init__(self) -> None:
        super().__init__(max_workers=32)
        self._busy = 0
        self._settled = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._settled:
            self._busy += 1

        def counted() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._settled:
                    self._busy -= 1
                    self._settled.notify_all()

        return super().submit(counted)

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._settled:
            if not self._settled.wait_for(lambda: self._busy == 0, timeout):
                raise AssertionError(f"listeners still busy after {timeout}s")


@dataclass
class Bot:
    driver: SlackDriver
    slack: FakeSlack
    clock: FixedClock
    db: SessionFactory
    engine: Engine
    deps: Deps
    client: WebClient
    listeners: CountingExecutor

    def idle(self) -> None:
        """Wait until every listener the requests so far set off has finished."""
        self.listeners.wait_idle()


@contextmanager
def running_bot(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock,
                **settings: Any) -> Iterator[Bot]:
    """The real app in HTTP mode on loopback, talking to the fake Slack."""
    settings.setdefault("SPARBOT_CHANNEL", TEAM_CHANNEL)
    slack.private_channels.add(TEAM_CHANNEL)
    config = Settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                      SLACK_API_URL=slack.api_url, _env_file=None, **settings)
    deps = make_deps(config, db, clock=clock)
    listeners = CountingExecutor()
    app = create_bolt_app(deps, listener_executor=listeners)
    server = BackgroundServer(build_wsgi_app(
        app, engine, signing_secret=SIGNING_SECRET,
        calendars=partial(calendar_for_token, deps))).start()  # as `sparbot serve` does
    url = f"http://127.0.0.1:{server.port}{EVENTS_PATH}"
    slack.clear()  # auth.test at start-up is not what tests look at
    try:
        yield Bot(SlackDriver(url, SIGNING_SECRET, slack), slack, clock, db, engine, deps,
                  app.client, listeners)
    finally:
        server.stop()
        # Listeners run after the ack: let them finish before the fake Slack goes away.
        app.listener_runner.listener_executor.shutdown(wait=True)


@pytest.fixture
def bot(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
        ) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock) as running:
        yield running


@pytest.fixture
def bot_en(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
           ) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock, SPARBOT_LANGUAGE="en") as running:
        yield running
