"""Benchmarks that print figures: `python -m bench [--postgres URL] [--rows N] [--cases N]`.

Each figure is printed beside its floor or target, measured in the same run:
- exporting N decision actions to CSV, beside writing the same rows with the csv module
  straight from a SQL cursor (target ratio <= 2), and peak Python memory for N/10 and N
  rows (flat: streamed);
- building the weekly agenda over a roster (target < 200 ms) and its SQL statement count
  for two roster sizes (it must not grow).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, insert, text
from sqlmodel import SQLModel

from sparbot import models  # noqa: F401  (the tables)
from sparbot.bot.exporting import export_decisions
from sparbot.bot.render import Renderer
from sparbot.db import make_engine, session_factory
from sparbot.enums import Language
from sparbot.models import Case, Decision, DecisionAction, FollowUp, HoursEntry, Person
from sparbot.services.agenda import build_agenda
from sparbot.services.exports import ExportFilter, ExportFormat, export_statement
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

STAMP = datetime(2026, 1, 1, tzinfo=UTC)


class Sink(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


def fresh(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS sparbot_bench CASCADE"))
            connection.execute(text("CREATE SCHEMA sparbot_bench"))
        engine.dispose()
        engine = make_engine(url, connect_args={"options": "-csearch_path=sparbot_bench"})
    SQLModel.metadata.create_all(engine)
    return engine


def seed(engine: Engine, cases: int, decisions: int) -> None:
    start = date(2026, 6, 2)
    with engine.begin() as connection:
        connection.execute(insert(Person), [{"slack_user_id": f"U{n:08d}", "created_at":
                                             STAMP} for n in range(100)])
        connection.execute(insert(Case), [
            {"ref": f"C{n:05d}", "ref_key": f"c{n:05d}", "programme": "LFI",
             "purpose": "flex-job", "start_date": start, "booked_weeks": 26, "cadence": "weekly",
             "mentor_id": n % 100 + 1, "status": "active", "created_at": STAMP}
            for n in range(cases)])
        connection.execute(insert(HoursEntry), [
            {"case_id": n % cases + 1, "effective_from": date(2026, 6 + n // cases % 5, 2),
             "internship_hours": 3 + n % 7, "paid_hours": 0, "created_at": STAMP}
            for n in range(cases * 4)])
        connection.execute(insert(FollowUp), [
            {"case_id": n % cases + 1, "kind": "mentor-meeting", "held_on": date(2026, 11, 3),
             "paid_hours": "not-raised", "created_at": STAMP} for n in range(cases)])
        batch = 20_000
        for first in range(0, decisions, batch):
            count = min(batch, decisions - first)
            connection.execute(insert(Decision), [
                {"case_id": (first + n) % cases + 1, "text": f"Beslutning {first + n}",
                 "category": "other", "status": "active", "decided_on": date(2026, 11, 3),
                 "present": "[]", "created_at": STAMP} for n in range(count)])
            connection.execute(insert(DecisionAction), [
                {"decision_id": first + n + 1, "owner_id": n % 100 + 1, "status": "open",
                 "created_at": STAMP} for n in range(count)])


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench(url: str, label: str, rows: int, cases: int) -> list[tuple[str, str, str]]:
    engine = fresh(url)
    seed(engine, cases, rows)
    sessions = session_factory(engine)
    renderer = Renderer(Language.DA)
    figures: list[tuple[str, str, str]] = []

    def export_all(limit: date | None = None) -> None:
        with sessions() as session:
            export_decisions(session=session, selection=ExportFilter(date_to=limit),
                             fmt=ExportFormat.CSV, out=Sink(), renderer=renderer)  # type: ignore[arg-type]

    def raw_cursor() -> None:  # the same query, its rows written as they come
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=2000).execute(
                export_statement(ExportFilter()))
            writer = csv.writer(io.TextIOWrapper(Sink(), encoding="utf-8"))  # type: ignore[arg-type]
            for row in result:
                writer.writerow(row)

    ours, floor = timed(export_all), timed(raw_cursor)
    figures.append((f"{label}: export {rows:,} actions to CSV", f"{ours:.2f} s",
                    f"csv from a cursor {floor:.2f} s · ratio {ours / floor:.2f} (target <= 2)"))
    small = peak_memory(lambda: _export_first(sessions, renderer, rows // 10))
    large = peak_memory(export_all)
    figures.append((f"{label}: export peak memory", f"{large / 1e6:.1f} MB for {rows:,} rows",
                    f"{small / 1e6:.1f} MB for {rows // 10:,} rows (flat when streamed)"))

    rules = MeetingRules()
    plan = MeetingPlan(date(2026, 11, 24), date(2026, 11, 24), None)
    statements: list[str] = []

    def agenda() -> None:
        with sessions() as session:
            build_agenda(session=session, plan=plan, rules=rules)

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    agenda()  # warm
    event.listen(engine, "before_cursor_execute", count)
    took = timed(agenda)
    event.remove(engine, "before_cursor_execute", count)
    figures.append((f"{label}: build the agenda over {cases:,} cases",
                    f"{took * 1000:.0f} ms", f"target < 200 ms · {len(statements)} SQL "
                                              "statements (the same for any roster size)"))
    figures += slash_round_trip(engine, sessions, label)
    started = time.perf_counter()
    with sessions() as session:
        planned = plan_digests(session=session,
                               now=datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN))
    took = time.perf_counter() - started
    figures.append((f"{label}: nudge sweep (dry run) over {cases:,} cases", f"{took:.2f} s",
                    f"target < 1 s · {sum(len(d.nudges) for d in planned):,} nudges "
                    f"for {len(planned)} people"))
    engine.dispose()
    return figures


def slash_round_trip(engine: Engine, sessions: Any, label: str,
                     requests: int = 200) -> list[tuple[str, str, str]]:
    """Signed HTTP request → ack, for /spar sag and /spar dagsorden, beside a bare Bolt app
    that only acks the same request, both behind the same WSGI server."""
    from slack_bolt import App
    from slack_sdk import WebClient

    from sparbot.bot.app import create_app
    from sparbot.bot.server import EVENTS_PATH, BackgroundServer, build_wsgi_app
    from sparbot.config import Settings
    from sparbot.devtools.driver import SlackDriver
    from sparbot.devtools.fake_slack import FakeSlack

    figures = []
    with FakeSlack(validate_reference=False) as slack:
        settings = Settings(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="bench",
                            SLACK_API_URL=slack.api_url, _env_file=None)  # type: ignore[call-arg]
        ours = create_app(settings, sessions)
        bare = App(signing_secret="bench",
                   client=WebClient(token="xoxb-bench", base_url=slack.api_url))
        bare.command("/spar")(lambda ack: ack())
        servers = {name: BackgroundServer(build_wsgi_app(app, engine)).start()
                   for name, app in (("ours", ours), ("bare", bare))}
        try:
            for words in ("sag C00001", "dagsorden"):
                timings = {}
                for name, server in servers.items():
                    driver = SlackDriver(f"http://127.0.0.1:{server.port}{EVENTS_PATH}",
                                         "bench", slack)
                    samples = []
                    for number in range(requests):
                        samples.append(driver.command(words).elapsed)
                        if name == "ours":  # one person at a time: wait for the answer
                            slack.wait_for("response_url", number + 1, timeout=30)
                    slack.clear()
                    samples.sort()
                    timings[name] = (samples[len(samples) // 2], samples[int(len(samples) * .99)])
                ratio = timings["ours"][0] / timings["bare"][0]
                figures.append((f"{label}: /spar {words.split()[0]} ack (median, p99)",
                                f"{timings['ours'][0] * 1000:.1f} / "
                                f"{timings['ours'][1] * 1000:.1f} ms",
                                f"bare Bolt {timings['bare'][0] * 1000:.1f} / "
                                f"{timings['bare'][1] * 1000:.1f} ms · ratio {ratio:.2f} "
                                "(target <= 1.5)"))
        finally:
            for server in servers.values():
                server.stop()
            ours.listener_runner.listener_executor.shutdown(wait=True)
    return figures


def _export_first(sessions: Callable[[], object], renderer: Renderer, rows: int) -> None:
    with sessions() as session:  # type: ignore[attr-defined]
        from sparbot.services.exports import export_rows, write_export

        limited = (row for _, row in zip(range(rows), export_rows(
            session=session, selection=ExportFilter()), strict=False))
        write_export(limited, ExportFormat.CSV, Sink(),  # type: ignore[arg-type]
                     headings=renderer.labels("export_columns"), label=renderer.label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--postgres", default=os.environ.get("SPARBOT_BENCH_POSTGRES"))
    args = parser.parse_args()
    print(f"sparbot benchmarks on {platform.node()} · {platform.processor() or platform.machine()}"
          f" · {os.cpu_count()} cores · Python {platform.python_version()}")
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        figures += bench(f"sqlite:///{folder}/bench.db", "SQLite", args.rows, args.cases)
    if args.postgres:
        figures += bench(args.postgres, "PostgreSQL", args.rows, args.cases)
    figures.append(("this bench process: peak resident memory",
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
                    "seeding and exports included; not yet a serving process (target 250 MB)"))
    width = max(len(name) for name, _, _ in figures)
    for name, figure, floor in figures:
        print(f"{name:<{width}}  {figure:>22}  {floor}")


if __name__ == "__main__":
    main()
