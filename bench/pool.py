"""A listener pool for the benchmarks that says when every listener has finished."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any


class TrackedPool(ThreadPoolExecutor):
    """Bolt's listener pool, telling when every listener has finished: one person at a
    time means the next command comes after the last one's work is done, not merely after
    its answer arrived (freeing a 10,000-case agenda takes a moment after it is sent)."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers)
        self.pending: set[Future[Any]] = set()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self.pending.add(future)
        return future

    def wait_idle(self) -> None:
        futures_wait(list(self.pending))
        self.pending.clear()
