"""One worker process (sparbot.bot.workers): the whole bot, fed the requests the front
has verified and acked. Each request goes through Bolt and the Door exactly as in a single
process; a form's ack goes back to the front the moment the handler gives it."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Any

from slack_bolt import Ack, BoltRequest, BoltResponse

from sparbot.logs import configure_logging, request_id

log = logging.getLogger(__name__)

TELL_OK_EVERY = 1.0  # seconds: a success is news to the health endpoint once a second


class TellingAck(Ack):
    """An ack that sends its response to the front as soon as it is given, while the
    handler goes on."""

    def __init__(self, number: int, answers: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.number, self.answers, self.told = number, answers, False

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        self.tell(response)
        return response

    def tell(self, response: BoltResponse) -> None:
        if not self.told:
            self.told = True
            self.answers.put(("ack", self.number, response.status, response.body,
                              {name: list(values) for name, values in
                               response.headers.items()}))


def work(index: int, jobs: Any, urgent: Any, answers: Any, threads: int, niceness: int
         ) -> None:
    """The process's life: build the bot, say ready, work until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the front, which stops us
    configure_logging()
    os.nice(niceness)
    from sparbot.bot.app import create_bolt_app, make_deps
    from sparbot.bot.slack_calls import SLACK_CALLS
    from sparbot.cli_common import current_settings
    from sparbot.db import make_engine, session_factory

    settings = current_settings()
    engine = make_engine(settings.database_url)
    app = create_bolt_app(make_deps(settings, session_factory(engine)),
                          process_before_response=True, request_verification_enabled=False)
    SLACK_CALLS.tell = _teller(answers)
    parent = os.getppid()
    answers.put(("ready", index))

    def run(lane: Any) -> None:
        while True:
            job = lane.get()
            if job is None:
                return
            handle(app, job, answers)

    workers = [threading.Thread(target=run, args=(jobs,), name=f"work-{number}", daemon=True)
               for number in range(threads)]
    workers.append(threading.Thread(target=run, args=(urgent,), name="forms", daemon=True))
    for thread in workers:
        thread.start()
    while any(thread.is_alive() for thread in workers):
        if os.getppid() != parent:  # the front is gone: nobody will hear us
            os._exit(0)
        time.sleep(1.0)
    engine.dispose()


def handle(app: Any, job: Any, answers: Any) -> None:
    request_id.set(job.request_id)
    request = BoltRequest(body=job.body, headers=job.headers, mode="http")
    ack = TellingAck(job.number, answers) if job.answer else None
    if ack is not None:
        request.context["ack"] = ack
    try:
        response = app.dispatch(request)
    except Exception:  # Bolt answers errors itself; this is what it did not catch
        log.exception("a request failed in the worker")
        response = BoltResponse(status=500, body="")
    if ack is not None:
        ack.tell(response)  # no-op when the handler acked
    answers.put(("done",))


def _teller(answers: Any) -> Any:
    last = [0.0]

    def tell(error: str | None) -> None:
        now = time.monotonic()
        if error is None and now - last[0] < TELL_OK_EVERY:
            return
        last[0] = now
        answers.put(("slack", error))

    return tell
