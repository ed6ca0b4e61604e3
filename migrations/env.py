"""Alembic environment: SQLModel's metadata, types compared, batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from sparbot import models  # noqa: F401  (registers every table on SQLModel.metadata)
from sparbot.config import load_settings
from sparbot.db import make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or load_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      compare_type=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      compare_type=True, render_as_batch=True)
    if connection.dialect.name != "sqlite":
        with context.begin_transaction():
            context.run_migrations()
        return
    # Batch mode copies a table and drops the old one; with foreign keys on, that DROP
    # deletes every row that refers to it (ON DELETE CASCADE). SQLite takes the pragma only
    # outside a transaction, so it is checked, not assumed. The engine turns foreign keys
    # back on whenever a connection is checked out (sparbot.db).
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("cannot migrate SQLite inside a transaction that has written: "
                           "foreign keys could not be turned off")
    with context.begin_transaction():
        context.run_migrations()
        dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if dangling:
            raise RuntimeError(f"the migration left {len(dangling)} rows referring to none")
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")  # takes if no transaction is open


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
