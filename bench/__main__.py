"""Benchmarks that print figures: `python -m bench [--postgres URL] [--scale F]`.

On a synthetic roster at the scale of the largest users (bench/roster.py: 10,000 active
cases, 1,000 staff, 200,000 hours records, 100,000 follow-ups, 100,000 decision actions;
--scale shrinks it for a quick look), on SQLite and, given a URL, PostgreSQL. Each figure
is printed beside its floor or target, measured in the same run:
- `/spar sag` and `/spar dagsorden`: signed HTTP request to ack, median and p99, beside a
  bare Bolt app that only acks the same request (target ratio <= 1.5);
- building the weekly agenda: one team's meeting (target < 200 ms) once the roster is split
  into teams of 250, its SQL statements beside those for the same team in a roster a tenth
  of the size (they must not grow), and the whole roster as one meeting, for comparison;
- a nudge sweep over the whole roster, dry run (target < 1 s);
- exporting the decision actions to CSV, beside writing the same rows with the csv module
  straight from a SQL cursor (target ratio <= 2), and peak Python memory for a tenth of the
  rows and for all of them (flat: streamed);
- meeting-time load (bench/load.py; `--only load` alone): twenty people of one team at
  once against `sparbot serve` with its worker processes, with `--workers 0`, and a bare
  Bolt app, each a process of its own; and the serving process's and workers' memory;
- cost growth (`--growth` alone, bench/growth.py): the main figures at 1,000, 10,000 and
  30,000 cases, per case, with their statement counts;
- the outbox's cost: `/spar beslut` from request to the reply (the decision saved, its
  message queued and sent), beside saving it and posting it directly; and a sweep draining
  1,000 queued messages against the fake Slack, beside 1,000 direct posts.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, text
from sqlmodel import SQLModel

from bench.figures import figures_bench
from bench.growth import growth_figures
from bench.load import load_figures
from bench.outbox import outbox_figures
from bench.pool import TrackedPool
from bench.roster import TEAM_CASES, Scale, assign_teams, seed
from sparbot import models  # noqa: F401  (the tables)
from sparbot.bot.exports.files import export_decisions
from sparbot.bot.render import Renderer
from sparbot.db import SessionFactory, make_engine, session_factory
from sparbot.enums import Language
from sparbot.services.agenda import Agenda, build_agenda
from sparbot.services.exports import ExportFilter, ExportFormat, export_statement
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests
from sparbot.services.teams import OWN_TEAM, TeamScope

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 24)  # a Tuesday: the meeting's day
Figure = tuple[str, str, str]


class Sink(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


def fresh(url: str, schema: str = "sparbot_bench") -> tuple[Engine, str]:
    """An empty database with the schema; on PostgreSQL in a schema of its own. Returns the
    engine and the URL a separate process would use to reach the same tables."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    SQLModel.metadata.create_all(engine)
    return engine, url


