"""Each course's kept facts (the results figures read them) stay equal to what its history
says, whatever is written: every table they are made from × adding a row, changing one and
removing one, through the session every way in (Slack, the CLI, an import, a job) writes
with; a bulk statement past the session is refused; erasure takes the facts with the case;
two transactions writing one course's history at once leave it right."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from sparbot.db import SessionFactory, make_engine
from sparbot.enums import DecisionCategory, FollowUpKind, Outcome, PlacementKind
from sparbot.models import (
    AttendanceWeek,
    Case,
    CourseFacts,
    Decision,
    Extension,
    FollowUp,
    HoursEntry,
    Placement,
)
from sparbot.services import course_facts, course_facts_sql, roster
from sparbot.services.course_facts import FactsBypassed, differences, rebuild
from sparbot.services.erasure import erase_case
from tests.factories import follow_up, hours, make_case, placement
from tests.test_cli import invoke

TODAY = date(2026, 12, 1)
START = date(2026, 6, 1)


def _course(session: Session, ref: str = "ZA") -> Case:
    """A course five months in, with some of every kind of history."""
    case = make_case(session, ref, start=START)
    hours(session, ref, "10", START, today=TODAY)
    hours(session, ref, "15", START + timedelta(weeks=6), today=TODAY, paid="5")
    placement(session, ref, PlacementKind.COMPANY_INTERNSHIP, "Netto", START
              + timedelta(weeks=3), today=TODAY)
    follow_up(session, ref, FollowUpKind.MENTOR_MEETING, START + timedelta(days=6),
              today=TODAY)
    follow_up(session, ref, FollowUpKind.WORKPLACE, START + timedelta(weeks=5), today=TODAY)
    roster.extend_course(session=session, ref=ref, weeks=4, decided_on=START
                         + timedelta(weeks=10), reason=None, actor=None)
    assert case.id is not None
    session.add(Decision(case_id=case.id, text="Mere tid", category=DecisionCategory.OTHER,
                         decided_on=START + timedelta(weeks=8), jobcenter_present=True,
                         jobcenter_agreed=True))
    session.add(AttendanceWeek(case_id=case.id, week_start=date(2026, 11, 16),
                               planned_days=4, attended_days=3))
    session.flush()
    return case


def _kept(session: Session, case_id: int) -> tuple[Any, ...] | None:
    row = session.get(CourseFacts, case_id, populate_existing=True)
    return None if row is None else tuple(row.model_dump().values())


def _first(session: Session, model: type) -> Any:
    return session.exec(select(model).order_by(col(model.id))).first()  # type: ignore[attr-defined]


def _new_row(model: type, case_id: int) -> Any:
    day = START + timedelta(weeks=12)
    rows: dict[type, Callable[[], Any]] = {
        HoursEntry: lambda: HoursEntry(case_id=case_id, effective_from=day, internship_hours=4,
                                       paid_hours=0),
        Placement: lambda: Placement(case_id=case_id, kind=PlacementKind.COMPANY_INTERNSHIP,
                                     workplace="Føtex", start_date=START + timedelta(days=2)),
        Extension: lambda: Extension(case_id=case_id, weeks=8, decided_on=day),
        FollowUp: lambda: FollowUp(case_id=case_id, kind=FollowUpKind.MENTOR_MEETING,
                                   held_on=START + timedelta(days=30)),
        Decision: lambda: Decision(case_id=case_id, text="Stop",
                                   category=DecisionCategory.OTHER,
                                   decided_on=day, jobcenter_present=False),
        AttendanceWeek: lambda: AttendanceWeek(case_id=case_id, week_start=date(2026, 11, 23),
                                               planned_days=5, attended_days=1),
    }
    return rows[model]()


# A change to each table that the figures notice.
CHANGES: dict[type, Callable[[Any], None]] = {
    HoursEntry: lambda row: setattr(row, "paid_hours", 12),
    Placement: lambda row: setattr(row, "start_date", START + timedelta(days=1)),
    FollowUp: lambda row: setattr(row, "held_on", START + timedelta(days=20)),
    Decision: lambda row: setattr(row, "jobcenter_agreed", False),
    AttendanceWeek: lambda row: setattr(row, "attended_days", 1),
}


def _operations() -> list[tuple[type, str]]:
    return [(model, operation) for model in course_facts.SOURCES
            for operation in ("add", "change", "remove")]


@pytest.mark.parametrize(("model", "operation"), _operations(),
                         ids=[f"{model.__name__}-{operation}" for model, operation in
                              _operations()])
def test_every_write_to_a_courses_history_keeps_its_facts(
        db: SessionFactory, engine: Engine, model: type, operation: str) -> None:
    with db() as session:
        case = _course(session)
        other = _course(session, "ZB")
    assert case.id is not None and other.id is not None
    with db() as session:
        before = _kept(session, case.id)
        row = _first(session, model)
        if operation == "add":
            session.add(_new_row(model, case.id))
        elif operation == "remove":
            session.delete(row)
        elif model in CHANGES:
            CHANGES[model](row)
        else:  # an extension changes nothing the figures read but its course: it moves
            row.case_id = other.id
    with db() as session:
        after = _kept(session, case.id)
    assert after is not None and after != before, "the facts did not follow the change"
    with engine.connect() as connection:
        assert differences(connection) == []


def test_closing_a_course_keeps_its_facts_and_its_end(db: SessionFactory, engine: Engine
                                                      ) -> None:
    with db() as session:
        case = _course(session)
    with db() as session:
        roster.close_case(session=session, ref="ZA", outcome=Outcome.ORDINARY_EMPLOYMENT,
                          closed_on=TODAY, actor=None)
    with db() as session:
        kept = session.get(CourseFacts, case.id)
        assert kept is not None and (kept.hours_end, kept.paid_end) == (20, 5)
    with engine.connect() as connection:
        assert differences(connection) == []


def test_a_bulk_write_past_the_session_is_refused_and_changes_nothing(
        db: SessionFactory) -> None:
    with db() as session:
        _course(session)
    with pytest.raises(FactsBypassed), db() as session:
        session.execute(update(HoursEntry).values(paid_hours=30))
    with pytest.raises(FactsBypassed), db() as session:
        session.execute(sa.delete(FollowUp))
    with db() as session:
        assert {entry.paid_hours for entry in session.exec(select(HoursEntry))} == {0, 5}
        assert len(session.exec(select(FollowUp)).all()) == 2
        # A column no fact is made from may be written in bulk (a case moved to a team).
        session.execute(update(Case).values(booked_weeks=30))


def test_erasing_a_course_takes_its_facts_with_it(db: SessionFactory, engine: Engine) -> None:
    with db() as session:
        case = _course(session)
        _course(session, "ZB")
    with db() as session:
        erased = session.get(Case, case.id)
        assert erased is not None
        erase_case(session=session, case=erased, actor="U0ADMIN")
    with db() as session:
        assert session.get(CourseFacts, case.id) is None
        assert len(session.exec(select(CourseFacts)).all()) == 1
    with engine.connect() as connection:
        assert differences(connection) == []


def test_facts_gone_wrong_are_found_and_made_again(db: SessionFactory, engine: Engine) -> None:
    with db() as session:
        case = _course(session)
    with engine.begin() as connection:  # past the session, as a bad hand in the database
        connection.execute(sa.update(course_facts_sql.FACTS).values(mentor_held=9))
    with engine.begin() as connection:
        assert differences(connection) == [case.id]
        assert rebuild(connection) == 1
        assert differences(connection) == []


def test_two_writers_to_one_course_at_once_leave_its_facts_right(
        db: SessionFactory, engine: Engine) -> None:
    """The first writer holds its transaction open after writing; the second writes the
    same course meanwhile. The second must make the facts from what the first committed."""
    with db() as session:
        case_id = _course(session).id
    assert case_id is not None
    first_flushed, second_started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with db() as session:
                session.add(HoursEntry(case_id=case_id, effective_from=START
                                       + timedelta(weeks=14), internship_hours=20,
                                       paid_hours=10))
                session.flush()
                first_flushed.set()
                second_started.wait(5)
                threading.Event().wait(0.3)  # the second is now waiting on this one
        except BaseException as error:
            failures.append(error)

    def second() -> None:
        try:
            first_flushed.wait(5)
            with db() as session:
                second_started.set()
                session.add(FollowUp(case_id=case_id, kind=FollowUpKind.MENTOR_MEETING,
                                     held_on=START + timedelta(weeks=15)))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert failures == []
    with engine.connect() as connection:
        assert differences(connection) == []
    with db() as session:
        kept = session.get(CourseFacts, case_id)
        assert kept is not None and kept.hours_peak == 30 and kept.mentor_held == 2


def test_the_operator_checks_and_repairs_the_facts_from_the_cli(
        database_url: str, tmp_path: Path) -> None:
    """An import keeps the facts as it writes; facts put wrong by hand are found and made
    again; the operator is told which and how, in Danish."""
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text(
        "ref;programme;purpose;start;weeks;mentor\n"
        "ZA;LFI;ordinær;2026-09-01;26;U0MENTOR\nQR;LFI;afklaring;2026-10-05;13;U0MENTOR\n",
        encoding="utf-8")
    assert invoke(database_url, "db", "upgrade")[0] == 0
    assert invoke(database_url, "import", "roster", str(roster_file))[0] == 0
    code, output = invoke(database_url, "db", "facts")
    assert code == 0 and "svarer til dets historik" in output, output
    engine = make_engine(database_url)
    with engine.begin() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(
            course_facts_sql.FACTS)).scalar_one() == 2
        connection.execute(sa.update(course_facts_sql.FACTS).values(extensions=3))
    code, output = invoke(database_url, "db", "facts")
    assert code == 1 and "svarer ikke til historikken for 2 forløb" in output, output
    assert "sparbot db facts --repair" in output
    code, output = invoke(database_url, "db", "facts", "--repair")
    assert code == 0 and "tallene for alle 2 forløb er lavet igen" in output, output
    assert invoke(database_url, "db", "facts")[0] == 0
    engine.dispose()
