"""HTTP mode: Bolt's /slack/events behind a production WSGI server (waitress)."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, delete, insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from sparbot.bot.slack_calls import SLACK_CALLS
from sparbot.clock import utcnow
from sparbot.logs import request_id
from sparbot.models import SeenRequest

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def first_delivery(engine: Engine, signature: str) -> bool:
    """True the first time a signature is seen. Signatures cover the timestamp and the body,
    so only a repeat of the very same request is refused; old ones are pruned."""
    now = utcnow()
    try:
        with engine.begin() as connection:
            connection.execute(insert(SeenRequest).values(signature=signature[:80], at=now))
            if now.second == 0:  # about once a minute: forget what Slack would reject anyway
                connection.execute(delete(SeenRequest).where(
                    col(SeenRequest.at) < now - timedelta(minutes=10)))
    except IntegrityError:
        return False
    return True


def build_wsgi_app(app: App, engine: Engine, *, scheduler: Any = None,
                   signing_secret: str | None = None) -> WsgiApp:
    """Bolt's /slack/events behind the checks every request passes first, and /healthz.
    With the signing secret, a verified request seen before is not handled again."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def health(start_response: Callable[..., Any]) -> Iterable[bytes]:
        body: dict[str, Any] = {"ok": True, "database": "reachable"}
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            body = {"ok": False, "database": "unreachable"}
        if scheduler is not None:
            body["scheduler"] = "running" if scheduler.running else "stopped"
            body["ok"] = body["ok"] and scheduler.running
        # Reported, not judged: a quiet hour has no Slack calls, and a Slack outage is not
        # cured by a load balancer restarting replicas.
        body["slack"] = SLACK_CALLS.as_json(utcnow())
        status = "200 OK" if body["ok"] else "503 Service Unavailable"
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(data)))])
        return [data]

    def application(environ: dict[str, Any], start_response: Callable[..., Any]
                    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return health(start_response)
        request_id.set(uuid.uuid4().hex[:12])
        if environ.get("REQUEST_METHOD") == "POST":
            timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
            if not timestamp.isdigit() or len(timestamp) > 12:
                # Not from Slack: refuse as Bolt does a bad signature, never a 500.
                return _plain(start_response, "401 Unauthorized", b"")
            if environ.get("HTTP_X_SLACK_RETRY_NUM") and \
                    environ.get("HTTP_X_SLACK_RETRY_REASON") == "http_timeout":
                # Slack timed out waiting, but the first delivery is being handled: doing it
                # again would do it twice.
                return _plain(start_response, "200 OK", b"")
            return _once(environ, start_response)
        return slack(environ, start_response)

    def _once(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Hand Bolt the request (it checks the signature); remember a verified one, and
        answer a repeat of it with an empty 200 without handling it again."""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        captured: dict[str, Any] = {}

        def remember(status: str, headers: list[Any], *args: Any) -> Any:
            captured["status"] = status
            return start_response(status, headers, *args)

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if verifier is not None and signature and verifier.is_valid(
                body.decode("utf-8", "replace"),
                environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""), signature) \
                and not first_delivery(engine, signature):
            return _plain(start_response, "200 OK", b"")
        return slack(environ, remember)

    return application


def _plain(start_response: Callable[..., Any], status: str, body: bytes) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def make_server(wsgi: WsgiApp, host: str, port: int) -> Any:
    """A waitress server (call .run(); .close() stops it; .effective_port when port=0)."""
    from waitress.server import create_server

    return create_server(wsgi, host=host, port=port, threads=8, ident="sparbot")


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