def seeded(url: str, scale: Scale, schema: str = "sparbot_bench") -> tuple[Engine, str]:
    engine, process_url = fresh(url, schema)
    seed(engine, scale, TODAY)
    analyze(engine)
    return engine, process_url


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    """The median of `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


@contextmanager
def counting(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement the engine sends, with its parameters, while the block runs."""
    statements: list[tuple[str, Any]] = []

    def count(*args: Any) -> None:
        statements.append((args[2], args[3]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def bare_reads(engine: Engine, statements: list[tuple[str, Any]]) -> Callable[[], None]:
    """The same statements sent straight through the driver, every row fetched: what the
    database and the driver alone take to hand over what the agenda reads."""
    def replay() -> None:
        with closing(engine.raw_connection()) as connection:
            with closing(connection.cursor()) as cursor:
                for statement, parameters in statements:
                    cursor.execute(statement, parameters)
                    if cursor.description is not None:
                        cursor.fetchall()
            connection.rollback()  # read only: nothing to keep

    return replay


PLAN = MeetingPlan(TODAY, TODAY, None)
ALL_ROWS = ExportFilter()


def agenda_build(sessions: SessionFactory, team: TeamScope = OWN_TEAM
                 ) -> Callable[[], Agenda]:
    def build() -> Agenda:
        with sessions() as session:
            return build_agenda(session=session, plan=PLAN, rules=MeetingRules(), team=team)

    return build


def agenda_statements(sessions: SessionFactory, engine: Engine,
                      team: TeamScope = OWN_TEAM) -> list[tuple[str, Any]]:
    with counting(engine) as statements:
        agenda_build(sessions, team)()
    return statements


def agenda_figure(engine: Engine, sessions: SessionFactory, team: TeamScope
                  ) -> tuple[float, float, int, int]:
    """One meeting's agenda: its build time and, beside it, the same SQL statements through
    the bare driver; the number of statements, and of cases with a reason to be taken up."""
    agenda = agenda_build(sessions, team)
    built = agenda()  # warm: statement cache, pages in memory
    took = timed(agenda, repeat=7)
    statements = agenda_statements(sessions, engine, team)
    reads = bare_reads(engine, statements)
    reads()
    return (took, timed(reads, repeat=7), len(statements),
            len(built.items) + len(built.not_reached))


def with_teams(engine: Engine, scale: Scale) -> int:
    teams = assign_teams(engine, scale, TODAY)
    analyze(engine)
    return teams


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":  # as autovacuum leaves a live database
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        with engine.connect() as connection:  # the seed's write-ahead log folded in, as a
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # live file's is


def bench(url: str, label: str, scale: Scale) -> list[Figure]:
    # A roster a tenth of the size, in teams of the same size: one team's agenda must take
    # the same statements whatever the roster around it.
    small_url = url.replace("bench.db", "bench-small.db")  # SQLite: a file of its own
    small = scale.scaled(0.1)
    small_engine, _ = seeded(small_url, small, "sparbot_bench_small")
    with_teams(small_engine, small)
    small_statements = len(agenda_statements(session_factory(small_engine), small_engine,
                                             TeamScope(1)))
    small_engine.dispose()
    started = time.perf_counter()
    engine, process_url = seeded(url, scale)
    print(f"  {label}: seeded {scale.cases:,} cases in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    sessions = session_factory(engine)
    figures: list[Figure] = []

    # No teams first: the whole roster as one meeting is the worst case for every figure.
    took, floor, statements, on_agenda = agenda_figure(engine, sessions, OWN_TEAM)
    figures.append((f"{label}: build the agenda over all {scale.cases:,} cases",
                    f"{took * 1000:.0f} ms",
                    f"one meeting for the whole roster (no teams) · {statements} SQL "
                    f"statements · the same statements through the bare driver "
                    f"{floor * 1000:.0f} ms · {on_agenda:,} cases with a reason"))

    def sweep() -> object:
        with sessions() as session:
            return plan_digests(session=session,
                                now=datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN))

    sweep()
    took = timed(sweep, repeat=3)
    planned: Any = sweep()
    figures.append((f"{label}: nudge sweep (dry run) over {scale.cases:,} cases",
                    f"{took:.2f} s",
                    f"target < 1 s · {sum(len(d.nudges) for d in planned):,} nudges "
                    f"for {len(planned)} people"))
    figures += export_figures(engine, sessions, label, scale.actions)
    figures += slash_round_trip(engine, sessions, label)
    figures += outbox_figures(sessions, label, TODAY)
    figures += serving_memory(process_url, label, scale)

    # Then in teams, as a municipality running sparbot for all its providers would: each
    # team's meeting is built from its own cases.
    teams = with_teams(engine, scale)
    figures += load_figures(engine, process_url, label)
    took, floor, statements, on_agenda = agenda_figure(engine, sessions, TeamScope(1))
    figures.append((f"{label}: build one team's agenda ({TEAM_CASES} of {scale.cases:,} "
                    "cases)", f"{took * 1000:.0f} ms",
                    f"target < 200 ms · {statements} SQL statements ({small_statements} "
                    f"with {small.cases:,} cases in all) · the same statements through the "
                    f"bare driver {floor * 1000:.0f} ms · {on_agenda} cases with a reason · "
                    f"{teams} teams"))
    engine.dispose()
    return figures


def export_figures(engine: Engine, sessions: SessionFactory, label: str,
                   rows: int) -> list[Figure]:
    renderer = Renderer(Language.DA)

    def export(selection: ExportFilter = ALL_ROWS) -> None:
        with sessions() as session:
            export_decisions(session=session, selection=selection, fmt=ExportFormat.CSV,
                             out=Sink(), renderer=renderer)  # type: ignore[arg-type]

    def raw_cursor() -> None:  # the same query, its rows written as they come
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=2000).execute(
                export_statement(ExportFilter()))
            writer = csv.writer(io.TextIOWrapper(Sink(), encoding="utf-8"))  # type: ignore[type-var]
            for row in result:
                writer.writerow(row)

    export()  # warm both alike
    raw_cursor()
    ours, floor = timed(export, repeat=3), timed(raw_cursor, repeat=3)
    # Decisions are spread over 180 days: the last 18 days hold about a tenth of them.
    tenth = ExportFilter(date_from=TODAY.replace(day=6))
    small, large = peak_memory(lambda: export(tenth)), peak_memory(export)
    return [(f"{label}: export {rows:,} actions to CSV", f"{ours:.2f} s",
             f"csv from a cursor {floor:.2f} s · ratio {ours / floor:.2f} (target <= 2)"),
            (f"{label}: export peak memory", f"{large / 1e6:.1f} MB, all rows",
             f"{small / 1e6:.1f} MB for a tenth (flat when streamed)")]


def slash_round_trip(engine: Engine, sessions: SessionFactory, label: str) -> list[Figure]:
    """Signed HTTP request → ack, for /spar sag and /spar dagsorden, beside a bare Bolt app
    that only acks the same request, both behind the same WSGI server; one person at a
    time (see TrackedPool)."""
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
                            SLACK_API_URL=slack.api_url, SPARBOT_STAFF="U0MENTOR",
                            _env_file=None)
        pool = TrackedPool(max_workers=32)
        ours = create_app(settings, sessions, listener_executor=pool)
        bare = App(signing_secret="bench",
                   client=WebClient(token="xoxb-bench", base_url=slack.api_url))
        bare.command("/spar")(lambda ack: ack())
        servers = {name: BackgroundServer(build_wsgi_app(app, engine)).start()
                   for name, app in (("ours", ours), ("bare", bare))}
        try:
            # The agenda takes a while to build after each ack: fewer rounds of it.
            for words, requests in (("sag C00001", 200), ("dagsorden", 40)):
                timings = {}
                for name, server in servers.items():
                    driver = SlackDriver(f"http://127.0.0.1:{server.port}{EVENTS_PATH}",
                                         "bench", slack)
                    samples = []
                    for number in range(requests):
                        samples.append(driver.command(words).elapsed)
                        if name == "ours":  # one person at a time: wait for the answer
                            slack.wait_for("response_url", number + 1, timeout=60)
                            pool.wait_idle()
                    slack.clear()
                    samples.sort()
                    timings[name] = (statistics.median(samples),
                                     samples[min(len(samples) - 1, int(len(samples) * .99))])
                ratio = timings["ours"][0] / timings["bare"][0]
                figures.append((f"{label}: /spar {words.split()[0]} ack (median, p99)",
                                f"{timings['ours'][0] * 1000:.1f} / "
                                f"{timings['ours'][1] * 1000:.1f} ms",
                                f"bare Bolt {timings['bare'][0] * 1000:.1f} / "
                                f"{timings['bare'][1] * 1000:.1f} ms · ratio {ratio:.2f} "
                                "(target <= 1.5)"))
            # Two people: a /spar sag while someone else's agenda is being built.
            driver = SlackDriver(f"http://127.0.0.1:{servers['ours'].port}{EVENTS_PATH}",
                                 "bench", slack)
            samples = []
            for _ in range(20):
                driver.command("dagsorden")
                time.sleep(0.05)  # the build is under way
                samples.append(driver.command("sag C00001").elapsed)
                pool.wait_idle()
            samples.sort()
            figures.append((f"{label}: /spar sag ack while an agenda is built (median, max)",
                            f"{statistics.median(samples) * 1000:.1f} / "
                            f"{samples[-1] * 1000:.1f} ms",
                            "well inside Slack's 3 s; the build shares the process"))
        finally:
            for server in servers.values():
                server.stop()
            ours.listener_runner.listener_executor.shutdown(wait=True)
    return figures


