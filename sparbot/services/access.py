"""Who may use the bot, as what, and which cases they may see.

Staff, the jobcenter's consultants and admins are configured by Slack user id; with none
configured the bot is open (for a first trial), and says so at start-up. An internship
supervisor in Slack is none of these: they are known by the placements that name them, and
reach only their workplace's cases, through the digest the bot sends them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col, select

from sparbot.enums import CaseStatus
from sparbot.models import Case, Person, Placement
from sparbot.services.team_members import staff_cases


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    JOBCENTER = "jobcenter"
    SUPERVISOR = "supervisor"  # named on a current placement; not configured


@dataclass(frozen=True)
class Access:
    staff: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    jobcenter: frozenset[str] = frozenset()

    @property
    def open(self) -> bool:
        """No one configured: everyone in the workspace counts as staff."""
        return not (self.staff or self.admins or self.jobcenter)

    def role_of(self, user_id: str | None) -> Role | None:
        """The configured role (supervisors are found in the database: supervisor_role)."""
        if user_id is None:
            return None
        if user_id in self.admins or self.open:  # a trial with nobody configured: all admin
            return Role.ADMIN
        if user_id in self.staff:
            return Role.STAFF
        if user_id in self.jobcenter:
            return Role.JOBCENTER
        return None


@dataclass(frozen=True)
class Actor:
    """The person behind a request and their role (None: no access)."""

    user_id: str
    role: Role | None

    def cases(self) -> sa.ColumnElement[bool] | None:
        """The condition on the case table that keeps the cases this person may see;
        None: every case."""
        if self.role is Role.JOBCENTER:
            return col(Case.jobcenter_consultant_id).in_(
                select(Person.id).where(Person.slack_user_id == self.user_id))
        if self.role is Role.SUPERVISOR:
            return col(Case.id).in_(select(Placement.case_id).where(
                Placement.contact_slack_user_id == self.user_id))
        if self.role is Role.STAFF:
            return staff_cases(self.user_id)
        if self.role is None:
            return sa.false()
        return None


def supervisor_role(*, session: Session, user_id: str, today: date) -> Role | None:
    """SUPERVISOR if a current placement of an active case names this Slack user."""
    found = session.exec(select(Placement.id).join(Case).where(
        Placement.contact_slack_user_id == user_id, Case.status == CaseStatus.ACTIVE,
        *_current(today)).limit(1)).first()
    return Role.SUPERVISOR if found is not None else None


def supervises(*, session: Session, user_id: str, case_id: int, today: date) -> bool:
    """Whether this Slack user supervises the case's current placement."""
    return session.exec(select(Placement.id).where(
        Placement.case_id == case_id, Placement.contact_slack_user_id == user_id,
        *_current(today)).limit(1)).first() is not None


def may_see(*, session: Session, actor: Actor, case: Case) -> bool:
    """Whether a case is among those the actor may see (Actor.cases)."""
    condition = actor.cases()
    if condition is None:
        return True
    return session.exec(select(Case.id).where(Case.id == case.id, condition)).first() \
        is not None


def is_jobcenter_consultant(*, session: Session, user_id: str, case: Case) -> bool:
    if case.jobcenter_consultant_id is None:
        return False
    consultant = session.get(Person, case.jobcenter_consultant_id)
    return consultant is not None and consultant.slack_user_id == user_id


def _current(today: date) -> tuple[sa.ColumnElement[bool], ...]:
    return (col(Placement.start_date) <= today,
            sa.or_(col(Placement.end_date).is_(None), col(Placement.end_date) >= today))
