"""The agenda's thresholds (settings; these are the defaults from the domain)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sparbot.services.attendance import AttendanceRules
from sparbot.services.due import DueRules
from sparbot.services.internship_length import InternshipLimits


@dataclass(frozen=True)
class AgendaRules:
    ending_weeks: int = 4  # a course ending within this many weeks needs a decision
    unpaid_weeks: int = 8  # a company internship this long with no paid hours
    flat_hours_weeks: int = 8  # hours unchanged this long
    rotation_weeks: int = 8  # every active case is taken up at least this often
    follow_up_months: int = 1
    attendance: AttendanceRules = field(default_factory=AttendanceRules)
    internship: InternshipLimits = field(default_factory=InternshipLimits)

    @cached_property
    def due_rules(self) -> DueRules:
        """The same thresholds as what is due on a case (made once, not once a case)."""
        return DueRules(follow_up_months=self.follow_up_months,
                        course_ending_weeks=self.ending_weeks,
                        unpaid_internship_weeks=self.unpaid_weeks)
