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


def test_hours_recorded_before_the_stamps_are_stamped_on_upgrade(
        empty_database: tuple[Engine, str]) -> None:
    """A database from before hours entries carried their run: upgrading stamps them as
    recording them now would."""
    from alembic import command

    engine, _url = empty_database
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection=connection), "b95ccf6743fd")
        connection.execute(text(
            "INSERT INTO person (id, slack_user_id, created_at) "
            "VALUES (1, 'U0MENTOR', CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO \"case\" (id, ref, ref_key, programme, purpose, start_date, "
            "booked_weeks, cadence, mentor_id, status, created_at) VALUES (1, 'ZA', 'za', "
            "'LFI', 'education', '2026-06-01', 26, 'weekly', 1, 'active', CURRENT_TIMESTAMP)"))
        for number, (day, unpaid, paid) in enumerate([
                ("2026-06-01", 6, 0), ("2026-07-01", 8, 0), ("2026-08-01", 8, 0),
                ("2026-09-01", 6, 2), ("2026-10-01", 6, 0)], start=1):
            connection.execute(text(
                "INSERT INTO hours_entry (id, case_id, effective_from, internship_hours, "
                "paid_hours, created_at) VALUES (:id, 1, :day, :unpaid, :paid, "
                "CURRENT_TIMESTAMP)"), {"id": number, "day": day, "unpaid": unpaid,
                                         "paid": paid})
    with engine.begin() as connection:
        migrate.upgrade(connection=connection)
    with engine.connect() as connection:
        stamps = [(str(run_from), total_before) for run_from, total_before in connection.execute(
            text("SELECT run_from, total_before FROM hours_entry ORDER BY id"))]
    assert stamps == [("2026-06-01", None), ("2026-07-01", 6), ("2026-07-01", 8),
                      ("2026-09-01", 8), ("2026-10-01", 8)]


def test_teams_upgrade_keeps_meetings_and_agenda_items_and_foreign_keys(
        empty_database: tuple[Engine, str]) -> None:
    """Meetings become one a week for each team. On SQLite that copies the meeting and
    case tables: nothing that refers to them may go with the old copies, and foreign keys
    are enforced again afterwards."""
    from alembic import command
    from sqlalchemy.exc import IntegrityError

    engine, _url = empty_database
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection=connection), "4e1d742db8a0")
        for statement in (
                "INSERT INTO person (id, slack_user_id, created_at) "
                "VALUES (1, 'U0MENTOR', CURRENT_TIMESTAMP)",
                "INSERT INTO \"case\" (id, ref, ref_key, programme, purpose, start_date, "
                "booked_weeks, cadence, mentor_id, status, created_at) VALUES (1, 'ZA', 'za', "
                "'LFI', 'education', '2026-06-01', 26, 'weekly', 1, 'active', "
                "CURRENT_TIMESTAMP)",
                "INSERT INTO hours_entry (id, case_id, effective_from, internship_hours, "
                "paid_hours, created_at) VALUES (1, 1, '2026-06-01', 6, 0, CURRENT_TIMESTAMP)",
                "INSERT INTO meeting (id, regular_date, held_on, status, created_at) "
                "VALUES (1, '2026-11-24', '2026-11-24', 'posted', CURRENT_TIMESTAMP)",
                "INSERT INTO agenda_item (id, meeting_id, case_id, position, reached, reasons, "
                "discussed, created_at) VALUES (1, 1, 1, 1, TRUE, '[]', FALSE, "
                "CURRENT_TIMESTAMP)"):
            connection.execute(text(statement))
    with engine.begin() as connection:
        migrate.upgrade(connection=connection)
    with engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) FROM agenda_item")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM hours_entry")).scalar() == 1
        # The course's facts, made from its history by the upgrade.
        assert connection.execute(text(
            "SELECT case_id, hours_start, has_hours FROM course_facts")).one()[:2] == (1, 6)
        assert connection.execute(text(
            "SELECT team_id, regular_date FROM meeting")).one()[0] is None
        assert connection.execute(text('SELECT team_id FROM "case"')).scalar() is None
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO agenda_item (meeting_id, case_id, position, reached, reasons, "
            "discussed, created_at) VALUES (99, 1, 2, TRUE, '[]', FALSE, CURRENT_TIMESTAMP)"))
    with pytest.raises(IntegrityError), engine.begin() as connection:  # still one a week
        connection.execute(text(
            "INSERT INTO meeting (regular_date, status, created_at) "
            "VALUES ('2026-11-24', 'planned', CURRENT_TIMESTAMP)"))
    with pytest.raises(IntegrityError), engine.begin() as connection:  # one active ZA a team
        connection.execute(text(
            "INSERT INTO \"case\" (ref, ref_key, programme, purpose, start_date, booked_weeks, "
            "cadence, mentor_id, status, created_at) VALUES ('ZA', 'za', 'LFI', 'education', "
            "'2026-06-01', 26, 'weekly', 1, 'active', CURRENT_TIMESTAMP)"))
