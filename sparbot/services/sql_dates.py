"""Date arithmetic written once for both databases: SQLite keeps dates as ISO text and counts
days with julianday(); PostgreSQL subtracts and adds days to dates directly."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """Whole days from the second date to the first (`days_between(end, start)`)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


class plus_days(FunctionElement[Any]):  # noqa: N801
    """A date `days` later (`plus_days(start, 91)`)."""

    type = sa.Date()
    inherit_cache = True
    name = "plus_days"


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)")


@compiles(plus_days)
def _plus_days(element: plus_days, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + ({compiler.process(days, **kw)}))"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: plus_days, compiler: Any, **kw: Any) -> str:
    day, days = list(element.clauses)
    # In SQLite || binds tighter than + and *: the days in brackets.
    return (f"date({compiler.process(day, **kw)}, "
            f"'+' || ({compiler.process(days, **kw)}) || ' days')")
