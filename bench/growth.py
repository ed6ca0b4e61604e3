"""Cost growth: the main figures at 1,000, 10,000 and 30,000 cases (`python -m bench
--growth`), each as time per case and SQL statements per run, so that a reader sees at a
glance that cost grows with the work, not faster (target: time per case within 1.5× from
the smallest roster to the largest; statements the same at every size). Each time is the
fastest of RUNS runs, taken in turns with the other sizes, with their median beside it.

The figures: one team's agenda (per case of the team: a team is 250 cases at every size),
the nudge sweep over the whole roster (per case), the decision log's CSV export (per
action exported) and the results figures for the whole deployment (per course)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bench.roster import TEAM_CASES, Scale
from sparbot.db import SessionFactory, session_factory
from sparbot.services.teams import TeamScope

SIZES = (1_000, 10_000, 30_000)
RUNS = 9
Figure = tuple[str, str, str]
Counting = Callable[[Engine], AbstractContextManager[list[tuple[str, Any]]]]
Work = Callable[[], object]


def the_work(sessions: SessionFactory, scale: Scale, today: date,
             agenda: Callable[[SessionFactory, TeamScope], Work], export: Work
             ) -> dict[str, tuple[Work, int]]:
    """Each figure's work, and what its time is divided by."""
    from sparbot.services.figures import compute_figures
    from sparbot.services.figures_sql import By, Selection
    from sparbot.services.nudges import plan_digests

    def sweep() -> object:
        with sessions() as session:
            return plan_digests(session=session, now=datetime(
                today.year, today.month, today.day, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))

    def figures() -> object:
        with sessions() as session:
            return compute_figures(session=session, selection=Selection(today=today,
                                                                        by=By.QUARTER))

    return {"one team's agenda, per case of the team": (agenda(sessions, TeamScope(1)),
                                                        TEAM_CASES),
            "nudge sweep, per case": (sweep, scale.cases),
            "decision log CSV export, per action": (export, scale.actions),
            "results figures, whole deployment, per course": (figures, scale.cases)}


def growth_figures(url_for: Callable[[int], Iterator[tuple[Engine, Scale]]], label: str,
                   today: date, timed: Callable[..., float], counting: Counting,
                   agenda: Callable[[SessionFactory, TeamScope], Work],
                   export_for: Callable[[SessionFactory], Work]) -> list[Figure]:
    """`url_for(size)` yields a seeded roster of that size, in teams. The three rosters
    are open together and each figure's runs take turns between them (1,000, 10,000,
    30,000, 1,000, …): on a shared machine the same build takes 25 ms or, in a slow spell,
    45 ms, at any roster size, and taking turns spreads the spells over every size."""
    with ExitStack() as stack:
        rosters = [stack.enter_context(contextmanager(url_for)(size)) for size in SIZES]
        works = []
        for engine, scale in rosters:
            sessions = session_factory(engine)
            works.append((engine, the_work(sessions, scale, today, agenda,
                                           export_for(sessions))))
        rows: dict[str, list[tuple[float, float, int]]] = {}
        for name in works[0][1]:
            samples: list[list[float]] = [[] for _ in SIZES]
            for _, work_of in works:
                work_of[name][0]()  # warm
            for _ in range(RUNS):
                for index, (_, work_of) in enumerate(works):
                    samples[index].append(timed(work_of[name][0]))
            for index, (engine, work_of) in enumerate(works):
                work, per = work_of[name]
                with counting(engine) as statements:
                    work()
                rows.setdefault(name, []).append((min(samples[index]) / per,
                                                  statistics.median(samples[index]) / per,
                                                  len(statements)))
    figures = []
    for name, measured in rows.items():
        fastest = [each for each, _, _ in measured]
        medians = [each for _, each, _ in measured]
        counts = [count for _, _, count in measured]
        figures.append((
            f"{label}: growth, {name}",
            " / ".join(f"{each * 1e6:.0f}" for each in fastest) + " µs",
            f"at {' / '.join(f'{size:,}' for size in SIZES)} cases, the fastest of {RUNS} · "
            f"largest ÷ smallest {fastest[-1] / fastest[0]:.2f} (target <= 1.5) · medians "
            f"{' / '.join(f'{each * 1e6:.0f}' for each in medians)} µs, "
            f"{medians[-1] / medians[0]:.2f} · statements "
            f"{' / '.join(str(count) for count in counts)} (must not grow)"))
    return figures