def serving_memory(url: str, label: str, scale: Scale) -> list[Figure]:
    """`sparbot serve` over the roster, after it has answered /spar sag and built the agenda
    a few times: the resident memory of the serving process and of each worker, and of the
    one process that does it all with --workers 0."""
    from bench.serving import served, sparbot_serve
    from sparbot.devtools.driver import SlackDriver
    from sparbot.devtools.fake_slack import FakeSlack

    figures = []
    with FakeSlack(validate_reference=False) as slack:
        for workers in (None, 0):
            command, env = sparbot_serve(url, slack, workers)
            with served(command, slack, env) as server:
                driver = SlackDriver(server.url, "bench", slack)
                slack.clear()
                for number in range(3):
                    driver.command("dagsorden")
                    driver.command("sag C00002")
                    slack.wait_for("response_url", 2 * number + 2, timeout=120)
                memory = server.memory()
            title = "`sparbot serve --workers 0`" if workers == 0 else "`sparbot serve`"
            for what, rss, peak in memory:
                figures.append((f"{label}: {title} resident memory, {what}",
                                f"{rss:.0f} MB (peak {peak:.0f})",
                                ("target < 120 MB · " if what == "serving process" else "")
                                + f"after /spar sag and the agenda over {scale.cases:,} "
                                "cases"))
    return figures


