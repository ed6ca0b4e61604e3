"""The meeting series sent to the jobcenter attendees named by e-mail (a team's, or the
deployment's SPARBOT_JOBCENTER_ATTENDEES), through the provider's SMTP server: the first
invitation, an update when the series changes, a CANCEL for a meeting called off. Run by
the scheduler every hour; nothing is sent without SMTP."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from sparbot.bot.agenda.posting import team_rules
from sparbot.bot.calendar import team_calendar
from sparbot.bot.deps import Deps
from sparbot.clock import utcnow
from sparbot.errors import UserError
from sparbot.mail import mail_configured, send_email
from sparbot.parsing import parse_person
from sparbot.services.calendar_feed import calendar_key, cancellation
from sparbot.services.invitations import claim_invitation, release
from sparbot.services.teams import every_meeting

log = logging.getLogger(__name__)


def _email_of(attendee: str) -> str | None:
    """An attendee given by e-mail (read as every person is read); a name or a Slack id
    gets no invitation."""
    try:
        return parse_person(attendee)[1]
    except UserError:
        return None


@dataclass
class InvitationRun:
    requests: int = 0
    cancels: int = 0
    failed: int = 0


def send_invitations(deps: Deps) -> InvitationRun:
    run = InvitationRun()
    settings = deps.settings
    if not mail_configured(settings):
        return run
    assert settings.smtp_from is not None
    with deps.session() as session:
        teams = every_meeting(session=session, own_channel=settings.channel)
    today, now = deps.clock.today(), utcnow()
    renderer = deps.renderer
    for team in teams:
        rules = team_rules(deps, team)
        title = renderer.plain("agenda", "calendar_title", team=team.name)
        for email in filter(None, map(_email_of, rules.jobcenter_attendees)):
            with deps.session() as session:
                claim = claim_invitation(session=session, team_key=calendar_key(
                    team.scope.team_id), email=email, rules=rules, today=today, now=now)
            if claim is None:
                continue
            try:
                if claim.request:
                    send_email(settings, to=email, subject=title,
                               body=renderer.plain("agenda", "calendar_invitation",
                                                   title=title),
                               calendar=("REQUEST", team_calendar(
                                   deps, team, first=claim.first, attendee=email,
                                   sequence=claim.sequence)))
                    run.requests += 1
                for day in claim.cancel:
                    send_email(settings, to=email,
                               subject=renderer.plain("agenda", "calendar_cancelled_subject",
                                                      title=title, day=day),
                               body=renderer.plain("agenda", "calendar_cancelled",
                                                   title=title, day=day),
                               calendar=("CANCEL", cancellation(
                                   rules=rules, team_id=team.scope.team_id, day=day,
                                   summary=title, organizer=settings.smtp_from,
                                   attendee=email, sequence=claim.sequence, now=now,
                                   tz=settings.tz)))
                    run.cancels += 1
            except (OSError, smtplib.SMTPException) as error:
                log.warning("could not send the meeting invitation to %s: %s", email,
                            type(error).__name__)
                run.failed += 1
                with deps.session() as session:
                    release(session=session, claim=claim)
    return run
