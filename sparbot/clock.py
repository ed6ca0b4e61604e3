"""The one place that says what time it is, plus Danish working days.

Everything scheduled or date-dependent asks a Clock, so every rule can be tested at a
chosen instant (tests and the CLI's --now use FixedClock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TZ = "Europe/Copenhagen"


@lru_cache(maxsize=64)
def weeks(count: int) -> timedelta:
    """A span of whole weeks, made once per count: the rules' thresholds are read for every
    case in every sweep, and a cached lookup is cheaper than building a timedelta."""
    return timedelta(weeks=count)


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def __init__(self, tz: str | ZoneInfo = DEFAULT_TZ) -> None:
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock standing still at one instant (naive instants are read as local time)."""

    def __init__(self, instant: datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> None:
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.instant = instant if instant.tzinfo else instant.replace(tzinfo=self.tz)

    def now(self) -> datetime:
        return self.instant.astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()


def utcnow() -> datetime:
    """An aware UTC timestamp for audit columns (created_at and the like)."""
    return datetime.now(ZoneInfo("UTC"))


def as_utc(moment: datetime) -> datetime:
    """A moment read back from the database: SQLite keeps no time zone (it was UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


@lru_cache(maxsize=64)
def _danish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year).keys())


def is_public_holiday(day: date) -> bool:
    return day in _danish_holidays(day.year)


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day) and day not in set(closures)


def next_working_day(day: date, closures: Iterable[date] = ()) -> date:
    """The first working day on or after `day`."""
    closed = set(closures)
    while not is_working_day(day, closed):
        day += timedelta(days=1)
    return day
