"""Each course's facts for the results figures, derived from its history and kept beside it
(services/course_facts.py keeps them whenever the history is written), so that the figures
for a whole deployment read one row per course instead of every history row."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CourseFacts(SQLModel, table=True):
    """What a course's history says, independent of the day it is read on: the day-bound
    parts (has the course reached week 13 yet?) are worked out when the figures are read."""

    __tablename__ = "course_facts"

    case_id: int = Field(foreign_key="case.id", primary_key=True, ondelete="CASCADE")
    extensions: int = 0
    company_days: int | None = None  # days from the start to the first company internship
    paid_days: int | None = None  # days from the start to the first paid hour
    hours_start: float | None = None  # weekly hours, unpaid and paid together
    hours_peak: float | None = None
    hours_end: float | None = None  # in force on the day it closed; None while it runs
    paid_end: float | None = None  # paid hours then (0 for none); None while it runs
    paid_w13: float | None = None  # paid hours in force at the end of week 13 (None: none)
    paid_w26: float | None = None
    has_hours: bool = False
    stepped_down: bool = False  # its weekly hours fell at some point
    mentor_held: int = 0  # mentor meetings held, and those on time
    mentor_on_time: int = 0
    workplace_held: int = 0  # workplace follow-ups held, and those on time
    workplace_on_time: int = 0
    decisions: int = 0  # not cancelled
    jobcenter_present: int = 0
    jobcenter_agreed: int = 0
    planned_days: int = 0  # attendance, over the weeks with days planned
    attended_days: int = 0
