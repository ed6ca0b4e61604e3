"""Teams: each holds its own weekly sparring meeting in its own private channel, over its
own cases. A provider with one meeting needs none: cases with no team are the deployment's
own team, whose channel is SPARBOT_CHANNEL. A municipality running the bot for all its
providers gives each provider's team its row, and every agenda covers one team's cases."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import time

import sqlalchemy as sa
from sqlmodel import Session, col, select

from sparbot.enums import CaseStatus
from sparbot.errors import UserError
from sparbot.models import Case, Meeting, Person, Team, TeamMember
from sparbot.privacy import ensure_no_cpr
from sparbot.services.meetings import (
    MeetingRules,
    parse_attendees,
    parse_clock_time,
    parse_weekday,
)
from sparbot.services.roster import find_active_case, get_active_case

TEAM_NAME_MAX = 80
JOBCENTER_ATTENDEES_MAX = 500
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{6,30}")


@dataclass(frozen=True)
class TeamScope:
    """Whose meeting: a team's, or (team_id None) the deployment's own team."""

    team_id: int | None = None

    def cases(self) -> sa.ColumnElement[bool]:
        """The condition on the case table that keeps this team's cases."""
        column = col(Case.team_id)
        return column.is_(None) if self.team_id is None else column == self.team_id

    def meetings(self) -> sa.ColumnElement[bool]:
        column = col(Meeting.team_id)
        return column.is_(None) if self.team_id is None else column == self.team_id


OWN_TEAM = TeamScope()


@dataclass(frozen=True)
class TeamChannel:
    """A team with the channel its agenda goes to (None: the deployment has none set)."""

    scope: TeamScope
    name: str | None
    channel_id: str | None
    # The team's own meeting day, time and jobcenter attendees; None: the deployment's.
    weekday: int | None = None
    starts_at: time | None = None
    jobcenter: tuple[str, ...] | None = None

    @classmethod
    def own(cls, channel_id: str | None) -> TeamChannel:
        """The deployment's own team: the cases in no team, in SPARBOT_CHANNEL."""
        return cls(OWN_TEAM, None, channel_id)

    def meeting_rules(self, rules: MeetingRules) -> MeetingRules:
        """The deployment's meeting rules, with the team's own day, time and jobcenter
        attendees where it has them (holidays, closures, the time box and the posting time
        stay the deployment's)."""
        return replace(
            rules, weekday=rules.weekday if self.weekday is None else self.weekday,
            starts_at=self.starts_at or rules.starts_at,
            jobcenter_attendees=rules.jobcenter_attendees if self.jobcenter is None
            else self.jobcenter)


def team_channel(team: Team) -> TeamChannel:
    return TeamChannel(TeamScope(team.id), team.name, team.channel_id, team.meeting_weekday,
                       team.meeting_time, None if team.jobcenter_attendees is None
                       else parse_attendees(team.jobcenter_attendees))


def create_team(*, session: Session, name: str, channel_id: str, day: str | None = None,
                at: str | None = None, jobcenter: str | None = None) -> Team:
    """A team with its channel, meeting on the deployment's day and time with its jobcenter
    attendees unless given its own (set_meeting)."""
    team = Team(name=_free_name(session, name, None), channel_id=_free_channel(
        session, channel_id, None))
    set_meeting(team, day=day, at=at, jobcenter=jobcenter)
    session.add(team)
    session.flush()
    return team


def edit_team(*, session: Session, team: Team, name: str | None, channel_id: str | None
              ) -> None:
    """A new name and/or channel (a meeting already posted keeps its threads where they are)."""
    if name is not None:
        team.name = _free_name(session, name, team.id)
    if channel_id is not None:
        team.channel_id = _free_channel(session, channel_id, team.id)


def _free_name(session: Session, name: str, team_id: int | None) -> str:
    """The name, tidied, if it is one and no other team has it (in any case)."""
    ensure_no_cpr(name)
    name = " ".join(name.split())
    if not name or len(name) > TEAM_NAME_MAX:
        raise UserError("team_name", maximum=TEAM_NAME_MAX)
    if session.exec(select(Team).where(sa.func.lower(Team.name) == name.lower(),
                                       Team.id != team_id)).first():
        raise UserError("team_exists", name=name)
    return name


def _free_channel(session: Session, channel_id: str, team_id: int | None) -> str:
    """The channel id, if it is one and no other team has it."""
    channel_id = channel_id.strip()
    if not _CHANNEL_ID.fullmatch(channel_id):
        raise UserError("team_channel", channel=channel_id)
    if session.exec(select(Team).where(Team.channel_id == channel_id,
                                       Team.id != team_id)).first():
        raise UserError("team_channel_taken", channel=channel_id)
    return channel_id


