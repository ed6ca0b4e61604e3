"""The results figures at a provider network's scale: 10,000 active and 40,000 ended courses
over four years, with their history (hours, placements, follow-ups, decisions and actions,
attendance), in teams of 250, loaded in bulk and then each course's facts made in one go
(course_facts.rebuild, timed). Printed: the figures for the whole deployment and for one
team, beside a bare SQL aggregate over the history rows (each table the figures are made
from, joined to its course and grouped by the start quarter: what reading every row once
costs) and beside a bare aggregate over the rows the figures read now (the courses with
their kept facts, and the actions); the number of statements beside that for a roster a
tenth of the size (it must not grow); and what keeping one course's facts adds to a write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, insert, text

from bench.roster import BATCH, STAMP, TEAM_CASES, put_rows
from sparbot.models import (
    AttendanceWeek,
    Case,
    Decision,
    DecisionAction,
    Extension,
    FollowUp,
    HoursEntry,
    Person,
    Placement,
    Team,
)
from sparbot.services.course_facts import rebuild, refresh
from sparbot.services.figures import compute_figures
from sparbot.services.figures_sql import By, Selection
from sparbot.services.hours_runs import stamps

ACTIVE, ENDED = 10_000, 40_000
OUTCOMES = ("ordinary-employment", "flex-job", "education", "early-retirement",
            "resource-course", "declared-fit", "stopped", "moved-away")
Figure = tuple[str, str, str]


def _start(case: int, today: date) -> date:
    """The active ones started in the last 26 weeks; the ended ones over four years before."""
    if case < ACTIVE:
        return today - timedelta(days=case * 7 % 182)
    return today - timedelta(days=200 + case * 13 % 1260)


def _length_weeks(case: int) -> int:
    return (26, 26, 30, 39, 13, 26, 34)[case % 7]


def seed_courses(engine: Engine, today: date, factor: float = 1.0) -> tuple[int, float]:
    """The courses and their history; returns how many courses, and the seconds their
    facts took to make from the whole history (course_facts.rebuild)."""
    active, ended = int(ACTIVE * factor), int(ENDED * factor)
    total = active + ended
    teams = max(1, total // TEAM_CASES)

    def index(n: int) -> int:  # active ones first, whatever the factor
        return n if n < active else ACTIVE + (n - active)

    def closed_on(n: int) -> date | None:
        return None if n < active else _start(index(n), today) + timedelta(
            weeks=_length_weeks(n))

    with engine.begin() as connection:
        put_rows(connection, Person, ({"slack_user_id": f"U{n:08d}", "email": f"p{n}@example.dk",
                                   "created_at": STAMP} for n in range(400)))
        put_rows(connection, Team, ({"name": f"Team {n:03d}", "channel_id": f"C0TEAM{n:04d}",
                                 "created_at": STAMP} for n in range(1, teams + 1)))
        put_rows(connection, Case, ({
            "ref": f"F{n:05d}", "ref_key": f"f{n:05d}", "programme": ("LFI", "Ressource",
                                                                      "Sygedagpenge")[n % 3],
            "purpose": "flex-job" if n % 2 else "ordinary-employment",
            "start_date": _start(index(n), today), "booked_weeks": 26,
            "cadence": "weekly" if n % 3 else "biweekly", "mentor_id": n % 300 + 1,
            "company_consultant_id": 300 + n % 80 + 1, "team_id": n % teams + 1,
            "status": "active" if n < active else "closed",
            "outcome": None if n < active else OUTCOMES[n % len(OUTCOMES)],
            "closed_on": closed_on(n), "created_at": STAMP} for n in range(total)))
        put_rows(connection, Extension, ({"case_id": n + 1, "weeks": 4 + n % 9,
                                      "decided_on": _start(index(n), today)
                                      + timedelta(weeks=20), "created_at": STAMP}
                                     for n in range(0, total, 5)))
        put_rows(connection, Placement, ({
            "case_id": n + 1, "kind": kind, "workplace": f"Virksomhed {n % 900}",
            "start_date": _start(index(n), today) + timedelta(weeks=weeks),
            "follow_up_cadence": "monthly", "created_at": STAMP}
            for n in range(total) for kind, weeks in (("own-shop", 0),
                                                      ("company-internship", 3 + n % 8))
            if kind == "own-shop" or n % 4))

        def hours() -> Iterator[dict[str, Any]]:
            for n in range(total):
                start = _start(index(n), today)
                end = closed_on(n) or today
                weeks = max(1, (end - start).days // 7)
                steps = [(start + timedelta(weeks=week), 6 + week // 3 % 6 * 2,
                          (week - 8) // 2 if n % 3 and week > 8 else 0, None)
                         for week in range(0, weeks, 3)]
                for (on, unpaid, paid, _), stamp in zip(steps, stamps(steps), strict=True):
                    yield {"case_id": n + 1, "effective_from": on,
                           "internship_hours": min(unpaid, 30), "paid_hours": min(paid, 30),
                           "run_from": stamp.run_from, "total_before": stamp.total_before,
                           "created_at": STAMP}

        put_rows(connection, HoursEntry, hours())
        put_rows(connection, FollowUp, ({
            "case_id": n + 1, "kind": "workplace" if meeting % 4 == 3 else "mentor-meeting",
            "held_on": _start(index(n), today) + timedelta(days=8 * meeting + n % 5),
            "paid_hours": "not-raised", "created_at": STAMP}
            for n in range(total) for meeting in range(6)))
        decisions = [(n, k) for n in range(total) for k in range(2)]
        for first in range(0, len(decisions), BATCH):
            chunk = decisions[first:first + BATCH]
            connection.execute(insert(Decision), [
                {"case_id": n + 1, "text": "Beslutning", "category": "other",
                 "status": "active", "decided_on": _start(index(n), today)
                 + timedelta(weeks=4 + 8 * k), "present": "[]",
                 "jobcenter_present": (n + k) % 3 != 0, "jobcenter_agreed": (n + k) % 5 != 0,
                 "created_at": STAMP} for n, k in chunk])
            connection.execute(insert(DecisionAction), [
                {"decision_id": first + offset + 1, "owner_id": n % 300 + 1,
                 "due_date": _start(index(n), today) + timedelta(weeks=6 + 8 * k),
                 "status": "done" if (n + k) % 4 else "open",
                 "done_on": _start(index(n), today) + timedelta(weeks=6 + 8 * k,
                                                                days=(n % 5) - 2)
                 if (n + k) % 4 else None, "created_at": STAMP}
                for offset, (n, k) in enumerate(chunk)])
        put_rows(connection, AttendanceWeek, ({
            "case_id": n + 1, "week_start": today - timedelta(days=today.weekday(),
                                                              weeks=back),
            "planned_days": 4, "attended_days": (4, 3, 4, 2)[(n + back) % 4],
            "created_at": STAMP} for n in range(active) for back in range(1, 13)))
    with engine.begin() as connection:  # loaded past the session: the facts in one go
        started = time.perf_counter()
        rebuild(connection)
        made = time.perf_counter() - started
    return total, made


def _quarter(engine: Engine) -> str:
    return ("substr(c.start_date, 1, 4) || ((cast(substr(c.start_date, 6, 2) as integer) "
            "- 1) / 3)" if engine.dialect.name == "sqlite"
            else "extract(year from c.start_date) * 10 + "
                 "(extract(month from c.start_date) - 1)::int / 3")


def _all_read(engine: Engine, statements: list[str]) -> Callable[[], None]:
    def run() -> None:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement)).all()

    return run


def bare_aggregate(engine: Engine) -> Callable[[], None]:
    """Every history row the figures are made from, once: each history table joined to its
    course and counted by the course's start quarter, as plain SQL through the driver."""
    quarter = _quarter(engine)
    statements = [
        f"SELECT {quarter} AS q, count(*), sum(c.booked_weeks) FROM \"case\" c GROUP BY q",
        f"SELECT {quarter} AS q, count(*), sum(h.internship_hours + h.paid_hours), "
        f"max(h.paid_hours) FROM hours_entry h JOIN \"case\" c ON c.id = h.case_id GROUP BY q",
        f"SELECT {quarter} AS q, count(*), min(p.start_date) FROM placement p "
        f"JOIN \"case\" c ON c.id = p.case_id GROUP BY q",
        f"SELECT {quarter} AS q, count(*), min(e.weeks) FROM extension e "
        f"JOIN \"case\" c ON c.id = e.case_id GROUP BY q",
        f"SELECT {quarter} AS q, count(*), max(f.held_on) FROM follow_up f "
        f"JOIN \"case\" c ON c.id = f.case_id GROUP BY q",
        f"SELECT {quarter} AS q, count(*), max(a.done_on) FROM decision_action a "
        f"JOIN decision d ON d.id = a.decision_id JOIN \"case\" c ON c.id = d.case_id "
        f"GROUP BY q",
        f"SELECT {quarter} AS q, sum(w.planned_days), sum(w.attended_days) "
        f"FROM attendance_week w JOIN \"case\" c ON c.id = w.case_id GROUP BY q",
    ]
    return _all_read(engine, statements)


