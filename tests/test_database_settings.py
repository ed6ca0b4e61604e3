"""How the bot opens its database: SQLite in write-ahead-log mode (the serving process, its
workers and the scheduler share one file); PostgreSQL's planner told that reading out of
order is cheap (SSD), so a team's rows are read down the indexes, not by scanning tables;
a bad setting stops start-up with a line saying what to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from sparbot.db import make_engine


def _shown(engine: Engine, setting: str) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text(f"SHOW {setting}")).scalar())


def test_a_sqlite_file_is_opened_with_a_write_ahead_log(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sparbot.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_postgresql_reads_a_teams_rows_down_the_indexes(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner only")
    url = engine.url.render_as_string(hide_password=False)
    tuned = make_engine(url)
    assert _shown(tuned, "random_page_cost") == "1.1"
    with tuned.connect() as connection:  # a transaction rolled back on the way to the pool
        connection.execute(text("SELECT 1"))
    assert _shown(tuned, "random_page_cost") == "1.1"
    tuned.dispose()
    monkeypatch.setenv("SPARBOT_PG_RANDOM_PAGE_COST", "")
    servers = make_engine(url)
    with servers.connect() as connection:  # the server's own, as its configuration says
        assert connection.execute(text(
            "SELECT setting = reset_val FROM pg_settings WHERE name = 'random_page_cost'")
        ).scalar() is True
    servers.dispose()


@pytest.mark.parametrize("written", ["fast", "0", "-1"])
def test_a_bad_planner_setting_says_what_to_write(
        written: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPARBOT_PG_RANDOM_PAGE_COST", written)
    with pytest.raises(SystemExit, match=r"must be a number above 0, such as 1\.1"):
        make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
