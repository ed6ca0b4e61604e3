"""Meeting-time load: twenty people at the sparring meeting typing at once. Each of SENDERS
threads is one person sending PER_PERSON signed slash commands (a mix of what people type
in the meeting), each after the answer to the one before, to `sparbot`'s app and to a bare
Bolt app that only acks, both behind the same waitress server as `sparbot serve`. Printed:
the ack's median, p99 and max beside the bare app's under the same load, and the time to
each reply (request sent → the reply posted to its response_url)."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from sparbot.db import SessionFactory

SENDERS = 20
PER_PERSON = 10
MIX = ("sag C00001", "sager", "dagsorden", "hjælp", "beslutninger", "sag C00002",
       "sag C00003", "beslutninger C00001", "sag C00004", "sager")
Figure = tuple[str, str, str]


def _quantiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * .99))],
            ordered[-1])


def _ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def load_figures(engine: Engine, sessions: SessionFactory, label: str) -> list[Figure]:
    from slack_bolt import App
    from slack_sdk import WebClient

    from sparbot.bot.app import create_app
    from sparbot.bot.server import EVENTS_PATH, BackgroundServer, build_wsgi_app
    from sparbot.config import Settings
    from sparbot.devtools.driver import SlackDriver
    from sparbot.devtools.fake_slack import FakeSlack

    with FakeSlack(validate_reference=False) as slack:
        settings = Settings(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="bench",
                            SLACK_API_URL=slack.api_url, SPARBOT_STAFF="U0MENTOR",
                            _env_file=None)
        ours = create_app(settings, sessions)
        bare = App(signing_secret="bench",
                   client=WebClient(token="xoxb-bench", base_url=slack.api_url))
        bare.command("/spar")(lambda ack: ack())
        servers = {name: BackgroundServer(build_wsgi_app(app, engine)).start()
                   for name, app in (("ours", ours), ("bare", bare))}
        measured: dict[str, tuple[list[float], list[float]]] = {}
        try:
            for name, server in servers.items():
                url = f"http://127.0.0.1:{server.port}{EVENTS_PATH}"
                replies = name == "ours"

                def person(number: int, url: str = url, replies: bool = replies,
                           name: str = name
                           ) -> tuple[list[float], list[float]]:
                    driver = SlackDriver(url, "bench", slack)
                    acks, answered = [], []
                    for turn in range(PER_PERSON):
                        response_url = slack.response_url()
                        sent = time.monotonic()
                        response = driver.command(MIX[(number + turn) % len(MIX)],
                                                  response_url=response_url)
                        if response.status != 200:
                            raise RuntimeError(f"{name}: HTTP {response.status}")
                        acks.append(response.elapsed)
                        if replies:  # a person reads the answer before typing again
                            answered.append(slack.wait_for_reply(response_url, 60).at - sent)
                    return acks, answered

                with ThreadPoolExecutor(max_workers=SENDERS) as people:
                    results = list(people.map(person, range(SENDERS)))
                measured[name] = ([ack for acks, _ in results for ack in acks],
                                  [reply for _, answered in results for reply in answered])
                slack.clear()
        finally:
            for server in servers.values():
                server.stop()
            ours.listener_runner.listener_executor.shutdown(wait=True)
    ours_ack, bare_ack = _quantiles(measured["ours"][0]), _quantiles(measured["bare"][0])
    reply = _quantiles(measured["ours"][1])
    requests = SENDERS * PER_PERSON
    return [
        (f"{label}: ack under load, {SENDERS} people × {PER_PERSON} commands "
         "(median / p99 / max)",
         f"{_ms(ours_ack[0])} / {_ms(ours_ack[1])} / {_ms(ours_ack[2])} ms",
         f"bare Bolt on the same server {_ms(bare_ack[0])} / {_ms(bare_ack[1])} / "
         f"{_ms(bare_ack[2])} ms · p99 ratio {ours_ack[1] / bare_ack[1]:.1f} (target <= 2) · "
         f"{requests} requests"),
        (f"{label}: reply under load (median / p99 / max)",
         f"{_ms(reply[0])} / {_ms(reply[1])} / {_ms(reply[2])} ms",
         "request sent → reply posted · target: none later than 3 s"),
    ]
