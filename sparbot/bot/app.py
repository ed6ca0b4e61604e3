"""create_app: the one place the Bolt app is built, every listener the dispatcher standing
before a declared entry (sparbot.bot.entries). Nothing happens at import time."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from sparbot.bot.agenda import entries as agenda_entries
from sparbot.bot.agreements import entries as agreement_entries
from sparbot.bot.attendance import entries as attendance_entries
from sparbot.bot.cases import entries as case_entries
from sparbot.bot.decisions import entries as decision_entries
from sparbot.bot.deps import Deps
from sparbot.bot.dispatch import Door
from sparbot.bot.entries import Registry
from sparbot.bot.exports import entries as export_entries
from sparbot.bot.failures import failure_text
from sparbot.bot.figures import entries as figure_entries
from sparbot.bot.followups import entries as follow_up_entries
from sparbot.bot.front import Front
from sparbot.bot.home import entries as home_entries
from sparbot.bot.hours import entries as hours_entries
from sparbot.bot.middleware import cpr_guard
from sparbot.bot.nudges import entries as nudge_entries
from sparbot.bot.people import entries as people_entries
from sparbot.bot.render import Renderer
from sparbot.bot.replies import reply_text
from sparbot.bot.slack_calls import RecordingWebClient, record_slack_calls
from sparbot.bot.workers import WorkerPool
from sparbot.clock import Clock, SystemClock
from sparbot.config import Settings
from sparbot.db import SessionFactory

log = logging.getLogger(__name__)


def make_client(settings: Settings, *, retry_lost_connections: bool = True) -> WebClient:
    """The Web API client, pointed at SLACK_API_URL, retrying 429 (after Retry-After),
    5xx and dropped connections a few times. Scheduled sends never retry a dropped
    connection: the message may have arrived, and a nudge must not come twice."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return RecordingWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            *([ConnectionErrorRetryHandler(max_retry_count=2)] if retry_lost_connections
              else []),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def make_deps(settings: Settings, session_factory: SessionFactory, *,
              clock: Clock | None = None) -> Deps:
    return Deps(settings=settings, session=session_factory,
                clock=clock or SystemClock(settings.tz), renderer=Renderer(settings.language))


def create_app(settings: Settings, session_factory: SessionFactory, *,
               clock: Clock | None = None, **bolt_kwargs: Any) -> App:
    return create_bolt_app(make_deps(settings, session_factory, clock=clock), **bolt_kwargs)


def declared_entries() -> Registry:
    """Every way into the bot, each with who may use it (sparbot.bot.entries)."""
    registry = Registry()
    for subject in (case_entries, hours_entries, follow_up_entries, attendance_entries,
                    agreement_entries, agenda_entries, decision_entries, nudge_entries,
                    export_entries, figure_entries, home_entries, people_entries):
        subject.register(registry)
    return registry


def create_bolt_app(deps: Deps, *, workers: WorkerPool | None = None,
                    **bolt_kwargs: Any) -> App:
    """The app. Given worker processes, the app is the front (sparbot.bot.front): it acks
    and hands each request to them; without, its listeners do the work themselves."""
    settings = deps.settings
    if workers is not None:  # the front's listeners only ack and hand over: no pool needed
        bolt_kwargs.setdefault("process_before_response", True)
    signing_secret = (settings.slack_signing_secret.get_secret_value()
                      if settings.slack_signing_secret else None)
    bolt_kwargs.setdefault("client", make_client(settings))
    # Bolt runs each listener, ack included, on this pool: its default (cores + 4) lets slow
    # work after one ack hold up the next request's ack. Slack wants acks within 3 s.
    bolt_kwargs.setdefault("listener_executor", ThreadPoolExecutor(max_workers=32))
    app = App(signing_secret=signing_secret, **bolt_kwargs)
    app.use(record_slack_calls)
    app.use(cpr_guard(deps))
    if deps.settings.access().open:
        log.warning("no SPARBOT_STAFF or SPARBOT_ADMINS set: everyone in the workspace can "
                    "use sparbot. Set them before real cases go in.")
    registry = declared_entries()
    door = Door(deps, registry)
    if workers is None:
        registry.bind(app, door.listener_for, door.command_listener)
    else:
        front = Front(door, workers)
        registry.bind(app, front.listener_for, front.command_listener)

    def handle_error(error: Exception, body: dict[str, Any], respond: Any) -> BoltResponse:
        # Only what fails outside the dispatcher (a middleware) comes here.
        where = body.get("type") or ("command" if "command" in body else "event")
        text = failure_text(deps.renderer, error, str(where))
        if body.get("response_url"):
            try:
                reply_text(respond, text)
            except Exception:  # the user is told if we can; never fail the error handler
                log.warning("could not tell the user about an error")
        return BoltResponse(status=500, body="")

    app.error(handle_error)
    return app
