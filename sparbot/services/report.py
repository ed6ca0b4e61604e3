"""Everything the case report shows, gathered in one place (no rendering here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from sparbot.models import Decision
from sparbot.services import roster
from sparbot.services.agreements import AgreementView, agreements_of
from sparbot.services.decisions import DecisionView, views_of
from sparbot.services.snapshots import CaseSnapshot


@dataclass
class CaseReport:
    snapshot: CaseSnapshot
    decisions: list[DecisionView]
    today: date
    agreements: dict[int, AgreementView] = field(default_factory=dict)  # by placement

    @property
    def ref(self) -> str:
        return self.snapshot.case.ref


def gather_case_report(*, session: Session, ref: str, today: date) -> CaseReport:
    case = roster.get_case(session=session, ref=ref)
    snapshot = roster.snapshot(session=session, case=case)
    decisions = session.exec(select(Decision).where(Decision.case_id == case.id)
                             .order_by(col(Decision.decided_on), col(Decision.id))).all()
    return CaseReport(snapshot, views_of(session, decisions), today,
                      agreements_of(session, snapshot.placements))


def hours_series(snapshot: CaseSnapshot, until: date) -> list[tuple[date, float, float]]:
    """(from, internship, paid) steps, one per change, ending at `until` (for the chart)."""
    steps = [(entry.effective_from, entry.internship_hours, entry.paid_hours)
             for entry in snapshot.hours if entry.effective_from <= until]
    if steps:
        steps.append((until, steps[-1][1], steps[-1][2]))
    return steps
