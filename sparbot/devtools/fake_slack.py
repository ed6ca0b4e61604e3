"""A fake Slack Web API on loopback: records every call, answers like Slack, checks limits.

Point the bot at it with SLACK_API_URL. It validates every message and view with
slack_sdk's models and Slack's limits (50 blocks a message, 100 a view) and, when
../shared/slack-reference is present, against Slack's published schemas. What it finds
wrong it answers as Slack would (ok: false, invalid_blocks) and keeps in `problems`, so
a test can fail on it. Faults can be queued per method: 429 with Retry-After, 5xx, errors.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from sparbot.devtools.slack_reference import SlackReference, reference_dir

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
RESPONSE_URL_PREFIX = "/respond/"
UPLOAD_PREFIX = "/upload/"
JSON_FIELDS = ("blocks", "view", "attachments")


@dataclass
class Call:
    method: str  # a Web API method, or "response_url"
    args: dict[str, Any]
    token: str | None = None
    at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] = field(default_factory=dict)
    url_id: str | None = None  # a response_url's own id: which request it answers

    @property
    def message(self) -> dict[str, Any]:
        """A posted message as Slack would hand it back in a button's payload."""
        return {"type": "message", "ts": self.response.get("ts"), "text": self.args.get("text"),
                "blocks": self.blocks, "user": "U0SPARBOT", "bot_id": "B0SPARBOT"}

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.args.get("blocks") or [])

    @property
    def view(self) -> dict[str, Any]:
        return dict(self.args.get("view") or {})


