"""The longest company internship without a new assessment (13 weeks by default, set per
programme): an internship nearing it is raised two meetings ahead, with the jobcenter, as
"kræver ny vurdering/begrundelse"; a decision holding it as status quo (`om:praktik
indtil:…`) answers it for a while."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sparbot.enums import PlacementKind
from sparbot.services.snapshots import CaseSnapshot

AHEAD = timedelta(days=14)  # two weekly meetings


@dataclass(frozen=True)
class InternshipLimits:
    weeks: int = 13
    by_programme: dict[str, int] = field(default_factory=dict)  # programme (lower case)

    def weeks_for(self, programme: str) -> int:
        return self.by_programme.get(programme.strip().lower(), self.weeks)


def parse_limits(text: str) -> dict[str, int]:
    """`LFI=13, Sygemeldte=26` → {"lfi": 13, "sygemeldte": 26}; raises ValueError."""
    limits: dict[str, int] = {}
    for part in filter(None, (part.strip() for part in text.split(","))):
        programme, sep, weeks = part.rpartition("=")
        if not sep or not programme.strip() or not weeks.strip().isdigit() \
                or not 1 <= int(weeks) <= 104:
            raise ValueError(f"not programme=weeks: {part!r}")
        limits[programme.strip().lower()] = int(weeks)
    return limits


def internship_limit_facts(snapshot: CaseSnapshot, day: date,
                           limits: InternshipLimits) -> dict[str, Any] | None:
    """The company internship in force on `day`, when it reaches its limit within two
    meetings (or has passed it): what the agenda says."""
    placement = snapshot.current_placement(day)
    if placement is None or placement.kind is not PlacementKind.COMPANY_INTERNSHIP:
        return None
    weeks = limits.weeks_for(snapshot.case.programme)
    limit = placement.start_date + timedelta(weeks=weeks)
    if day < limit - AHEAD:
        return None
    return {"workplace": placement.workplace, "start": placement.start_date, "weeks": weeks,
            "limit": limit, "passed": day >= limit,
            "week": (day - placement.start_date).days // 7 + 1}
