"""`alembic upgrade head` on an empty database, then `alembic check` finds no drift."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from sparbot import migrate
from sparbot.db import make_engine


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    url = os.environ.get("SPARBOT_TEST_DATABASE_URL")
    if not url:
        sqlite_url = f"sqlite:///{tmp_path / 'empty.db'}"
        engine = make_engine(sqlite_url)
        yield engine, sqlite_url
        engine.dispose()
        return
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine, url
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_from_empty_then_no_drift(empty_database: tuple[Engine, str]) -> None:
    engine, _url = empty_database
    with engine.begin() as connection:
        migrate.upgrade(connection=connection)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"case", "person", "placement", "hours_entry", "follow_up",
                "extension"} <= tables
        migrate.check(connection=connection)  # raises on drift
    with engine.begin() as connection:
        migrate.upgrade(connection=connection)  # a second upgrade is a no-op
