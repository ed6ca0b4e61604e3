"""The scheduler: stable job ids (a restart never adds a second job), each job one call
into the code the CLI also runs. Times are the team's (Europe/Copenhagen), so the jobs
keep their local hour across daylight-saving changes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from sparbot.bot.agenda.posting import Outcome, post_weekly_agenda
from sparbot.bot.app import make_client
from sparbot.bot.delivery import sweep_outbox
from sparbot.bot.deps import Deps
from sparbot.bot.invitations import send_invitations
from sparbot.bot.nudges.sending import send_due_nudges
from sparbot.bot.people_sync import refresh_people
from sparbot.bot.team_members import refresh_team_members
from sparbot.db import database_unreachable
from sparbot.services.erasure import run_retention

log = logging.getLogger(__name__)

AGENDA_JOB_ID = "post-weekly-agenda"
NUDGE_JOB_ID = "send-due-nudges"
RETENTION_JOB_ID = "erase-expired-cases"
CATCH_UP_JOB_ID = "post-weekly-agenda-catch-up"
MEMBERS_JOB_ID = "refresh-team-members"
PEOPLE_JOB_ID = "refresh-people"
INVITATIONS_JOB_ID = "send-meeting-invitations"
PEOPLE_EVERY_MINUTES = 30
MEMBERS_EVERY_MINUTES = 30
OUTBOX_JOB_ID = "send-outbox"
OUTBOX_EVERY_SECONDS = 60


def when_database_is_up(job: Callable[..., None]) -> Callable[..., None]:
    """A job whose database is down says so in one line and waits for its next run (every
    job runs again soon), rather than a traceback a minute in the log."""
    @functools.wraps(job)
    def run(*args: Any) -> None:
        try:
            job(*args)
        except SQLAlchemyError as error:
            if not database_unreachable(error):
                raise
            log.error("%s: the database cannot be reached (%s); tried again at its next run",
                      job.__name__, type(error).__name__)
    return run


def agenda_trigger(deps: Deps) -> CronTrigger:
    """Every ten minutes of the working day, from the posting time on: the job itself knows
    whether the agenda is due (the working day before the meeting, holidays and closures
    skipped) and not yet posted, so a post that failed is simply tried again."""
    post_at = deps.settings.meeting_rules().post_at
    return CronTrigger(day_of_week="mon-fri", hour=f"{post_at.hour}-20",
                       minute=f"{post_at.minute % 10}/10", timezone=deps.clock.tz)


@when_database_is_up
def run_agenda_job(deps: Deps, client: WebClient) -> None:
    results = post_weekly_agenda(deps, client, deps.clock.now())
    # Every ten minutes on every replica: the teams whose posting day has not come are one
    # line, not one line each.
    waiting = [result for result in results if result.outcome is Outcome.NOT_YET]
    if waiting:
        log.info("agenda job: %s of %s teams not yet due", len(waiting), len(results))
    for result in results:
        if result.outcome is not Outcome.NOT_YET:
            log.info("agenda job: %s (meeting %s, team %s)", result.outcome.value,
                     result.plan.regular, result.team or "(own)")


def nudge_trigger(deps: Deps) -> CronTrigger:
    """Every five minutes of the working day: each person's digest goes at their own time;
    the sweep itself skips weekends, holidays, closures and absences."""
    return CronTrigger(day_of_week="mon-fri", hour="6-18", minute="*/5",
                       timezone=deps.clock.tz)


@when_database_is_up
def run_nudge_job(deps: Deps, client: WebClient) -> None:
    result = send_due_nudges(deps, client, deps.clock.now())
    if result.sent or result.failed or result.unknown:
        log.info("nudges: %s sent, %s failed, %s unknown, %s skipped", len(result.sent),
                 result.failed, result.unknown, result.skipped)


@when_database_is_up
def run_retention_job(deps: Deps) -> None:
    """Closed cases past their retention period are erased; the audit log is trimmed."""
    with deps.session() as session:
        erased = run_retention(session=session, today=deps.clock.today(),
                               months=deps.settings.retention_months,
                               audit_months=deps.settings.audit_retention_months)
    if erased:
        log.info("retention: %s closed cases erased", erased)


@when_database_is_up
def run_members_job(deps: Deps, client: WebClient) -> None:
    """Who is in each team's channel: whether someone works in a team is read from the
    database on a request's path, never asked of Slack there."""
    counts = refresh_team_members(deps, client)
    if counts:
        log.info("team members: %s", ", ".join(f"{count} in {name}"
                                              for name, count in counts.items()))


