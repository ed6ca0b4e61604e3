"""Engine and sessions: one engine per process, sessions always inside a context manager."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

SessionFactory = Callable[[], AbstractContextManager[Session]]

# Whether the work in hand (a Slack request, a job) has committed a change: a failure after
# that must never be reported as "nothing was saved".
_writes_committed: ContextVar[bool] = ContextVar("writes_committed", default=False)
CONNECT_TIMEOUT_SECONDS = 3  # a database that does not answer is said so, not waited on


def database_unreachable(error: BaseException) -> bool:
    """The database did not answer (down, restarting, unreachable, its pool exhausted)."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def watch_commits() -> None:
    """Start watching: from here on, in this thread, `writes_committed` says whether a
    session has committed a change."""
    _writes_committed.set(False)


def writes_committed() -> bool:
    return _writes_committed.get()


# The bot's own bookkeeping (requests seen, the audit trail of reads) is not a change a
# person made: a failure after only that is still "nothing was saved".
BOOKKEEPING_TABLES = frozenset({"seen_request", "audit_event"})


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(getattr(item, "__tablename__", None) not in BOOKKEEPING_TABLES for item in changed):
        session.info["wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in BOOKKEEPING_TABLES:
            state.session.info["wrote"] = True


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("hide_parameters", True)  # case text never reaches error logs
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _foreign_keys_on)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                              **kwargs.get("connect_args", {})}
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    cost = _random_page_cost()
    if cost is not None and engine.dialect.name == "postgresql":
        event.listen(engine, "connect", lambda connection, _record: _planner_costs(
            connection, cost))
    return engine


def _random_page_cost() -> float | None:
    """What a read of a page out of order costs PostgreSQL's planner, against 1 for one in
    order. Its default, 4, is for spinning disks: with it, a team's few rows were read by
    scanning whole tables (a team's agenda 3× slower in a roster 30 times larger). On SSD
    storage (every cloud VM) 1.1 is right, as PostgreSQL's documentation says; empty leaves
    the server's own setting."""
    text = os.environ.get("SPARBOT_PG_RANDOM_PAGE_COST", "1.1").strip()
    if not text:
        return None
    try:
        cost = float(text)
        if cost > 0:
            return cost
    except ValueError:
        pass
    raise SystemExit("SPARBOT_PG_RANDOM_PAGE_COST must be a number above 0, such as 1.1, or "
                     "empty for the server's own setting")


def _planner_costs(dbapi_connection: Any, cost: float) -> None:
    # Outside a transaction, so that the pool's rollback on return does not undo it.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET random_page_cost = {cost:g}")
    dbapi_connection.autocommit = autocommit


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Write-ahead logging: readers never wait for a writer, nor a writer for readers (the
    # serving process, its workers and the scheduler share one file). A file's setting; an
    # in-memory database keeps its own.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _foreign_keys_on(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Again at every checkout: a migration turns them off for its batch copies."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: Engine) -> SessionFactory:
    """A callable giving a transactional scope: commit on success, roll back on error."""

    @contextmanager
    def session_scope() -> Iterator[Session]:
        session = Session(engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
            if session.info.get("wrote"):
                _writes_committed.set(True)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    return session_scope


# The course facts are kept by session hooks: registered wherever sessions are made.
from sparbot.services import course_facts as _course_facts  # noqa: E402,F401
