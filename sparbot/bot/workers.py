"""Worker processes: where the work after the ack runs when `sparbot serve --workers N`.

Why processes, not a thread pool: the work (the database, rendering Block Kit, replies) is
Python and holds the interpreter lock; threads in the serving process would make every
ack wait its turn for it, which is what the load benchmark measured (bench/load.py). In
processes of their own, at a lower CPU priority, the work uses every core and the ack is
never behind it. A burst of requests queues jobs here; it never delays an ack.

Each worker runs THREADS requests at once (they wait on the database and on Slack much
of the time), so at most N × THREADS requests are worked on together, and one more thread
for the forms whose ack waits on their check. A worker that dies
is started again; the requests it held are lost, as they would be with the process."""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass, field, replace
from multiprocessing.process import BaseProcess
from typing import Any

from slack_bolt import BoltResponse

from sparbot.bot.slack_calls import SLACK_CALLS
from sparbot.logs import request_id

log = logging.getLogger(__name__)

THREADS = 4
NICENESS = 10  # below the front, so that the ack is never behind the work for a core
STARTED_WITHIN = 120.0


def default_workers() -> int:
    """One worker per core, at most four (a meeting's load does not need more)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Job:
    """A request as it came (verified at the front): a worker dispatches it again."""
    body: str
    headers: dict[str, list[str]]
    answer: bool = False  # the front waits for its ack (a form's submission)
    number: int = 0
    request_id: str | None = field(default_factory=lambda: request_id.get())


@dataclass
class Lane:
    """One worker's own queues. Not shared between workers: a process killed while it
    holds a queue's lock would stop every other reader of that queue."""
    process: BaseProcess
    jobs: Any
    urgent: Any  # forms waiting for their ack: a thread that does nothing else takes them
    answers: Any
    held: int = 0  # handed over and not yet done
    reader: threading.Thread | None = None


class WorkerPool:
    """The serving process's side: starts the workers, hands each job to the one holding
    the fewest, waits for the answers it needs, and keeps them running."""

    def __init__(self, processes: int, threads: int = THREADS) -> None:
        self.context = multiprocessing.get_context("spawn")  # no threads or sockets copied
        self.size, self.threads = processes, threads
        self.lanes: list[Lane | None] = [None] * processes
        self._numbers = itertools.count(1)
        self._waiting: dict[int, queue.SimpleQueue[BoltResponse]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Semaphore(0)
        self._stopping = threading.Event()

    # --- running -------------------------------------------------------------------------
    def start(self) -> WorkerPool:
        for index in range(self.size):
            self._start(index)
        deadline = time.monotonic() + STARTED_WITHIN
        for _ in range(self.size):
            if not self._ready.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise RuntimeError("the worker processes did not start")
        threading.Thread(target=self._keep_running, name="worker-watch", daemon=True).start()
        log.info("%s worker processes, %s requests each at a time", self.size, self.threads)
        return self

    def _start(self, index: int) -> None:
        from sparbot.bot.worker import work

        jobs, urgent, answers = (self.context.Queue() for _ in range(3))
        process = self.context.Process(target=work, name=f"sparbot-worker-{index}",
                                       args=(index, jobs, urgent, answers, self.threads,
                                             NICENESS), daemon=True)
        process.start()
        lane = Lane(process, jobs, urgent, answers)
        with self._lock:
            self.lanes[index] = lane
        lane.reader = threading.Thread(target=self._read_answers, args=(lane,), daemon=True,
                                       name=f"worker-answers-{index}")
        lane.reader.start()

    def _keep_running(self) -> None:
        while not self._stopping.wait(1.0):
            for index, lane in enumerate(self.lanes):
                if lane is not None and not lane.process.is_alive() and \
                        not self._stopping.is_set():
                    log.error("worker %s stopped (exit code %s); starting it again", index,
                              lane.process.exitcode)
                    lane.answers.put(None)
                    self._start(index)

    @property
    def alive(self) -> int:
        return sum(1 for lane in self.lanes if lane is not None and lane.process.is_alive())

    def stop(self, within: float = 10.0) -> None:
        """Let the workers finish what they hold, then end them."""
        self._stopping.set()
        lanes = [lane for lane in self.lanes if lane is not None]
        for lane in lanes:
            for _ in range(self.threads):
                lane.jobs.put(None)
            lane.urgent.put(None)
        deadline = time.monotonic() + within
        for lane in lanes:
            lane.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if lane.process.is_alive():
                lane.process.terminate()
            lane.answers.put(None)
        for lane in lanes:
            if lane.reader is not None:
                lane.reader.join(timeout=5)

    # --- jobs ----------------------------------------------------------------------------
    def _lane(self) -> Lane:
        with self._lock:
            lane = min((lane for lane in self.lanes if lane is not None),
                       key=lambda lane: lane.held)
            lane.held += 1
            return lane

    def submit(self, job: Job) -> None:
        self._lane().jobs.put(job)

    def ask(self, job: Job, within: float) -> BoltResponse | None:
        """Hand over a job and wait for its ack; None if none came in time."""
        number = next(self._numbers)
        answer: queue.SimpleQueue[BoltResponse] = queue.SimpleQueue()
        with self._lock:
            self._waiting[number] = answer
        try:
            self._lane().urgent.put(replace(job, answer=True, number=number))
            return answer.get(timeout=within)
        except queue.Empty:
            return None
        finally:
            with self._lock:
                self._waiting.pop(number, None)

    def _read_answers(self, lane: Lane) -> None:
        while True:
            try:
                message = lane.answers.get()
            except Exception:  # the queue closed under it: the process is ending
                return
            if message is None:
                return
            kind = message[0]
            if kind == "ready":
                self._ready.release()
            elif kind == "done":
                with self._lock:
                    lane.held -= 1
            elif kind == "ack":
                _, number, status, body, headers = message
                with self._lock:
                    waiting = self._waiting.get(number)
                if waiting is not None:
                    waiting.put(BoltResponse(status=status, body=body, headers=headers))
            elif kind == "slack":  # the health endpoint tells of every process's calls
                _, error = message
                if error is None:
                    SLACK_CALLS.succeeded()
                else:
                    SLACK_CALLS.failed(error)
