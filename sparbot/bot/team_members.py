"""Each team's channel members, asked of Slack (conversations.members, paged) and kept in
the database, so that whether someone works in a team is never a Slack call on a request's
path. Run by the scheduler and by `sparbot team members --refresh`."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from sparbot.bot.deps import Deps
from sparbot.models import Team
from sparbot.services.team_members import replace_channel_members

log = logging.getLogger(__name__)


def channel_members(client: WebClient, channel_id: str) -> list[str]:
    members: list[str] = []
    cursor = None
    while True:
        answer = client.conversations_members(channel=channel_id, cursor=cursor, limit=200)
        members += [str(user) for user in answer.get("members") or []]
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members


def refresh_team_members(deps: Deps, client: WebClient) -> dict[str, int]:
    """Every team's channel members, as Slack reports them now: {team: members}. A team
    whose channel Slack will not list keeps its last known members (and is logged)."""
    with deps.session() as session:
        teams = [(team.id, team.name, team.channel_id)
                 for team in session.exec(select(Team).order_by(Team.name))]
    counts: dict[str, int] = {}
    for team_id, name, channel_id in teams:
        try:
            members = channel_members(client, channel_id)
        except SlackApiError as error:
            log.warning("could not list the members of team %s's channel: %s", team_id,
                        error.response.get("error"))
            continue
        with deps.session() as session:
            team = session.get_one(Team, team_id)
            counts[name] = replace_channel_members(session=session, team=team,
                                                   user_ids=members, now=deps.clock.now())
    return counts