@when_database_is_up
def run_people_job(deps: Deps, client: WebClient) -> None:
    """People's names as Slack has them, so that no request waits on Slack for one: the
    unchecked first (a new person is named within half an hour), then daily."""
    done = refresh_people(deps, client)
    if done.checked or done.failed:
        log.info("people: %s asked of Slack, %s linked by e-mail, %s unreachable, "
                 "%s not answered", done.checked, done.linked, len(done.unreachable),
                 done.failed)


@when_database_is_up
def run_invitations_job(deps: Deps) -> None:
    """The meeting series in the jobcenter attendees' calendars, by e-mail."""
    done = send_invitations(deps)
    if done.requests or done.cancels or done.failed:
        log.info("meeting invitations: %s sent, %s cancellations, %s failed", done.requests,
                 done.cancels, done.failed)


@when_database_is_up
def run_outbox_job(deps: Deps, client: WebClient) -> None:
    """What Slack did not take when it was queued, sent now; every minute, every replica
    (each message is claimed: sent once)."""
    result = sweep_outbox(deps, client)
    if result.sent or result.failed or result.waiting or result.unknown or result.settled:
        log.info("outbox: %s sent, %s waiting for Slack, %s given up, %s unknown, "
                 "%s settled", result.sent, result.waiting, result.failed, result.unknown,
                 result.settled)


def build_scheduler(deps: Deps, client: WebClient) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=deps.clock.tz)
    scheduler.add_job(run_retention_job, CronTrigger(hour=3, minute=15, timezone=deps.clock.tz),
                      args=[deps], id=RETENTION_JOB_ID, replace_existing=True, coalesce=True,
                      max_instances=1, misfire_grace_time=6 * 3600)
    nudge_client = make_client(deps.settings, retry_lost_connections=False)
    scheduler.add_job(run_nudge_job, nudge_trigger(deps), args=[deps, nudge_client],
                      id=NUDGE_JOB_ID, replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=600)
    scheduler.add_job(run_agenda_job, agenda_trigger(deps), args=[deps, client],
                      id=AGENDA_JOB_ID, replace_existing=True, coalesce=True,
                      max_instances=1, misfire_grace_time=int(timedelta(hours=2).total_seconds()))
    scheduler.add_job(run_members_job, "interval", minutes=MEMBERS_EVERY_MINUTES,
                      args=[deps, client], id=MEMBERS_JOB_ID, replace_existing=True,
                      coalesce=True, max_instances=1,
                      next_run_time=deps.clock.now() + timedelta(seconds=5))
    scheduler.add_job(run_people_job, "interval", minutes=PEOPLE_EVERY_MINUTES,
                      args=[deps, client], id=PEOPLE_JOB_ID, replace_existing=True,
                      coalesce=True, max_instances=1,
                      next_run_time=deps.clock.now() + timedelta(seconds=20))
    scheduler.add_job(run_invitations_job, "interval", hours=1, args=[deps],
                      id=INVITATIONS_JOB_ID, replace_existing=True, coalesce=True,
                      max_instances=1, next_run_time=deps.clock.now() + timedelta(minutes=1))
    scheduler.add_job(run_outbox_job, "interval", seconds=OUTBOX_EVERY_SECONDS,
                      args=[deps, client], id=OUTBOX_JOB_ID, replace_existing=True,
                      coalesce=True, max_instances=1)
    # Once at start-up, a little later: a process that was down at posting time catches up.
    scheduler.add_job(run_agenda_job, "date", args=[deps, client], id=CATCH_UP_JOB_ID,
                      replace_existing=True,
                      run_date=deps.clock.now() + timedelta(seconds=15))
    return scheduler
