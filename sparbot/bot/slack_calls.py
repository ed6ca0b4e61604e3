"""When this process last reached Slack's Web API, for the health endpoint.

Every Web API call the bot makes goes through `WebClient.api_call`; the client below notes
when one last succeeded and when and how one last failed. The record is process-wide: the
app's client and the scheduler's both write to it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from sparbot.clock import utcnow


@dataclass
class SlackCallRecord:
    last_ok: datetime | None = None
    last_failure: datetime | None = None
    last_error: str | None = None  # Slack's error code, or the kind of network failure

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        # A worker process tells the serving process, whose /healthz reports (workers.py).
        self.tell: Callable[[str | None], None] | None = None

    def succeeded(self) -> None:
        with self._lock:
            self.last_ok = utcnow()
        if self.tell is not None:
            self.tell(None)

    def failed(self, error: str) -> None:
        with self._lock:
            self.last_failure, self.last_error = utcnow(), error
        if self.tell is not None:
            self.tell(error)

    def as_json(self, now: datetime) -> dict[str, Any]:
        with self._lock:
            return {
                "last_ok": self.last_ok.isoformat() if self.last_ok else None,
                "seconds_since_ok": round((now - self.last_ok).total_seconds())
                if self.last_ok else None,
                "last_failure": self.last_failure.isoformat() if self.last_failure else None,
                "last_error": self.last_error,
            }


SLACK_CALLS = SlackCallRecord()


class RecordingWebClient(WebClient):
    """A WebClient that notes each call's outcome in a SlackCallRecord."""

    def __init__(self, *args: Any, record: SlackCallRecord = SLACK_CALLS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            self.record.failed(str(error.response.get("error") or "error"))
            raise
        except Exception as error:  # the network: Slack was not reached at all
            self.record.failed(type(error).__name__)
            raise
        self.record.succeeded()
        return response


def record_slack_calls(context: Any, next: Callable[[], Any]) -> Any:
    """Bolt middleware. Bolt makes a plain WebClient for each request; hand the listeners
    the same client, recording, so that their calls count for the health endpoint too."""
    client = context.get("client")
    if client is not None and not isinstance(client, RecordingWebClient):
        context["client"] = RecordingWebClient(
            token=client.token, base_url=client.base_url, timeout=client.timeout,
            ssl=client.ssl, proxy=client.proxy, headers=client.headers,
            team_id=client.default_params.get("team_id"), logger=client.logger,
            retry_handlers=client.retry_handlers)
    return next()
