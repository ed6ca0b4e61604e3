"""The front: what stands on a request's path when the work runs in worker processes
(`sparbot serve --workers N`, sparbot.bot.workers). Bolt's own checks, the CPR guard, the
ack the Door would give, then the request is handed over as it came: a worker process
runs it through the Door and its handler. The ack never waits on the work, the database
or the interpreter lock the work holds.

A form's submission is Slack's exception: its errors travel in the ack, so the front
waits for the worker's answer to it (at most ANSWER_WITHIN seconds)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.kwargs_injection.args import Args

from sparbot.bot.dispatch import Door
from sparbot.bot.entries import Entry, Kind
from sparbot.bot.workers import Job, WorkerPool

log = logging.getLogger(__name__)

# Slack closes a form that is not answered in 3 s; what is left is for the network.
ANSWER_WITHIN = 2.5


def job_of(args: Args) -> Job:
    request = args.request
    return Job(body=request.raw_body,
               headers={name: list(values) for name, values in request.headers.items()})


class Front:
    """The listeners Bolt is given in the serving process; the Door's in the workers."""

    def __init__(self, door: Door, pool: WorkerPool) -> None:
        self.door = door
        self.pool = pool

    def command_listener(self, args: Args) -> None:
        heard = self.door.hear(args.command or {})
        if heard.refusal is not None:
            args.ack(text=heard.refusal)
        else:
            args.ack()
        self.pool.submit(job_of(args))

    def listener_for(self, entry: Entry) -> Callable[[Args], Any]:
        def forward(args: Args) -> BoltResponse | None:
            if entry.kind is not Kind.VIEW:
                args.ack()
                self.pool.submit(job_of(args))
                return None
            answered = self.pool.ask(job_of(args), ANSWER_WITHIN)
            if answered is None:  # the form closes; the worker still saves what was sent
                log.warning("no worker answered a form within %s s", ANSWER_WITHIN)
                args.ack()
            return answered

        forward.__name__ = f"forward_{entry.kind.value}_{entry.id}".replace("-", "_")
        return forward
