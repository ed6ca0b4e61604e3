"""Pausing Python's cyclic garbage collector while a whole-roster read builds its objects.

Reading 10,000 cases makes some 100,000 objects that all live until the read is done. Each
batch that survives makes CPython's collector run again over every object in the process,
so a full sweep spent about 40% of its time collecting nothing. Paused, reference counting
still frees all that is freed; only cycles wait until the collector resumes, a moment
later. The pause is counted, so overlapping reads on several threads resume it once, and
only if it was running before."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
