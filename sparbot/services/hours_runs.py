"""Each hours entry stamped with what came before it: where the unbroken run of the same
hours began, and the entry just before (what the hours went up or down from).

The agenda reads a case's hours trend from its latest entry alone; these stamps are what
make that possible for a whole roster. They are rewritten for the whole case whenever its
hours change, since an entry may be dated before others."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from sparbot.models import HoursEntry


def stamp_runs(entries: Sequence[HoursEntry]) -> None:
    """Stamp entries given in (effective_from, id) order."""
    previous: HoursEntry | None = None
    for entry in entries:
        if previous is None:
            entry.run_from, entry.total_before, entry.pattern_before = (
                entry.effective_from, None, None)
        else:
            same = (previous.internship_hours + previous.paid_hours
                    == entry.internship_hours + entry.paid_hours
                    and previous.paid_hours == entry.paid_hours)
            entry.run_from = previous.run_from if same else entry.effective_from
            entry.total_before = previous.internship_hours + previous.paid_hours
            entry.pattern_before = previous.pattern
        previous = entry


def restamp_case(session: Session, case_id: int) -> None:
    stamp_runs(session.exec(select(HoursEntry).where(HoursEntry.case_id == case_id)
                            .order_by(col(HoursEntry.effective_from), col(HoursEntry.id))).all())
    session.flush()
