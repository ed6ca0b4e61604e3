"""HTTP mode: Bolt's /slack/events behind a production WSGI server (waitress)."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text
from sqlmodel import Session

from sparbot.bot.gate import MAX_BODY_BYTES, Refused, Signer, read_slack_request
from sparbot.bot.slack_calls import SLACK_CALLS
from sparbot.bot.workers import WorkerPool
from sparbot.clock import utcnow
from sparbot.logs import request_id
from sparbot.services.people import count_unreachable

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


CALENDAR_PREFIX = "/calendar/"


def build_wsgi_app(app: App, engine: Engine, *, scheduler: Any = None,
                   workers: WorkerPool | None = None,
                   signing_secret: str | None = None,
                   calendars: Callable[[str], bytes | None] | None = None) -> WsgiApp:
    """Bolt's /slack/events behind the gate every request passes first (sparbot.bot.gate),
    and /healthz. A request seen before is turned away by the dispatcher, after its ack."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    signer = Signer(signing_secret) if signing_secret else None

    def health(start_response: Callable[..., Any]) -> Iterable[bytes]:
        return health_answer(engine, scheduler, start_response, workers)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]
                    ) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "")
        if path == HEALTH_PATH:
            return health(start_response)
        if calendars is not None and path.startswith(CALENDAR_PREFIX) and path.endswith(".ics") \
                and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _calendar(start_response, calendars(path[len(CALENDAR_PREFIX):-4]))
        request_id.set(uuid.uuid4().hex[:12])
        if environ.get("PATH_INFO") != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, "404 Not Found", b"")
        checked = read_slack_request(environ, signer)
        if isinstance(checked, Refused):
            log.info("refused a request: %s", checked.status)  # never its body
            return _plain(start_response, checked.status, b"")
        if checked.is_timeout_retry:
            # Slack timed out waiting, but the first delivery is being handled: doing it
            # again would do it twice.
            return _plain(start_response, "200 OK", b"")
        environ["wsgi.input"] = io.BytesIO(checked.body)
        environ["CONTENT_LENGTH"] = str(len(checked.body))
        try:
            return list(slack(environ, start_response))
        except Exception as error:  # Bolt could not read it after all: a bad request
            log.error("Bolt could not take a request in (%s)", type(error).__name__)
            return _plain(start_response, "400 Bad Request", b"")

    return application


def _plain(start_response: Callable[..., Any], status: str, body: bytes) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _calendar(start_response: Callable[..., Any], feed: bytes | None) -> Iterable[bytes]:
    """A team's meeting feed at its secret URL; any other token is simply not found."""
    if feed is None:
        return _plain(start_response, "404 Not Found", b"")
    start_response("200 OK", [("Content-Type", "text/calendar; charset=utf-8"),
                              ("Content-Length", str(len(feed))),
                              ("Cache-Control", "private, max-age=900")])
    return [feed]


def health_answer(engine: Engine, scheduler: Any, start_response: Callable[..., Any],
                  workers: WorkerPool | None = None) -> Iterable[bytes]:
    """/healthz: the database reached, the scheduler running, the worker processes alive;
    Slack and the people it cannot reach reported beside them."""
    body: dict[str, Any] = {"ok": True, "database": "reachable"}
    try:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            # Counted, not judged: `sparbot people --unreachable` names them.
            body["people_unreachable"] = count_unreachable(session=session)
    except Exception:
        body = {"ok": False, "database": "unreachable"}
    if scheduler is not None:
        body["scheduler"] = "running" if scheduler.running else "stopped"
        body["ok"] = body["ok"] and scheduler.running
    if workers is not None:  # one that died is started again within a second
        body["workers"] = {"running": workers.alive, "of": workers.size}
        body["ok"] = body["ok"] and workers.alive > 0
    # Reported, not judged: a quiet hour has no Slack calls, and a Slack outage is not
    # cured by a load balancer restarting replicas.
    body["slack"] = SLACK_CALLS.as_json(utcnow())
    status = "200 OK" if body["ok"] else "503 Service Unavailable"
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


def build_health_app(engine: Engine, scheduler: Any) -> WsgiApp:
    """/healthz alone: what Socket Mode serves, so a container's healthcheck holds in both
    modes (Slack's requests come over the socket, not here)."""
    def application(environ: dict[str, Any], start_response: Callable[..., Any]
                    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return health_answer(engine, scheduler, start_response)
        return _plain(start_response, "404 Not Found", b"")

    return application


def make_server(wsgi: WsgiApp, host: str, port: int) -> Any:
    """A waitress server (call .run(); .close() stops it; .effective_port when port=0)."""
    from waitress.server import create_server

    return create_server(wsgi, host=host, port=port, threads=8, ident="sparbot",
                         max_request_body_size=MAX_BODY_BYTES)


class BackgroundServer:
    """A waitress server on a thread, for the tests and the offline demo; stops quietly."""

    def __init__(self, wsgi: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> None:
        import threading

        self.server = make_server(wsgi, host, port)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.effective_port)

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):  # the sockets closed under the loop while stopping
            if not self._stopping:
                raise

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self.server.close()
        self._thread.join(timeout=5)
