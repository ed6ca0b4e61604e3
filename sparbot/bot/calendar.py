"""A team's meeting calendar, in the deployment's words: served at its secret URL by
`sparbot serve`, and written by `sparbot calendar`."""

from __future__ import annotations

from datetime import date

from sparbot.bot.agenda.posting import team_rules
from sparbot.bot.deps import Deps
from sparbot.clock import utcnow
from sparbot.services.calendar_feed import calendar_token, meeting_calendar
from sparbot.services.teams import TeamChannel, every_meeting


def calendar_secret(deps: Deps) -> str | None:
    """What a feed's URL is derived from: SPARBOT_CALENDAR_SECRET, else the signing secret
    (a URL that cannot be guessed; none at all without a secret)."""
    settings = deps.settings
    chosen = settings.calendar_secret or settings.slack_signing_secret
    return chosen.get_secret_value() if chosen else None


def team_calendar(deps: Deps, team: TeamChannel, *, first: date | None = None,
                  attendee: str | None = None, sequence: int = 0) -> bytes:
    """The team's feed; with `attendee`, the same series as their e-mail invitation
    (METHOD:REQUEST, from SMTP_FROM, the series as first sent starting on `first`)."""
    renderer = deps.renderer
    title = renderer.plain("agenda", "calendar_title", team=team.name)
    invitation = None
    if attendee is not None:
        assert deps.settings.smtp_from is not None
        invitation = (deps.settings.smtp_from, attendee, sequence)
    return meeting_calendar(
        rules=team_rules(deps, team), title=title, summary=title,
        description=renderer.plain("agenda", "calendar_description"),
        moved_note={"holiday": renderer.plain("agenda", "calendar_moved_holiday"),
                    "closure": renderer.plain("agenda", "calendar_moved_closure")},
        team_id=team.scope.team_id, today=deps.clock.today(), now=utcnow(),
        tz=deps.settings.tz, first=first, invitation=invitation)


def calendar_for_token(deps: Deps, token: str) -> bytes | None:
    """The feed whose secret URL this is, or None (then: not found, whatever the reason)."""
    secret = calendar_secret(deps)
    if secret is None or len(token) != 32:
        return None
    with deps.session() as session:
        teams = every_meeting(session=session, own_channel=deps.settings.channel)
    for team in teams:
        if calendar_token(secret, team.scope.team_id) == token:
            return team_calendar(deps, team)
    return None