def bare_facts_aggregate(engine: Engine) -> Callable[[], None]:
    """The rows the figures now read, once: each course beside its kept facts, and the
    decision actions, counted by the course's start quarter, as plain SQL."""
    quarter = _quarter(engine)
    statements = [
        f"SELECT {quarter} AS q, count(*), sum(f.hours_start), sum(f.mentor_held), "
        f"sum(f.planned_days) FROM \"case\" c LEFT JOIN course_facts f ON f.case_id = c.id "
        f"GROUP BY q",
        f"SELECT {quarter} AS q, count(*), max(a.done_on) FROM decision_action a "
        f"JOIN decision d ON d.id = a.decision_id JOIN \"case\" c ON c.id = d.case_id "
        f"GROUP BY q",
    ]
    return _all_read(engine, statements)


def figures_bench(url_for: Callable[[str], tuple[Engine, str]], label: str, today: date,
                  timed: Callable[..., float], counting: Any, analyze: Callable[[Engine], None]
                  ) -> list[Figure]:
    from sqlmodel import Session

    small_engine, _ = url_for("sparbot_bench_figures_small")
    seed_courses(small_engine, today, factor=0.1)
    analyze(small_engine)
    engine, _ = url_for("sparbot_bench_figures")
    started = time.perf_counter()
    courses, made = seed_courses(engine, today)
    analyze(engine)
    seeded = time.perf_counter() - started

    def figures(on: Engine, team: tuple[int, ...] | None = None) -> Callable[[], object]:
        def run() -> object:
            with Session(on) as session:
                return compute_figures(session=session, selection=Selection(
                    today=today, team_ids=team, by=By.QUARTER))
        return run

    def statements(on: Engine, team: tuple[int, ...] | None = None) -> int:
        with counting(on) as sent:
            figures(on, team)()
        return len(sent)

    def keep_one() -> None:  # what a write to one course's history adds: its facts again
        with engine.begin() as connection:
            refresh(connection, [ACTIVE // 2])

    whole, one_team, bare = figures(engine), figures(engine, (1,)), bare_aggregate(engine)
    bare_facts = bare_facts_aggregate(engine)
    for warm in (whole, one_team, bare, bare_facts, keep_one):  # warm alike
        warm()
    took, team_took, floor = timed(whole, repeat=5), timed(one_team, repeat=7), timed(
        bare, repeat=5)
    facts_floor, kept = timed(bare_facts, repeat=5), timed(keep_one, repeat=21)
    counts = (statements(engine), statements(small_engine), statements(engine, (1,)))
    small_engine.dispose()
    engine.dispose()
    return [
        (f"{label}: results figures, whole deployment ({courses:,} courses)",
         f"{took * 1000:.0f} ms",
         f"target < 1 s · bare SQL aggregate over the history rows {floor * 1000:.0f} ms · "
         f"ratio {took / floor:.2f} (target <= 3) · bare aggregate over the rows read "
         f"(courses, kept facts, actions) {facts_floor * 1000:.0f} ms, ratio "
         f"{took / facts_floor:.2f} · {counts[0]} SQL statements "
         f"({counts[1]} with a tenth of the courses) · seeded in {seeded:.0f} s"),
        (f"{label}: results figures, one team ({TEAM_CASES} courses)",
         f"{team_took * 1000:.0f} ms", f"target < 100 ms · {counts[2]} SQL statements"),
        (f"{label}: course facts, made from the whole history ({courses:,} courses)",
         f"{made:.1f} s", "once, after rows are loaded past the session (rebuild)"),
        (f"{label}: course facts, kept at a write to one course's history",
         f"{kept * 1000:.1f} ms", "added to the write's transaction (refresh, median)"),
    ]
