"""What every table shares: enum columns stored by value, creation times, text limits."""


from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from sparbot.clock import utcnow

REF_MAX = 24


TEXT_MAX = 2000


class _ValueEnum(sa.Enum):
    """An enum column whose values are read back through the value-to-member dict itself:
    one C call a value, where sa.Enum makes two Python calls (a whole-roster read has some
    100,000 such values). Written, and in the schema, it is sa.Enum."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if sa.String().result_processor(dialect, coltype) is not None:  # the driver's own
            return super().result_processor(dialect, coltype)  # type: ignore[no-untyped-call]
        return self._object_lookup.__getitem__  # None is in it, and maps to None


def enum_type(enum_cls: type[StrEnum]) -> sa.Enum:
    """Store an enum by its value as VARCHAR: the same on SQLite and PostgreSQL."""
    return _ValueEnum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


def course_end(start: date, weeks: int) -> date:
    """The last day of a course of `weeks` weeks starting on `start`."""
    return start + timedelta(days=7 * weeks - 1)
