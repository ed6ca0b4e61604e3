"""Where the interpreter goes under the meeting's load, with everything in one process:
`python -m bench.profile_load` seeds the 10,000-case roster (SQLite), starts `sparbot serve
--workers 0`, samples the thread holding the interpreter with py-spy (`pip install py-spy`;
not a dependency) while the twenty people of one team work, and prints the shares."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.__main__ import seeded, with_teams
from bench.load import hours_form, run_load, team_serve, the_team
from bench.roster import Scale
from bench.serving import served
from sparbot.devtools.fake_slack import FakeSlack

# What a sample's stack says it was doing, first match wins.
KINDS = (("database (SQLAlchemy, SQLModel, the driver)", ("sqlalchemy", "sqlmodel", "sqlite3",
                                                         "psycopg")),
         ("rendering Block Kit (Jinja)", ("jinja2", "/render", "blocks")),
         ("replies to Slack (slack_sdk, HTTP)", ("slack_sdk", "urllib", "http/client")),
         ("sparbot's services", ("services/",)),
         ("request handling and acks (waitress, Bolt, the gate)", ("waitress", "slack_bolt",
                                                                  "bot/")))


def shares(raw: Path) -> tuple[int, Counter[str]]:
    kinds: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        total += int(count)
        kind = next((name for name, marks in KINDS if any(mark in stack for mark in marks)),
                    "other")
        kinds[kind] += int(count)
    return total, kinds


def main() -> None:
    spy = shutil.which("py-spy")
    if spy is None:
        sys.exit("py-spy is not installed: pip install py-spy")
    with tempfile.TemporaryDirectory() as folder:
        scale = Scale()
        engine, url = seeded(f"sqlite:///{folder}/bench.db", scale)
        with_teams(engine, scale)
        refs = the_team(engine)
        raw = Path(folder) / "samples.txt"
        with FakeSlack(validate_reference=False) as slack:
            command, env = team_serve(url, slack, 0)
            with served(command, slack, env) as server:
                form = hours_form(server, slack, refs[0])
                sampler = subprocess.Popen(
                    [spy, "record", "--pid", str(server.process.pid), "--rate", "250",
                     "--format", "raw", "--gil", "--nonblocking", "-o", str(raw)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1.5)  # py-spy attached
                started = time.perf_counter()
                run_load(server, slack, form, refs, replies=True)
                took = time.perf_counter() - started
                sampler.send_signal(2)
                sampler.wait(30)
        total, kinds = shares(raw)
    print(f"the load took {took:.1f} s; the interpreter was held {total / 250:.1f} s of it")
    for kind, count in kinds.most_common():
        print(f"{100 * count / total:5.1f} %  {kind}")


if __name__ == "__main__":
    main()