def set_meeting(team: Team, *, day: str | None, at: str | None,
                jobcenter: str | None = None) -> None:
    """Give the team its own meeting day (a working day in Danish or English), time (such as
    9:30) or jobcenter attendees (Slack ids or names, comma-separated); what is not given
    stays as it was."""
    if jobcenter is not None:
        ensure_no_cpr(jobcenter)
        named = parse_attendees(jobcenter)
        if not named or len(", ".join(named)) > JOBCENTER_ATTENDEES_MAX:
            raise UserError("team_jobcenter", maximum=JOBCENTER_ATTENDEES_MAX)
        team.jobcenter_attendees = ", ".join(named)
    if day is not None:
        try:
            team.meeting_weekday = parse_weekday(day)
        except ValueError:
            raise UserError("team_meeting_day", day=day) from None
    if at is not None:
        try:
            team.meeting_time = parse_clock_time(at)
        except ValueError:
            raise UserError("team_meeting_time", time=at) from None


def get_team(*, session: Session, name: str) -> Team:
    team = session.exec(select(Team).where(
        sa.func.lower(Team.name) == " ".join(name.split()).lower())).first()
    if team is None:
        known = list(session.exec(select(Team.name).order_by(Team.name)))
        raise UserError("unknown_team", name=name, known=known)
    return team


def assign_cases(*, session: Session, team: Team | None, refs: list[str]) -> list[str]:
    """Move active cases to a team (None: back to the deployment's own). All or nothing:
    an unknown reference changes no case."""
    cases = [get_active_case(session=session, ref=ref) for ref in refs]
    team_id = None if team is None else team.id
    for case in cases:
        # A reference is unique among a team's active cases: no second "ZA" moves in.
        taken = find_active_case(session=session, ref=case.ref, team_id=team_id)
        if taken is not None and taken.id != case.id:
            raise UserError("duplicate_ref", ref=case.ref)
        case.team_id = team_id
    return [case.ref for case in cases]


def list_teams(*, session: Session) -> list[tuple[Team, int]]:
    """Every team with its number of active cases."""
    counts = dict(session.exec(
        select(Case.team_id, sa.func.count()).where(Case.status == CaseStatus.ACTIVE)
        .group_by(col(Case.team_id))).all())
    return [(team, counts.get(team.id, 0))
            for team in session.exec(select(Team).order_by(Team.name))]


def meeting_channels(*, session: Session, own_channel: str | None) -> list[TeamChannel]:
    """Every team whose agenda is posted: the deployment's own team when it has a channel
    (or when there are no teams at all, so that a missing channel is said), then each team."""
    teams = list(session.exec(select(Team).order_by(Team.name)))
    own = [TeamChannel.own(own_channel)] if own_channel or not teams else []
    return own + [team_channel(team) for team in teams]


def every_meeting(*, session: Session, own_channel: str | None) -> list[TeamChannel]:
    """The deployment's own meeting and every team's, whether or not a channel is set (a
    calendar shows a meeting even when its agenda has nowhere to go yet)."""
    return [TeamChannel.own(own_channel)] + [
        team_channel(team) for team in session.exec(select(Team).order_by(Team.name))]


def team_for(*, session: Session, channel_id: str | None, user_id: str | None,
             own_channel: str | None) -> TeamChannel:
    """The team a command is about: the team whose channel it was typed in; elsewhere (a
    direct message, say) the team of most of the person's cases; else the deployment's own."""
    if channel_id:
        in_channel = team_of_channel(session=session, channel_id=channel_id)
        if in_channel is not None:
            return in_channel
        if channel_id == own_channel:
            return TeamChannel.own(own_channel)
    if user_id:
        person_id = session.exec(select(Person.id).where(Person.slack_user_id == user_id)).first()
        if person_id is not None:
            teams = Counter(session.exec(select(Case.team_id).where(
                Case.status == CaseStatus.ACTIVE,
                (Case.mentor_id == person_id) | (Case.company_consultant_id == person_id)
                | (Case.jobcenter_consultant_id == person_id))).all())
            if teams:
                team_id = teams.most_common(1)[0][0]
                if team_id is not None:
                    team = session.get(Team, team_id)
                    if team is not None:
                        return team_channel(team)
        # No cases of their own: the first team they were made a member of.
        member_of = session.exec(select(Team).join(TeamMember).where(
            TeamMember.slack_user_id == user_id).order_by(col(TeamMember.id))).first()
        if member_of is not None:
            return team_channel(member_of)
    return TeamChannel.own(own_channel)


def team_of_channel(*, session: Session, channel_id: str | None) -> TeamChannel | None:
    """The team whose channel this is, if any."""
    team = session.exec(select(Team).where(Team.channel_id == channel_id)).first() \
        if channel_id else None
    return None if team is None else team_channel(team)


def team_of_case(*, session: Session, case_id: int, own_channel: str | None) -> TeamChannel:
    case = session.get(Case, case_id)
    team = session.get(Team, case.team_id) if case is not None and case.team_id else None
    return TeamChannel.own(own_channel) if team is None else team_channel(team)
