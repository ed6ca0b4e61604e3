"""Meeting-time load: twenty people at the sparring meeting at once. Each of SENDERS threads
is one person sending PER_PERSON signed requests – the meeting's mix of slash commands, a
button (the roster's next page) and the hours form (one filled in wrongly, whose errors
come back in the ack) – each after the answer to the one before. They go to `sparbot
serve` with its worker processes, to `sparbot serve --workers 0` (everything in one
process, as before issue 20) and to a bare Bolt app that only acks, each a process of its
own behind the same waitress server. Printed: the ack's median, p99 and max (a form's
apart: its check comes before its ack), and the time to each answer (request sent → the
reply posted to its response_url; for a form, its ack)."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, text

from bench.serving import SECRET, Served, bare_serve, served, sparbot_serve
from sparbot.devtools.driver import SlackDriver
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.models import TeamMember

SENDERS = 20
PER_PERSON = 10
# What one person does in turn: ("command", text), ("click", roster page) or ("form", hours).
# {0}, {1}, {2}: three of the team's cases.
MIX: tuple[tuple[str, str], ...] = (
    ("command", "sag {0}"), ("command", "sager"), ("click", '{{"mine":false,"page":2}}'),
    ("command", "dagsorden"), ("form", "mange"), ("command", "hjælp"),
    ("command", "beslutninger"), ("click", '{{"mine":false,"page":3}}'), ("form", "12"),
    ("command", "sag {2}"))
PEOPLE = tuple(f"U0PERSON{number:02d}" for number in range(SENDERS))
CHANNEL = "C0TEAM0001"  # team 1's channel: its meeting, its agenda
Figure = tuple[str, str, str]
# The acks, the answers, the forms' acks, and what Slack would have shown as an error.
Samples = tuple[list[float], list[float], list[float], list[str]]


def _quantiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * .99))],
            ordered[-1])


def _three(samples: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    return " / ".join(f"{value * scale:.{0 if unit == 'ms' else 1}f}"
                      for value in _quantiles(samples)) + f" {unit}"


def hours_form(server: Served, slack: FakeSlack, ref: str) -> dict[str, Any]:
    """The hours form as the bot opens it, for the people to fill in."""
    slack.clear()
    SlackDriver(server.url, SECRET, slack).command(f"timer {ref}", user_id=PEOPLE[0],
                                                   channel_id=CHANNEL)
    return slack.wait_for("views.open", timeout=30)[0].view or {}


def run_load(server: Served, slack: FakeSlack, form: dict[str, Any], refs: list[str], *,
             replies: bool) -> Samples:
    def person(number: int) -> Samples:
        driver = SlackDriver(server.url, SECRET, slack)
        acks: list[float] = []
        answered: list[float] = []
        forms: list[float] = []
        failed: list[str] = []
        for turn in range(PER_PERSON):
            kind, what = MIX[(number + turn) % len(MIX)]
            what, who = what.format(*refs), PEOPLE[number]
            response_url = slack.response_url()
            sent = time.monotonic()
            if kind == "command":
                response = driver.command(what, user_id=who, channel_id=CHANNEL,
                                          response_url=response_url)
            elif kind == "click":
                response = driver.click("roster-page", what, user_id=who, channel_id=CHANNEL,
                                        response_url=response_url)
            else:
                response = driver.submit(form, {"hours": what}, user_id=who)
            (forms if kind == "form" else acks).append(response.elapsed)
            if response.status != 200:  # Bolt gave up waiting for the ack (3 s): Slack
                failed.append(kind)     # shows the person an error
            if replies and kind != "form":  # a person reads the answer before going on
                try:
                    answered.append(slack.wait_for_reply(response_url, 120).at - sent)
                except AssertionError:
                    failed.append(f"{kind} unanswered")
            elif replies:
                answered.append(response.elapsed)
        return acks, answered, forms, failed

    with ThreadPoolExecutor(max_workers=SENDERS) as people:
        results = list(people.map(person, range(SENDERS)))
    slack.clear()
    return ([ack for acks, _, _, _ in results for ack in acks],
            [reply for _, answered, _, _ in results for reply in answered],
            [ack for _, _, forms, _ in results for ack in forms],
            [kind for _, _, _, failed in results for kind in failed])


def the_team(engine: Engine) -> list[str]:
    """The twenty people work in team 1 (as its channel's members would); three of its
    cases for them to look up."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM team_member WHERE team_id = 1"))
        connection.execute(insert(TeamMember), [
            {"team_id": 1, "slack_user_id": person, "source": "operator",
             "created_at": datetime.now(UTC)} for person in PEOPLE])
        return list(connection.execute(text(
            'SELECT ref FROM "case" WHERE team_id = 1 ORDER BY id LIMIT 3')).scalars())


def team_serve(database_url: str, slack: FakeSlack, workers: int | None
               ) -> tuple[list[str], dict[str, str]]:
    """`sparbot serve` (and its environment) with the twenty people as its staff."""
    command, env = sparbot_serve(database_url, slack, workers)
    return command, {**env, "SPARBOT_STAFF": ",".join(PEOPLE)}


def load_figures(engine: Engine, database_url: str, label: str) -> list[Figure]:
    """The load at one team's meeting, in a roster of teams."""
    measured: dict[str, Samples] = {}
    refs = the_team(engine)
    with FakeSlack(validate_reference=False) as slack:
        for name, workers in (("workers", None), ("one process", 0)):
            command, env = team_serve(database_url, slack, workers)
            with served(command, slack, env) as server:
                measured[name] = run_load(server, slack, hours_form(server, slack, refs[0]),
                                          refs, replies=True)
        with served(bare_serve(slack), slack) as server:
            measured["bare"] = run_load(server, slack, hours_form_for_bare(), refs,
                                        replies=False)
    bare_acks, _, bare_forms, _ = measured["bare"]
    bare_p99 = _quantiles(bare_acks)[1]
    requests = SENDERS * PER_PERSON
    figures = [(f"{label}: load, bare Bolt's ack (median / p99 / max)", _three(bare_acks),
                f"the floor: the same server and load · {requests} requests from the "
                f"{SENDERS} people of one team; its forms' ack {_three(bare_forms)}")]
    for name, title in (("workers", "sparbot serve"),
                        ("one process", "sparbot serve --workers 0")):
        acks, answers, forms, failed = measured[name]
        figures += [
            (f"{label}: load, {title}: ack", _three(acks),
             f"commands and buttons · p99 ratio to bare {_quantiles(acks)[1] / bare_p99:.1f}"
             " (target <= 2)"),
            (f"{label}: load, {title}: a form's ack", _three(forms),
             "its check comes first (Slack shows errors only from the ack) · "
             f"{sum(1 for ack in forms if ack > 3)} later than 3 s"),
            (f"{label}: load, {title}: answer", _three(answers, "s"),
             f"request → reply posted · {sum(1 for a in answers if a > 3)} of "
             f"{len(answers)} later than 3 s (target: none) · not acked within Slack's "
             f"3 s: {len(failed)}")]
    return figures


def hours_form_for_bare() -> dict[str, Any]:
    """A form of the same shape for the bare app (which opens none)."""
    return {"type": "modal", "callback_id": "hours-modal", "blocks": [
        {"type": "input", "block_id": "hours", "label": {"type": "plain_text", "text": "t"},
         "element": {"type": "plain_text_input", "action_id": "hours"}}]}