def load_bench(url: str, label: str, scale: Scale) -> list[Figure]:
    """The meeting-time load and the serving memory alone, over the roster."""
    engine, process_url = seeded(url, scale)
    memory = serving_memory(process_url, label, scale)
    with_teams(engine, scale)
    figures = load_figures(engine, process_url, label) + memory
    engine.dispose()
    return figures


def growth_bench(url: str, label: str) -> list[Figure]:
    """bench/growth.py over rosters of 1,000, 10,000 and 30,000 cases, each in teams."""
    def roster_of(size: int) -> Iterator[tuple[Engine, Scale]]:
        scale = Scale().scaled(size / Scale().cases)
        engine, _ = seeded(url.replace("bench.db", f"growth{size}.db"), scale,
                           f"sparbot_growth_{size}")
        with_teams(engine, scale)
        try:
            yield engine, scale
        finally:
            engine.dispose()

    def export_for(sessions: SessionFactory) -> Callable[[], None]:
        renderer = Renderer(Language.DA)

        def export() -> None:
            with sessions() as session:
                export_decisions(session=session, selection=ALL_ROWS, fmt=ExportFormat.CSV,
                                 out=Sink(), renderer=renderer)  # type: ignore[arg-type]
        return export

    return growth_figures(roster_of, label, TODAY, timed, counting, agenda_build, export_for)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu} · {os.cpu_count()} cores · Python {platform.python_version()} · "
            f"{platform.system()} {platform.release()}")


def results_bench(url: str, label: str) -> list[Figure]:
    """The results figures over 50,000 courses (bench/figures.py), each roster in a database
    of its own (on SQLite a file, on PostgreSQL a schema)."""
    def url_for(schema: str) -> tuple[Engine, str]:
        return fresh(url.replace("bench.db", f"{schema}.db"), schema)

    return figures_bench(url_for, label, TODAY, timed, counting, analyze)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="a fraction of the full roster, for a quick look")
    parser.add_argument("--postgres", default=os.environ.get("SPARBOT_BENCH_POSTGRES"),
                        help="a PostgreSQL URL (or SPARBOT_BENCH_POSTGRES)")
    parser.add_argument("--growth", action="store_true",
                        help="the cost growth table alone: the main figures at 1,000, "
                             "10,000 and 30,000 cases")
    parser.add_argument("--only", choices=("roster", "results", "load"),
                        help="one part: the roster's figures, the results figures, or the "
                             "meeting-time load and memory alone")
    args = parser.parse_args()
    scale = Scale().scaled(args.scale)
    started = time.perf_counter()
    print(f"sparbot benchmarks · {machine()}")
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        urls = [(f"sqlite:///{folder}/bench.db", "SQLite")]
        if args.postgres:
            urls.append((args.postgres, "PostgreSQL"))
        for url, label in urls:
            if args.growth:
                figures += growth_bench(url, label)
            elif args.only == "load":
                figures += load_bench(url, label, scale)
            elif args.only != "results":
                figures += bench(url, label, scale)
            if args.only in (None, "results") and not args.growth:
                figures += results_bench(url, label)
    width = max(len(name) for name, _, _ in figures)
    for name, figure, floor in figures:
        print(f"{name:<{width}}  {figure:>22}  {floor}")
    print(f"(the whole run took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
