"""The real processes: `sparbot run` in Socket Mode and `sparbot serve` in HTTP mode,
against a fake Slack on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sparbot.devtools.fake_slack import HANG, LOST, FakeSlack
from tests.fake_socket_mode import FakeSocketMode
from tests.test_slack_commands import block_text


@pytest.fixture
def socket_mode() -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as fake:
        yield fake


def test_run_answers_a_slash_command_over_socket_mode(
        tmp_path: Path, slack: FakeSlack, socket_mode: FakeSocketMode) -> None:
    slack.socket_mode_url = socket_mode.url
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-socket-test", "SLACK_APP_TOKEN": "xapp-socket-test",
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.db'}"})
    process = subprocess.Popen([sys.executable, "-m", "sparbot", "run", "--health-port", "-1"],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        socket_mode.wait_connected()
        envelope = socket_mode.send("slash_commands", {
            "token": "legacy", "team_id": "T0TEST", "team_domain": "sparbot-test",
            "channel_id": "C0SPARRING", "channel_name": "sparring", "user_id": "U0MENTOR",
            "user_name": "mette", "command": "/spar", "text": "hjælp",
            "api_app_id": "A0SPARBOT", "response_url": slack.response_url(),
            "trigger_id": "1.2.trigger"})
        socket_mode.wait_ack(envelope)
        reply = slack.wait_for("response_url", timeout=10)[0]
        assert "sparbot – sådan bruger du mig" in block_text(reply.blocks)
        assert [call.token for call in slack.calls_to("apps.connections.open")] == [
            "xapp-socket-test"]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "xoxb-socket-test" not in output and "xapp-socket-test" not in output


def listening_port(process: subprocess.Popen[str]) -> tuple[int, str]:
    """The port `sparbot serve --port 0` says it listens on, and the line that said it."""
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"listens on http://127\.0\.0\.1:(\d+)/slack/events", line)
        if found:
            return int(found.group(1)), line
    raise AssertionError("serve never said where it listens")


def health_of(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
        return dict(json.loads(answer.read()))


def test_serve_answers_signed_requests_and_health(tmp_path: Path, slack: FakeSlack) -> None:
    from sparbot.devtools.driver import SlackDriver

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": "serve-secret",
                "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"})
    process = subprocess.Popen([sys.executable, "-m", "sparbot", "serve", "--port", "0"],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        port, line = listening_port(process)
        record = json.loads(line)  # not a terminal: JSON lines for log shippers
        assert (record["level"], record["logger"]) == ("info", "sparbot")

        def health() -> dict[str, Any]:
            return health_of(port)

        before = health()
        assert {key: before[key] for key in ("ok", "database", "scheduler")} == {
            "ok": True, "database": "reachable", "scheduler": "running"}
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", "serve-secret", slack)
        assert driver.command("sager").status == 200
        reply = slack.wait_for("response_url", timeout=10)[0]
        assert "Der er ingen aktive sager endnu" in block_text(reply.blocks)
        # Bolt checked the token with auth.test on the first request: Slack was reached.
        assert slack.calls_to("auth.test")
        after = health()["slack"]
        assert after["last_ok"] is not None and after["seconds_since_ok"] <= 5
        assert after["last_error"] is None
        slack.fail_next("views.open", error="expired_trigger_id")
        assert driver.command("sag").status == 200  # opens the new-case form
        slack.wait_for("views.open", timeout=10)
        for _ in range(50):
            if health()["slack"]["last_error"] is not None:
                break
            time.sleep(0.1)
        assert health()["slack"]["last_error"] == "expired_trigger_id"
        assert driver.command("sager", signature="v0=" + "1" * 64).status == 401
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "xoxb-serve-test" not in output and "serve-secret" not in output


def three_people(tmp_path: Path, env: dict[str, str]) -> None:
    """Two mentors and a consultant, each with something due on 24 November."""
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("ref,programme,purpose,start,mentor,company_consultant\n"
                           "ZA,LFI,education,2026-09-01,U0MENTOR,U0CONSULT\n"
                           "EM,LFI,flex-job,2026-06-02,U0OTHER,U0CONSULT\n", encoding="utf-8")
    imported = subprocess.run([sys.executable, "-m", "sparbot", "import", "roster",
                               str(roster_file)], env=env, capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr


def sweep_process(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sparbot", "nudges", "run", "--now",
                             "2026-11-24T09:00"], env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def process_env(slack: FakeSlack, url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-race", "SLACK_API_URL": slack.api_url,
                "DATABASE_URL": url, **extra})
    return env


def test_two_processes_sweeping_at_once_send_each_digest_once(
        tmp_path: Path, slack: FakeSlack, shared_database: str) -> None:
    env = process_env(slack, shared_database)
    three_people(tmp_path, env)
    sweeps = [sweep_process(env, tmp_path) for _ in range(2)]
    outputs = [sweep.communicate(timeout=60)[0] for sweep in sweeps]
    assert all(sweep.returncode == 0 for sweep in sweeps), outputs
    posted = [call.args["channel"] for call in slack.calls_to("chat.postMessage")]
    assert sorted(posted) == ["U0CONSULT", "U0MENTOR", "U0OTHER"]


@pytest.mark.parametrize("fault", [HANG, LOST], ids=["after-it-reached-slack",
                                                      "before-it-reached-slack"])
def test_a_replica_killed_mid_sweep_loses_nothing_and_doubles_nothing(
        tmp_path: Path, slack: FakeSlack, shared_database: str, fault: int) -> None:
    """A replica is killed while Slack holds its first digest (posted, or never arrived).
    Two other replicas sweep after the send timeout: every person gets exactly one digest."""
    env = process_env(slack, shared_database, SPARBOT_SEND_TIMEOUT="1")
    three_people(tmp_path, env)
    slack.fail_next("chat.postMessage", status=fault)
    doomed = sweep_process(env, tmp_path)
    try:
        hung = "chat.postMessage" if fault == HANG else "chat.postMessage!lost"
        slack.wait_for(hung, timeout=30)
    finally:
        doomed.kill()  # SIGKILL: no cleanup, as when a container is killed
        doomed.communicate(timeout=10)
    time.sleep(1.5)  # past the send timeout: the claim is known to be abandoned
    sweeps = [sweep_process(env, tmp_path) for _ in range(2)]
    outputs = [sweep.communicate(timeout=60)[0] for sweep in sweeps]
    assert all(sweep.returncode == 0 for sweep in sweeps), outputs
    delivered = sorted(call.args["channel"] for call in slack.calls_to("chat.postMessage"))
    assert delivered == ["U0CONSULT", "U0MENTOR", "U0OTHER"]
    assert slack.calls_to("conversations.history"), "the abandoned digest was checked"
    from sqlalchemy import text

    from sparbot.db import make_engine

    engine = make_engine(shared_database)
    with engine.connect() as connection:
        statuses = sorted(connection.execute(text("SELECT status FROM digest")).scalars())
    engine.dispose()
    assert statuses == ["sent", "sent", "sent"]


@pytest.mark.parametrize(("fault", "after", "out_before_the_kill"), [
    (LOST, 0, 0),  # died posting the overview: nothing got out
    (LOST, 2, 2),  # the overview and the first case got out, the second never arrived
    (HANG, 2, 3),  # everything got out, but it died before recording it
], ids=["nothing-out", "half-out", "all-out-unrecorded"])
def test_an_agenda_posting_killed_midway_is_finished_once(
        tmp_path: Path, slack: FakeSlack, shared_database: str, fault: int, after: int,
        out_before_the_kill: int) -> None:
    """A replica dies while posting the agenda; two others run the job after the send
    timeout. The channel ends with the overview and each case exactly once."""
    slack.private_channels.add("C0SPARRING")
    env = process_env(slack, shared_database, SPARBOT_SEND_TIMEOUT="1",
                      SPARBOT_CHANNEL="C0SPARRING")
    three_people(tmp_path, env)
    command = [sys.executable, "-m", "sparbot", "agenda", "post", "--now", "2026-11-30T14:00"]
    slack.fail_next("chat.postMessage", status=fault, after=after)
    doomed = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        hung = "chat.postMessage" if fault == HANG else "chat.postMessage!lost"
        slack.wait_for(hung, count=out_before_the_kill if fault == HANG else 1, timeout=30)
    finally:
        doomed.kill()
        doomed.communicate(timeout=10)
    assert len(slack.calls_to("chat.postMessage")) == out_before_the_kill
    time.sleep(1.5)  # past the send timeout
    runs = [subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = sorted(run.communicate(timeout=60)[0].strip().splitlines()[-1] for run in runs)
    # Each says whether it sent any of it ("sendt"), found it out ("allerede sendt": all
    # out before the kill, and only recorded now), or found the other replica still sending
    # ("i kø": its claims held by the other); the outbox's claims decide who sends what.
    said = {output.split(" (")[0] for output in outputs}
    assert said <= {"sendt: mødet 1. dec 2026", "allerede sendt: mødet 1. dec 2026",
                    "i kø: mødet 1. dec 2026"}, outputs
    assert sum(output.startswith("i kø") for output in outputs) <= 1, outputs
    assert ("sendt: mødet 1. dec 2026" in outputs) == (out_before_the_kill < 3), outputs
    posts = [block_text(call.blocks) for call in slack.calls_to("chat.postMessage")]
    assert len(posts) == 3
    assert sum("Dagsorden: sparringsmøde tirsdag 1. dec 2026" in post for post in posts) == 1
    assert sorted(post.split("*")[1] for post in posts[-3:] if post.startswith("*")) == [
        "1. EM", "2. ZA"]
    from sqlalchemy import text

    from sparbot.db import make_engine

    engine = make_engine(shared_database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT status FROM meeting")).scalars().all() == [
            "posted"]
        threads = connection.execute(text(
            "SELECT thread_ts FROM agenda_item WHERE reached ORDER BY position")).scalars()
        assert all(threads)
    engine.dispose()


def test_a_database_that_is_down_at_start_up_is_waited_for_then_named(tmp_path: Path) -> None:
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-down", "SLACK_SIGNING_SECRET": "down-secret",
                "SLACK_API_URL": "http://127.0.0.1:9/api/", "SPARBOT_DB_ATTEMPTS": "2",
                "DATABASE_URL": f"postgresql+psycopg://postgres:pw-secret@127.0.0.1:{port}/x"})
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "sparbot", "serve", "--port", "0"],
                            env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    assert "retrying in 2s (1/2)" in result.stderr
    assert "databasen i DATABASE_URL kan ikke nås (prøvet 2×)" in result.stderr
    assert "pw-secret" not in result.stderr + result.stdout
    assert time.monotonic() - started >= 2


def start_entrypoint(tmp_path: Path, slack: FakeSlack, **extra: str
                     ) -> subprocess.Popen[str]:
    """The container's entrypoint, outside Docker, on the fake Slack and a database of its
    own; HOST and PORT as the image sets them, the port left to the system."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    sparbot_bin = shutil.which("sparbot") or str(Path(sys.executable).parent / "sparbot")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "SPARBOT_", "DATABASE_URL"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-entry", "SLACK_API_URL": slack.api_url,
                "HOST": "127.0.0.1", "PORT": "0", "SPARBOT_BIN": sparbot_bin,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'entry.db'}", **extra})
    return subprocess.Popen(["bash", str(root / "docker" / "entrypoint.sh")], env=env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def port_said(process: subprocess.Popen[str], pattern: str) -> tuple[int, list[str]]:
    """The port the process logs (the first group of `pattern`), and the lines up to it."""
    import re

    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        found = re.search(pattern, line)
        if found:
            return int(found.group(1)), lines
    raise AssertionError("".join(lines))


def healthz(port: int) -> dict[str, object]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
        return dict(json.loads(answer.read()))


def test_the_container_entrypoint_migrates_then_serves(tmp_path: Path, slack: FakeSlack) -> None:
    process = start_entrypoint(tmp_path, slack, SLACK_SIGNING_SECRET="entry-secret")
    try:
        port, lines = port_said(process, r"listens on http://127\.0\.0\.1:(\d+)/slack/events")
        assert any("Databasen er opdateret." in line for line in lines)
        assert healthz(port)["ok"] is True
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_container_healthcheck_answers_in_socket_mode_too(
        tmp_path: Path, slack: FakeSlack, socket_mode: FakeSocketMode) -> None:
    """SPARBOT_MODE=run: Slack's requests come over the socket, and /healthz alone is
    served where the image's HEALTHCHECK polls it."""
    slack.socket_mode_url = socket_mode.url
    process = start_entrypoint(tmp_path, slack, SPARBOT_MODE="run",
                               SLACK_APP_TOKEN="xapp-entry")
    try:
        port, _lines = port_said(process, r"health on http://127\.0\.0\.1:(\d+)/healthz")
        health = healthz(port)
        assert health["ok"] is True and health["scheduler"] == "running"
        socket_mode.wait_connected()  # and the bot itself is on the socket
    finally:
        process.terminate()
        process.communicate(timeout=10)
