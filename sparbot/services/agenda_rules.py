"""The agenda's thresholds (settings; these are the defaults from the domain)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaRules:
    ending_weeks: int = 4  # a course ending within this many weeks needs a decision
    unpaid_weeks: int = 8  # a company internship this long with no paid hours
    flat_hours_weeks: int = 8  # hours unchanged this long
    rotation_weeks: int = 8  # every active case is taken up at least this often
    follow_up_months: int = 1
