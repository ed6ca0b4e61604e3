"""The scheduler: stable job ids (a restart never adds a second job), each job one call
into the code the CLI also runs. Times are the team's (Europe/Copenhagen), so the jobs
keep their local hour across daylight-saving changes."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from sparbot.bot.agenda_posting import post_weekly_agenda
from sparbot.bot.deps import Deps

log = logging.getLogger(__name__)

AGENDA_JOB_ID = "post-weekly-agenda"
CATCH_UP_JOB_ID = "post-weekly-agenda-catch-up"


def agenda_trigger(deps: Deps) -> CronTrigger:
    """Every working weekday at the posting time; the job itself knows whether today is the
    day (the working day before the meeting, holidays and closures skipped)."""
    post_at = deps.settings.meeting_rules().post_at
    return CronTrigger(day_of_week="mon-fri", hour=post_at.hour, minute=post_at.minute,
                       timezone=deps.clock.tz)


def run_agenda_job(deps: Deps, client: WebClient) -> None:
    result = post_weekly_agenda(deps, client, deps.clock.now())
    log.info("agenda job: %s (meeting %s)", result.outcome.value, result.plan.regular)


def build_scheduler(deps: Deps, client: WebClient) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=deps.clock.tz)
    scheduler.add_job(run_agenda_job, agenda_trigger(deps), args=[deps, client],
                      id=AGENDA_JOB_ID, replace_existing=True, coalesce=True,
                      max_instances=1, misfire_grace_time=int(timedelta(hours=2).total_seconds()))
    # Once at start-up, a little later: a process that was down at posting time catches up.
    scheduler.add_job(run_agenda_job, "date", args=[deps, client], id=CATCH_UP_JOB_ID,
                      replace_existing=True,
                      run_date=deps.clock.now() + timedelta(seconds=15))
    return scheduler
