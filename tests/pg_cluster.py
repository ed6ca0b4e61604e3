"""A PostgreSQL cluster of the tests' own (initdb and pg_ctl under a temporary folder), to
stop and start under a running bot: the fault suite's database going away for real."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

BINARIES = ("initdb", "pg_ctl")
SKIP_REASON = ("initdb and pg_ctl (PostgreSQL's server binaries) are not on PATH: the "
               "database fault suite needs a cluster of its own to stop and start")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgCluster:
    """initdb'd once; `stop()` and `start()` as often as a test likes."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.port = _free_port()
        # initdb refuses to run as root: then the cluster is the postgres user's.
        self.run_as = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        argv = list(command)
        if self.run_as:
            argv = ["runuser", "-u", self.run_as, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.base / "server.log"), "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")


@contextmanager
def own_cluster() -> Iterator[PgCluster]:
    """A running cluster, removed afterwards; skipped where the binaries are missing."""
    if not all(shutil.which(binary) for binary in BINARIES):
        pytest.skip(SKIP_REASON)
    base = Path(tempfile.mkdtemp(prefix="sparbot-pg-"))
    cluster = PgCluster(base)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):  # it was stopped already
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
