"""Cost growth: the main figures at 1,000, 10,000 and 30,000 cases (`python -m bench
--growth`), each as time per case and SQL statements per run, so that a reader sees at a
glance that cost grows with the work, not faster (target: time per case within 1.5× from
the smallest roster to the largest; statements the same at every size).

The figures: one team's agenda (per case of the team: a team is 250 cases at every size),
the nudge sweep over the whole roster (per case), the decision log's CSV export (per
action exported) and the results figures for the whole deployment (per course)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bench.roster import TEAM_CASES, Scale
from sparbot.db import SessionFactory, session_factory
from sparbot.services.teams import TeamScope

SIZES = (1_000, 10_000, 30_000)
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
    """`url_for(size)` yields a seeded roster of that size, in teams."""
    rows: dict[str, list[tuple[float, int]]] = {}
    for size in SIZES:
        for engine, scale in url_for(size):
            sessions = session_factory(engine)
            for name, (work, per) in the_work(sessions, scale, today, agenda,
                                              export_for(sessions)).items():
                work()  # warm
                took = timed(work, repeat=3)
                with counting(engine) as statements:
                    work()
                rows.setdefault(name, []).append((took / per, len(statements)))
    figures = []
    for name, measured in rows.items():
        per_case = [each for each, _ in measured]
        counts = [count for _, count in measured]
        figures.append((
            f"{label}: growth, {name}",
            " / ".join(f"{each * 1e6:.0f}" for each in per_case) + " µs",
            f"at {' / '.join(f'{size:,}' for size in SIZES)} cases · largest ÷ smallest "
            f"{per_case[-1] / per_case[0]:.2f} (target <= 1.5) · statements "
            f"{' / '.join(str(count) for count in counts)} (must not grow)"))
    return figures
