"""The collector pause around whole-roster reads: counted, and restoring what was before."""

from __future__ import annotations

import gc
import threading

from sparbot.services.collector import collector_paused


def test_the_pause_nests_and_resumes_once_when_the_last_read_ends() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        inner_done = threading.Event()

        def another_read() -> None:
            with collector_paused():
                assert not gc.isenabled()
            inner_done.set()

        worker = threading.Thread(target=another_read)
        worker.start()
        worker.join()
        assert inner_done.is_set() and not gc.isenabled()  # the outer read still runs
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
