"""A Socket Mode WebSocket endpoint on loopback: hands the bot Slack's envelopes and
collects its acknowledgements, as Slack's servers do."""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from typing import Any

from websockets.sync.server import Server, ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self._connected = threading.Event()
        self._lock = threading.Condition()
        self._server: Server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=test"

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "debug_info": {"host": "fake"},
                                    "connection_info": {"app_id": "A0SPARBOT"}}))
        self._connected.set()
        while True:
            try:
                envelope = self._outbox.get(timeout=0.05)
                connection.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = connection.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:  # the client went away
                return
            data = json.loads(message)
            with self._lock:
                self.acks[data.get("envelope_id", "")] = data
                self._lock.notify_all()

    def wait_connected(self, timeout: float = 20) -> None:
        if not self._connected.wait(timeout):
            raise AssertionError("the bot never connected over Socket Mode")

    def send(self, kind: str, payload: dict[str, Any]) -> str:
        envelope_id = str(uuid.uuid4())
        self._outbox.put({"envelope_id": envelope_id, "type": kind, "payload": payload,
                          "accepts_response_payload": kind != "events_api",
                          "retry_attempt": 0, "retry_reason": ""})
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while envelope_id not in self.acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the bot never acknowledged the envelope")
                self._lock.wait(remaining)
            return self.acks[envelope_id]
