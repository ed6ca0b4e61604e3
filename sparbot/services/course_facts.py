"""Each course's facts for the results figures (table `course_facts`), made by one statement
from the course's history and kept equal to it: whenever a session flushes a change to a
course or its history (hours, placements, extensions, follow-ups, decisions, attendance),
the facts of the courses touched are made again in the same transaction. So the figures for
a whole deployment are aggregates over one row per course, and every way in (Slack, the
CLI, an import, a job) keeps them, as each of them writes through a session.

A bulk statement on those tables passes no flush: one that inserts or deletes, or updates a
column the facts are made from, is refused unless it says, with the execution option
`course_facts`, why the facts stay true (erasure: the facts go with the case). Rows loaded
past the ORM altogether (a benchmark's seed) are followed by `rebuild`.

The statement, with the definitions, is in course_facts_sql.py."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import visitors

from sparbot.models import (
    AttendanceWeek,
    Case,
    Decision,
    Extension,
    FollowUp,
    HoursEntry,
    Placement,
)
from sparbot.services.course_facts_sql import CASES, FACTS, live_statement

# The models whose rows the facts are made from, each with its key to the course.
SOURCES: tuple[type, ...] = (HoursEntry, Placement, Extension, FollowUp, Decision,
                             AttendanceWeek)
SOURCE_TABLES = frozenset(model.__tablename__ for model in (Case, *SOURCES))  # type: ignore[attr-defined]
CHUNK = 500  # courses made again per statement


@functools.cache
def _refresh_statements() -> tuple[Any, Any, Any]:
    """Made once (building the facts' statement costs more than running it for a course):
    lock the courses, clear their facts, make them again, for the courses `ids`."""
    ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    # FOR NO KEY UPDATE on PostgreSQL: it waits for another refresh of the same course, but
    # not for a row that merely points to the course (a new hours entry).
    lock = sa.select(CASES.c.id).where(CASES.c.id.in_(ids)).order_by(CASES.c.id
                                                                     ).with_for_update(
        key_share=True)
    clear = sa.delete(FACTS).where(FACTS.c.case_id.in_(ids))
    return lock, clear, _made([CASES.c.id.in_(ids)])


def _made(where: list[sa.ColumnElement[bool]]) -> sa.Insert:
    """The facts of the courses `where` chooses, written from the one statement."""
    return sa.insert(FACTS).from_select([column.name for column in FACTS.columns],
                                         live_statement(where))


def refresh(connection: sa.Connection, case_ids: Iterable[int]) -> None:
    """Make the facts of these courses again from their history, in the caller's
    transaction. Each course's row is locked first: two transactions writing one course's
    history take turns, and the second makes its facts from what the first committed."""
    ids = sorted(set(case_ids))
    for first in range(0, len(ids), CHUNK):
        chunk = {"ids": ids[first:first + CHUNK]}
        for statement in _refresh_statements():
            connection.execute(statement, chunk)


def rebuild(connection: sa.Connection) -> int:
    """Every course's facts made again from the whole history (after rows were loaded past
    the ORM, or to repair). Returns how many courses."""
    connection.execute(sa.delete(FACTS))
    connection.execute(_made([]))
    return int(connection.execute(sa.select(sa.func.count()).select_from(FACTS)).scalar_one())


def differences(connection: sa.Connection) -> list[int]:
    """The courses whose kept facts differ from their history's (none, when all is well)."""
    kept = {row[0]: tuple(row) for row in connection.execute(sa.select(FACTS))}
    live = {row[0]: tuple(row) for row in connection.execute(live_statement([]))}
    return sorted(case_id for case_id in kept.keys() | live.keys()
                  if _normal(kept.get(case_id)) != _normal(live.get(case_id)))


def _normal(row: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """Compared as numbers (a database may give 1 for true, 3 for 3.0)."""
    return None if row is None else tuple(None if value is None else float(value)
                                          for value in row)


def _touched(session: Session) -> set[int]:
    """The courses whose facts the flush just written may change."""
    ids: set[int | None] = set()
    for item in chain(session.new, session.dirty, session.deleted):
        if isinstance(item, Case):
            ids.add(item.id)
        elif isinstance(item, SOURCES):
            ids.add(getattr(item, "case_id", None))
            ids.update(inspect(item).attrs.case_id.history.deleted or ())  # moved away
    return {case_id for case_id in ids if case_id is not None}


@event.listens_for(Session, "after_flush")
def _keep_facts(session: Session, _flush: UOWTransaction) -> None:
    touched = _touched(session)
    if touched:
        refresh(session.connection(), touched)


class FactsBypassed(RuntimeError):
    """A bulk statement wrote a course's history past the flush that keeps its facts."""


@functools.cache
def columns_read() -> frozenset[tuple[str, str]]:
    """Every (table, column) the facts are made from, found in the one definition (once,
    at the first bulk write: not when the bot starts)."""
    return frozenset(
        (element.table.name, element.name)
        for element in visitors.iterate(live_statement([]), {})
        if isinstance(element, sa.Column) and isinstance(element.table, sa.Table))


def bypasses_facts(statement: Any) -> bool:
    """Whether a bulk statement would change what some course's facts are made from."""
    table = getattr(statement, "table", None)
    if not isinstance(table, sa.Table) or table.name not in SOURCE_TABLES:
        return False
    if not isinstance(statement, sa.Update):
        return True  # rows come or go
    changed = (getattr(key, "key", key) for key in statement._values or {})
    return any((table.name, name) in columns_read() for name in changed)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not \
            state.execution_options.get("course_facts") and bypasses_facts(state.statement):
        raise FactsBypassed(
            f"a bulk write to {state.statement.table.name} passes no flush, so the course "  # type: ignore[attr-defined]
            "facts would not follow it: write through the session, or say with the "
            "execution option course_facts why they stay true")
