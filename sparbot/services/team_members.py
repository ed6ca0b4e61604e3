"""Who works in a team: the people on its cases, the members of its private channel (as
Slack last reported them) and those an operator added. Staff see the cases of their teams
(and the cases in no team); a team's admins export its whole decision log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from sparbot.errors import UserError
from sparbot.models import Case, Person, Team, TeamMember
from sparbot.parsing import parse_person

OPERATOR = "operator"
CHANNEL = "channel"


def _member_teams(user_id: str) -> sa.Select[int]:
    return sa.select(col(TeamMember.team_id)).where(col(TeamMember.slack_user_id) == user_id)


def _case_teams(user_id: str) -> sa.Select[int | None]:
    """The teams of the cases this person is mentor or company consultant on."""
    people = sa.select(col(Person.id)).where(col(Person.slack_user_id) == user_id)
    return sa.select(col(Case.team_id)).where(
        col(Case.team_id).is_not(None),
        sa.or_(col(Case.mentor_id).in_(people), col(Case.company_consultant_id).in_(people)))


def staff_cases(user_id: str) -> sa.ColumnElement[bool]:
    """The cases a member of staff may see: those in no team (the deployment's own), and
    those of every team they work in. A deployment without teams: every case."""
    return sa.or_(col(Case.team_id).is_(None), col(Case.team_id).in_(_member_teams(user_id)),
                  col(Case.team_id).in_(_case_teams(user_id)))


def administered_team_ids(*, session: Session, user_id: str) -> tuple[int, ...]:
    """The teams this person is an admin of."""
    return tuple(sorted(set(session.scalars(sa.select(col(TeamMember.team_id)).where(
        col(TeamMember.slack_user_id) == user_id, col(TeamMember.is_admin).is_(True))))))


def is_team_admin(*, session: Session, user_id: str) -> bool:
    return session.exec(select(TeamMember.id).where(
        TeamMember.slack_user_id == user_id, col(TeamMember.is_admin).is_(True)).limit(1)
    ).first() is not None


@dataclass(frozen=True)
class Membership:
    team: Team
    active_cases: int
    sources: tuple[str, ...]  # how: "operator", "channel", "cases" (none: an admin looking)
    is_admin: bool


def memberships(*, session: Session, user_id: str, every_team: bool = False
                ) -> list[Membership]:
    """The teams this person works in (`every_team`: all of them, for an admin), each with
    its active cases and how the person came to work in it."""
    rows = session.exec(select(TeamMember).where(TeamMember.slack_user_id == user_id)).all()
    by_cases = set(session.scalars(_case_teams(user_id)).all())
    counts: dict[int | None, int] = {team_id: count for team_id, count in session.execute(
        sa.select(col(Case.team_id), sa.func.count()).where(col(Case.status) == "active")
        .group_by(col(Case.team_id)))}
    found = []
    for team in session.exec(select(Team).order_by(Team.name)):
        sources = {row.source for row in rows if row.team_id == team.id}
        if team.id in by_cases:
            sources.add("cases")
        if sources or every_team:
            found.append(Membership(team, counts.get(team.id, 0), tuple(sorted(sources)),
                                    any(row.is_admin for row in rows
                                        if row.team_id == team.id)))
    return found


@dataclass(frozen=True)
class Member:
    slack_user_id: str
    sources: tuple[str, ...]  # "operator", "channel", "cases"
    is_admin: bool


def list_members(*, session: Session, team: Team) -> list[Member]:
    """Everyone who works in the team, with how they came to (operator, channel, cases)."""
    found: dict[str, tuple[set[str], bool]] = {}
    for row in session.exec(select(TeamMember).where(TeamMember.team_id == team.id)):
        sources, admin = found.setdefault(row.slack_user_id, (set(), False))
        sources.add(row.source)
        found[row.slack_user_id] = (sources, admin or row.is_admin)
    on_cases = session.exec(select(Person.slack_user_id).where(
        col(Person.id).in_(sa.select(col(Case.mentor_id)).where(col(Case.team_id) == team.id)
                           .union(sa.select(col(Case.company_consultant_id))
                                  .where(col(Case.team_id) == team.id)))))
    for user_id in on_cases:
        if user_id:
            found.setdefault(user_id, (set(), False))[0].add("cases")
    return [Member(user_id, tuple(sorted(sources)), admin)
            for user_id, (sources, admin) in sorted(found.items())]


def add_members(*, session: Session, team: Team, people: Iterable[str],
                admin: bool = False) -> list[str]:
    """Add people (Slack ids or mentions) to a team by hand; `admin` makes them its admins
    (or keeps them so). All or nothing: one that is not a Slack id changes nobody."""
    user_ids = [_slack_id(text) for text in people]
    for user_id in user_ids:
        row = session.exec(select(TeamMember).where(
            TeamMember.team_id == team.id, TeamMember.slack_user_id == user_id,
            TeamMember.source == OPERATOR)).first()
        if row is None:
            assert team.id is not None
            session.add(TeamMember(team_id=team.id, slack_user_id=user_id, source=OPERATOR,
                                   is_admin=admin))
        elif admin:
            row.is_admin = True
    session.flush()
    return user_ids


def remove_members(*, session: Session, team: Team, people: Iterable[str]) -> list[str]:
    """Take people an operator added out of the team (as members and admins). The channel's
    members and the people on its cases stay members while they are there."""
    user_ids = [_slack_id(text) for text in people]
    session.exec(delete(TeamMember).where(
        col(TeamMember.team_id) == team.id, col(TeamMember.slack_user_id).in_(user_ids),
        col(TeamMember.source) == OPERATOR))
    return user_ids


def replace_channel_members(*, session: Session, team: Team, user_ids: Iterable[str],
                            now: datetime) -> int:
    """The team's channel members as Slack reports them now, in place of the last report."""
    assert team.id is not None
    session.exec(delete(TeamMember).where(
        col(TeamMember.team_id) == team.id, col(TeamMember.source) == CHANNEL))
    members = sorted(set(user_ids))
    session.add_all([TeamMember(team_id=team.id, slack_user_id=user_id, source=CHANNEL)
                     for user_id in members])
    team.members_refreshed_at = now
    session.flush()
    return len(members)


def _slack_id(text: str) -> str:
    slack_id, _email = parse_person(text.strip())
    if slack_id is None:
        raise UserError("bad_person", text=text)
    return slack_id
