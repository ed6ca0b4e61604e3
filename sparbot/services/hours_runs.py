"""Each hours entry stamped with what came before it: where the unbroken run of the same
hours began, and the entry just before (what the hours went up or down from).

The agenda reads a case's hours trend from its latest entry alone; these stamps are what
make that possible for a whole roster. They are rewritten for the whole case whenever its
hours change, since an entry may be dated before others."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from sqlmodel import Session, col, select

from sparbot.models import HoursEntry


class Stamp(NamedTuple):
    run_from: date
    total_before: float | None
    pattern_before: str | None


def stamps(entries: Iterable[tuple[date, float, float, str | None]]) -> Iterator[Stamp]:
    """The stamps of one case's entries, given as (effective_from, internship hours, paid
    hours, pattern) in (effective_from, id) order."""
    previous: tuple[float, float, str | None] | None = None
    run_from: date | None = None
    for effective_from, internship, paid, pattern in entries:
        total = internship + paid
        if previous is None or (previous[0], previous[1]) != (total, paid):
            run_from = effective_from
        assert run_from is not None
        yield Stamp(run_from, previous[0] if previous else None,
                    previous[2] if previous else None)
        previous = (total, paid, pattern)


def stamp_runs(entries: Sequence[HoursEntry]) -> None:
    """Stamp one case's entries, given in (effective_from, id) order."""
    for entry, stamp in zip(entries, stamps(
            (entry.effective_from, entry.internship_hours, entry.paid_hours, entry.pattern)
            for entry in entries), strict=True):
        entry.run_from, entry.total_before, entry.pattern_before = stamp


def restamp_case(session: Session, case_id: int) -> None:
    stamp_runs(session.exec(select(HoursEntry).where(HoursEntry.case_id == case_id)
                            .order_by(col(HoursEntry.effective_from), col(HoursEntry.id))).all())
    session.flush()
