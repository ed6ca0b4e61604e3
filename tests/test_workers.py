"""`sparbot serve` with worker processes: the serving process acks and hands each request
over; the workers do the work. Every kind of request goes through, a form's errors come
back in its ack, what is refused at the door never reaches a worker, and a worker that
dies is started again."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bench.serving import workers_of
from sparbot.db import make_engine
from sparbot.devtools.driver import SlackDriver
from sparbot.devtools.fake_slack import FakeSlack
from tests.test_processes import health_of, listening_port, process_env, three_people
from tests.test_slack_commands import block_text


@dataclass
class Serving:
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    def health(self) -> dict[str, Any]:
        return health_of(self.port)


@pytest.fixture
def serving(tmp_path: Path, slack: FakeSlack, shared_database: str
            ) -> Iterator[tuple[Serving, dict[str, str]]]:
    env = process_env(slack, shared_database, SLACK_SIGNING_SECRET="serve-secret",
                      SPARBOT_ADMINS="U0MENTOR", SPARBOT_STAFF="U0OTHER,U0CONSULT")
    three_people(tmp_path, env)
    process = subprocess.Popen([sys.executable, "-m", "sparbot", "serve", "--port", "0",
                                "--workers", "2"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Serving(process, listening_port(process)[0])
    # Read the rest as it comes: a pipe nobody reads could fill and stop the server.
    reader = threading.Thread(target=lambda: served.output.extend(process.stdout or []),
                              daemon=True)
    reader.start()
    try:
        yield served, env
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=5)
    output = "".join(served.output)
    assert "xoxb-race" not in output and "serve-secret" not in output
    assert "Traceback" not in output, output


def test_every_kind_of_request_is_acked_at_once_and_worked_on_by_a_worker_but_refusals(
        serving: tuple[Serving, dict[str, str]], slack: FakeSlack) -> None:
    served, env = serving
    health = served.health()
    assert health["ok"] is True and health["workers"] == {"running": 2, "of": 2}
    driver = SlackDriver(f"http://127.0.0.1:{served.port}/slack/events", "serve-secret", slack)

    # A command: acked empty, answered by a worker at its response_url.
    url = slack.response_url()
    assert driver.command("sag ZA", response_url=url).body == ""
    assert "ZA" in block_text(slack.wait_for_reply(url, 30).blocks)
    # A button: the roster's next page, answered in place.
    url = slack.response_url()
    driver.click("roster-page", '{"mine":false,"page":1}', response_url=url)
    assert "ZA" in block_text(slack.wait_for_reply(url, 30).blocks)
    # An event: the App Home is published.
    driver.open_home("U0MENTOR")
    assert slack.wait_for("views.publish", timeout=30)[0].args["user_id"] == "U0MENTOR"

    # A form: its errors come back in the ack, from the worker that checked it.
    driver.command("timer ZA")
    form = slack.wait_for("views.open", timeout=30)[0].view or {}
    answer = driver.submit(form, {"hours": "mange"}).json()
    assert answer["response_action"] == "errors" and "hours" in answer["errors"]
    assert driver.submit(form, {"hours": "12"}).status == 200
    engine = make_engine(env["DATABASE_URL"])
    try:
        deadline = time.monotonic() + 30
        while True:
            with engine.connect() as connection:
                hours = connection.execute(text(
                    "SELECT internship_hours FROM hours_entry")).scalars().all()
            if hours or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        engine.dispose()
    assert [float(value) for value in hours] == [12.0]

    # What the door refuses is said in the ack and never reaches a worker.
    stranger = driver.command("sager", user_id="U0STRANGER").body
    assert "Du har ikke adgang til sparbot" in stranger
    url = slack.response_url()
    refused = driver.command("sag ny 010203-1234", response_url=url).body
    assert "Det ligner et CPR-nummer" in refused
    assert driver.command("sager", signature="v0=" + "1" * 64).status == 401
    # The worker after them answers; nothing came back for the refused one.
    after = slack.response_url()
    driver.command("sager", response_url=after)
    slack.wait_for_reply(after, 30)
    assert not [call for call in slack.calls if call.url_id == url.rsplit("/", 1)[-1]]
    assert "010203" not in "".join(served.output)


def test_a_worker_that_dies_is_started_again(
        serving: tuple[Serving, dict[str, str]], slack: FakeSlack) -> None:
    import os

    served, _ = serving
    first = workers_of(served.process.pid)
    assert len(first) == 2
    os.kill(first[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = workers_of(served.process.pid)
        if len(now) == 2 and first[0] not in now and served.health()["workers"]["running"] == 2:
            break
        time.sleep(0.2)
    assert served.health()["workers"] == {"running": 2, "of": 2}
    driver = SlackDriver(f"http://127.0.0.1:{served.port}/slack/events", "serve-secret", slack)
    for _ in range(4):  # answered, whichever worker takes it
        url = slack.response_url()
        driver.command("sager", response_url=url)
        assert "ZA" in block_text(slack.wait_for_reply(url, 30).blocks)
