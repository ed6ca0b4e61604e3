"""Cases as they look in real courses, made through the services (never raw rows)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from sparbot.enums import Cadence, FollowUpKind, PaidHoursAnswer, PlacementKind, Purpose
from sparbot.models import Case, Placement
from sparbot.parsing import parse_hours
from sparbot.services import roster
from sparbot.services.people import PersonRef

MENTOR = "U0MENTOR"
CONSULTANT = "U0CONSULT"
OTHER_MENTOR = "U0OTHER"


def make_case(session: Session, ref: str = "ZA", *, start: date, weeks: int = 26,
              mentor: str = MENTOR, consultant: str | None = CONSULTANT,
              cadence: Cadence = Cadence.WEEKLY,
              purpose: Purpose = Purpose.ORDINARY_EMPLOYMENT) -> Case:
    return roster.add_case(session=session, actor=mentor, data=roster.CaseCreate(
        ref=ref, programme="Trædesten til job", purpose=purpose, start_date=start,
        booked_weeks=weeks, cadence=cadence, mentor=PersonRef(slack_user_id=mentor),
        company_consultant=PersonRef(slack_user_id=consultant) if consultant else None,
        jobcenter_consultant=PersonRef(name="Jens Jobcenter", email="jj@kommune.dk")))


def hours(session: Session, ref: str, text: str, on: date, *, today: date,
          paid: str | None = None) -> None:
    roster.record_hours(session=session, ref=ref, internship=parse_hours(text),
                        paid=parse_hours(paid) if paid else None, effective_from=on,
                        actor=MENTOR, today=today)


def placement(session: Session, ref: str, kind: PlacementKind, workplace: str, on: date, *,
              today: date, until: date | None = None) -> Placement | None:
    """Start a placement (agreed to end `until`); the placement it ended, if any."""
    return roster.start_placement(session=session, ref=ref, actor=MENTOR, today=today,
                                  data=roster.PlacementCreate(kind=kind, workplace=workplace,
                                                              start_date=on,
                                                              end_date=until))[1]


def follow_up(session: Session, ref: str, kind: FollowUpKind, on: date, *, today: date,
              paid: PaidHoursAnswer = PaidHoursAnswer.NOT_RAISED) -> None:
    roster.log_follow_up(session=session, ref=ref, kind=kind, held_on=on, paid_hours=paid,
                         actor=MENTOR, today=today)


def weeks_ago(today: date, weeks: int, days: int = 0) -> date:
    return today - timedelta(weeks=weeks, days=days)