DROP = -1  # a Fault status: receive the call, then drop the connection without answering
HANG = -2  # receive the call (a message is posted), then never answer: the caller waits
LOST = -3  # never answer, and nothing arrives: the caller waits for a message never posted


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; `slack.api_url` is its SLACK_API_URL."""

    def __init__(self, *, validate_reference: bool = True) -> None:
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self._faults: dict[str, deque[Fault | None]] = {}
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        folder = reference_dir() if validate_reference else None
        self.reference = SlackReference.load(folder) if folder else None
        self.private_channels: set[str] = set()
        self.channel_members: dict[str, list[str]] = {}  # conversations.members
        self.user_names: dict[str, str] = {}  # users.info: a user's real name ("Test U…")
        self.emails: dict[str, str] = {}  # users.lookupByEmail: e-mail → Slack user id
        self.gone_users: set[str] = set()  # users.info answers user_not_found
        self.socket_mode_url: str | None = None  # what apps.connections.open hands out
        self._closing = False  # hung requests are let go when the fake stops
        self.uploads: dict[str, bytes] = {}  # file id → the bytes uploaded (files upload v2)
        self.shared_files: dict[str, dict[str, Any]] = {}  # file id → where it was shared
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self) -> str:
        return f"{self.base_url}{RESPONSE_URL_PREFIX}{next(self._ids)}"

    def wait_for_reply(self, response_url: str, timeout: float = 10.0) -> Call:
        """The first reply posted to this response_url (its arrival in `at`)."""
        url_id = response_url.rsplit("/", 1)[-1]
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for call in self.calls:
                    if call.url_id == url_id:
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no reply to {response_url} in {timeout}s")
                self._lock.wait(remaining)

    # --- what tests use --------------------------------------------------------------------
    def fail_next(self, method: str, *, status: int = 200, error: str | None = None,
                  retry_after: int | None = None, times: int = 1, after: int = 0) -> None:
        """Fail the next `times` calls to `method`, once `after` more have gone through."""
        with self._lock:
            queue = self._faults.setdefault(method, deque())
            queue.extend(None for _ in range(after))
            queue.extend(Fault(status, error, retry_after) for _ in range(times))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `count` calls to `method` have arrived (listeners run after the ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                calls = [call for call in self.calls if call.method == method]
                if len(calls) >= count:
                    return calls
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [call.method for call in self.calls]
                    raise AssertionError(f"waited {timeout}s for {count}× {method}; saw {seen}")
                self._lock.wait(remaining)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.problems.clear()

    # --- answering ---------------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _next_fault(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            return queue.popleft() if queue else None

    def _check(self, method: str, content_type: str, raw: dict[str, Any],
               args: dict[str, Any]) -> list[str]:
        problems: list[str] = []
        if "blocks" in args and args["blocks"] is not None:
            problems += check_message_blocks(args["blocks"])
        if "view" in args and args["view"] is not None:
            problems += check_view(args["view"])
        if self.reference is not None:
            if method == "response_url":
                if "blocks" in args:
                    problems += self.reference.message_problems(args["blocks"])
            else:
                problems += self.reference.problems(method, content_type, raw)
        return problems

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.6f}"
        channel = str(args.get("channel", ""))
        if method == "auth.test":
            return {"ok": True, "url": "https://sparbot-test.slack.com/", "team": "Test",
                    "user": "sparbot", "team_id": "T0TEST", "user_id": "U0SPARBOT",
                    "bot_id": "B0SPARBOT", "is_enterprise_install": False}
        if method == "chat.postMessage":
            if channel.startswith(("U", "W")):
                channel = "D" + channel[1:]
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"type": "message", "text": args.get("text", ""),
                                "user": "U0SPARBOT", "bot_id": "B0SPARBOT", "ts": ts,
                                "blocks": args.get("blocks", [])}}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": args.get("ts", ts),
                    "text": args.get("text", "")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method.startswith("views."):
            view = dict(args.get("view") or {})
            view.setdefault("id", f"V{next(self._ids):08d}")
            return {"ok": True, "view": view}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": channel, "name": "sparring",
                                            "is_private": channel in self.private_channels,
                                            "is_channel": True}}
        if method == "conversations.members":  # a page of two, as Slack pages long lists
            members = self.channel_members.get(channel, [])
            start = int(args.get("cursor") or 0)
            page = members[start:start + 2]
            more = start + 2 < len(members)
            return {"ok": True, "members": page,
                    "response_metadata": {"next_cursor": str(start + 2) if more else ""}}
        if method == "conversations.history":
            return {"ok": True, "messages": self._history(channel, args), "has_more": False}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:], "is_im": True}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            return {"ok": True, "file_id": file_id,
                    "upload_url": f"{self.base_url}{UPLOAD_PREFIX}{file_id}"}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            for item in files:
                self.shared_files[item["id"]] = {
                    "channel_id": args.get("channel_id"), "title": item.get("title"),
                    "initial_comment": args.get("initial_comment")}
            return {"ok": True, "files": [{"id": item["id"], "title": item.get("title")}
                                          for item in files]}
        if method == "apps.connections.open":
            if self.socket_mode_url is None:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_mode_url}
        if method == "users.info":
            user = str(args.get("user", ""))
            if user in self.gone_users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": self._user(user)}
        if method == "users.lookupByEmail":
            found = self.emails.get(str(args.get("email", "")).lower())
            if found is None:
                return {"ok": False, "error": "users_not_found"}
            return {"ok": True, "user": self._user(found)}
        return {"ok": True}

    def _user(self, user: str) -> dict[str, Any]:
        real_name = self.user_names.get(user, f"Test {user}")
        email = next((email for email, found in self.emails.items() if found == user), None)
        profile: dict[str, Any] = {"real_name": real_name, "display_name": real_name.split()[0]}
        if email:
            profile["email"] = email
        return {"id": user, "name": user.lower(), "real_name": real_name, "deleted": False,
                "tz": "Europe/Copenhagen", "profile": profile}

    def _history(self, channel: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The messages posted to a channel (a DM: the user's id), newest first."""
        oldest = float(args.get("oldest") or 0)
        with self._lock:
            posted = [call for call in self.calls if call.method == "chat.postMessage"
                      and call.response.get("channel") == channel]
        return [call.message for call in reversed(posted)
                if float(call.response.get("ts") or 0) >= oldest]

    def _hang(self) -> None:
        with self._lock:
            self._lock.wait_for(lambda: self._closing)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests read calls, not logs

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if self.path.startswith(UPLOAD_PREFIX):  # the upload step of files v2
                    fake.uploads[self.path.removeprefix(UPLOAD_PREFIX)] = self.rfile.read(length)
                    self._send_text(200, "OK - uploaded")
                    return
                raw_body = self.rfile.read(length).decode("utf-8")
                content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                raw = (json.loads(raw_body or "{}") if content_type == "application/json"
                       else dict(parse_qsl(raw_body)))
                args = {key: _maybe_json(key, value) for key, value in raw.items()}
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or \
                    raw.get("token")
                if self.path.startswith(RESPONSE_URL_PREFIX):
                    method = "response_url"
                elif self.path.startswith("/api/"):
                    method = self.path.removeprefix("/api/").split("?")[0]
                else:
                    self._send(404, {"ok": False, "error": "not_found"})
                    return
                fault = fake._next_fault(method)
                if fault is not None and fault.status in (HANG, LOST):
                    delivered = fault.status == HANG
                    fake._record(Call(method if delivered else f"{method}!lost", args, token,
                                      response=fake._answer(method, args) if delivered
                                      else {}))
                    fake._hang()
                    self.close_connection = True
                    return
                if fault is not None and fault.status == DROP:
                    # Slack got it (and would post it); the answer is lost on the way back.
                    fake._record(Call(method, args, token, response=fake._answer(method, args)))
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault is not None and fault.status != 200:
                    fake._record(Call(f"{method}!{fault.status}", args, token))
                    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                    default = "ratelimited" if fault.status == 429 else "fatal_error"
                    self._send(fault.status, {"ok": False, "error": fault.error or default},
                               headers)
                    return
                problems = fake._check(method, content_type, raw, args)
                if problems:
                    with fake._lock:
                        fake.problems.extend(problems)
                    fake._record(Call(f"{method}!invalid", args, token))
                    self._send(200, {"ok": False, "error": "invalid_blocks",
                                     "errors": problems[:5]})
                    return
                if fault is not None and fault.error:  # refused: in the log, not in a channel
                    refusal = {"ok": False, "error": fault.error}
                    fake._record(Call(method, args, token, response=refusal))
                    self._send(200, refusal)
                elif method == "response_url":
                    fake._record(Call(method, args, token,
                                      url_id=self.path.removeprefix(RESPONSE_URL_PREFIX)))
                    self._send_text(200, "ok")
                else:
                    answer = fake._answer(method, args)
                    fake._record(Call(method, args, token, response=answer))
                    self._send(200, answer)

            def _send(self, status: int, body: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _send_text(self, status: int, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _maybe_json(key: str, value: Any) -> Any:
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _block_problems(blocks: Any, limit: int, where: str) -> list[str]:
    if not isinstance(blocks, list):
        return [f"{where}: blocks must be a list"]
    problems = []
    if len(blocks) > limit:
        problems.append(f"{where}: {len(blocks)} blocks, Slack allows {limit}")
    for index, block in enumerate(blocks):
        try:
            parsed = Block.parse(block)
            if parsed is None:
                problems.append(f"{where}: block {index} has an unknown type")
                continue
            parsed.validate_json()
        except Exception as error:  # slack_sdk raises SlackObjectFormationError and others
            problems.append(f"{where}: block {index} ({block.get('type')}): {error}")
    return problems


def check_message_blocks(blocks: Any) -> list[str]:
    return _block_problems(blocks, MESSAGE_BLOCKS_MAX, "message")


def check_view(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view must be an object"]
    problems = _block_problems(view.get("blocks", []), VIEW_BLOCKS_MAX, f"{view.get('type')} view")
    try:
        View(**{key: value for key, value in view.items() if key != "id"}).validate_json()
    except Exception as error:
        problems.append(f"view: {error}")
    return problems

