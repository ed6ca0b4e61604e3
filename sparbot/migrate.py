"""Alembic from code: `sparbot db upgrade`, the container's entrypoint and the tests."""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from sparbot.resources import resource_path


def alembic_config(url: str | None = None, *, connection: Connection | None = None) -> Config:
    ini = resource_path("alembic.ini")
    config = Config(str(ini), stdout=sys.stdout)  # the stream now, not at import time
    config.set_main_option("script_location", str(resource_path("migrations")))
    config.attributes["configure_logging"] = False
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, *, connection: Connection | None = None) -> None:
    command.upgrade(alembic_config(url, connection=connection), "head")


def check(url: str | None = None, *, connection: Connection | None = None) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(url, connection=connection))
