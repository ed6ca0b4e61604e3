"""`sparbot serve`, and a bare Bolt app behind the same waitress server, as processes of
their own (the benchmark's own threads must not share their interpreter lock), with their
resident memory read from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sparbot.bot.server import EVENTS_PATH
from sparbot.devtools.driver import SlackDriver
from sparbot.devtools.fake_slack import FakeSlack

SECRET = "bench"


@dataclass(frozen=True)
class Served:
    process: subprocess.Popen[bytes]
    url: str

    def memory(self) -> list[tuple[str, float, float]]:
        """(what, resident MB, peak MB) for the serving process and each worker."""
        found = [("serving process", *rss_of(self.process.pid))]
        for number, pid in enumerate(workers_of(self.process.pid)):
            found.append((f"worker {number + 1}", *rss_of(pid)))
        return sorted(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(command: list[str], slack: FakeSlack, env: dict[str, str] | None = None
           ) -> Iterator[Served]:
    """Start a server process on a free port; yield once it answers a signed request."""
    port = free_port()
    # Its log goes to a file, read only if it fails: a pipe nobody reads could fill.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([*command, "--port", str(port)],
                                   env={**os.environ, **(env or {})},
                                   stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://127.0.0.1:{port}{EVENTS_PATH}"
        driver = SlackDriver(url, SECRET, slack)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    driver.command("hjælp")
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(f"{command[2:4]} did not start: "
                                           + log.read().decode(errors="replace")) from None
                    time.sleep(0.2)
            yield Served(process, url)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def sparbot_serve(database_url: str, slack: FakeSlack, workers: int | None
                  ) -> tuple[list[str], dict[str, str]]:
    command = [sys.executable, "-m", "sparbot", "serve", "--no-upgrade"]
    if workers is not None:
        command += ["--workers", str(workers)]
    return command, {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-bench",
                     "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
                     "SPARBOT_STAFF": "U0MENTOR"}


def bare_serve(slack: FakeSlack) -> list[str]:
    return [sys.executable, "-m", "bench.bare", "--api", slack.api_url]


def rss_of(pid: int) -> tuple[float, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    rss, peak = (int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))
    return rss, peak


def workers_of(pid: int) -> list[int]:
    """The worker processes a serving process started (not multiprocessing's tracker)."""
    children = []  # each thread's own: a worker started again came from the watch thread
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            continue
    found = []
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(int(child))
    return sorted(found)
