"""Drive the bot as Slack does: correctly signed HTTP requests with Slack's payload shapes."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sparbot.bot.gate import Signer
from sparbot.devtools.fake_slack import FakeSlack

TEAM = {"id": "T0TEST", "domain": "sparbot-test"}
APP_ID = "A0SPARBOT"


@dataclass
class Response:
    status: int
    body: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackDriver:
    def __init__(self, events_url: str, signing_secret: str, slack: FakeSlack) -> None:
        self.events_url = events_url
        self.signer = Signer(signing_secret)
        self.slack = slack
        self._ids = itertools.count(1)

    # --- transport ------------------------------------------------------------------------
    def post(self, body: str | bytes, content_type: str, *, timestamp: int | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None) -> Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        data = body.encode() if isinstance(body, str) else body
        sig = signature if signature is not None else self.signer.sign(data, ts)
        request = urllib.request.Request(
            self.events_url, data=data, method="POST",
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                     "X-Slack-Signature": sig or "", **(headers or {})})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return Response(answer.status, answer.read().decode(),
                                time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode(), time.perf_counter() - started)

    def _form(self, fields: dict[str, str], **kwargs: Any) -> Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def _interactive(self, payload: dict[str, Any], **kwargs: Any) -> Response:
        return self._form({"payload": json.dumps(payload)}, **kwargs)

    def _trigger(self) -> str:
        return f"{next(self._ids)}.1.trigger{next(self._ids)}"

    # --- Slack's payloads -----------------------------------------------------------------
    def command(self, text: str, *, user_id: str = "U0MENTOR", channel_id: str = "C0SPARRING",
                command: str = "/spar", response_url: str | None = None,
                **kwargs: Any) -> Response:
        """A slash command; `response_url` to know which reply answers it (a fresh one by
        default)."""
        return self._form({
            "token": "legacy-verification-token", "team_id": TEAM["id"],
            "team_domain": TEAM["domain"], "channel_id": channel_id, "channel_name": "sparring",
            "user_id": user_id, "user_name": user_id.lower(), "command": command,
            "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
            "response_url": response_url or self.slack.response_url(),
            "trigger_id": self._trigger(),
        }, **kwargs)

    def click(self, action_id: str, value: str, *, user_id: str = "U0MENTOR",
              in_view: dict[str, Any] | None = None, block_id: str = "b1",
              message: dict[str, Any] | None = None, channel_id: str = "C0SPARRING",
              response_url: str | None = None, **kwargs: Any) -> Response:
        """A button: in an ephemeral reply, in a channel message the bot posted (give it
        `message`), or in a view such as the App Home."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(),
                     "team_id": TEAM["id"]},
            "api_app_id": APP_ID, "token": "legacy-verification-token", "team": TEAM,
            "trigger_id": self._trigger(), "enterprise": None, "is_enterprise_install": False,
            "actions": [{"action_id": action_id, "block_id": block_id, "value": value,
                         "type": "button", "action_ts": f"{time.time():.6f}",
                         "text": {"type": "plain_text", "text": action_id}}],
        }
        if in_view is not None:
            payload["container"] = {"type": "view", "view_id": in_view.get("id", "V1")}
            payload["view"] = in_view
        else:
            payload["container"] = {
                "type": "message", "channel_id": channel_id, "is_ephemeral": message is None,
                "message_ts": message["ts"] if message else "1700000000.000100"}
            payload["channel"] = {"id": channel_id, "name": "sparring"}
            payload["response_url"] = response_url or self.slack.response_url()
            if message is not None:
                payload["message"] = message
        return self._interactive(payload, **kwargs)

    def submit(self, view: dict[str, Any], inputs: Mapping[str, str | None], *,
               user_id: str = "U0MENTOR", **kwargs: Any) -> Response:
        """Submit a modal the bot opened, filling its inputs as a person would."""
        values: dict[str, dict[str, Any]] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            block_id, action_id = block["block_id"], element["action_id"]
            given = inputs.get(block_id, _initial(element))
            values[block_id] = {action_id: _state(element, given)}
        submitted = {**view, "id": view.get("id", "V0MODAL"), "team_id": TEAM["id"],
                     "state": {"values": values}, "hash": "1700000000.abc",
                     "app_id": APP_ID, "bot_id": "B0SPARBOT"}
        payload = {"type": "view_submission", "team": TEAM,
                   "user": {"id": user_id, "username": user_id.lower(),
                            "name": user_id.lower(), "team_id": TEAM["id"]},
                   "api_app_id": APP_ID, "token": "legacy-verification-token",
                   "trigger_id": self._trigger(), "view": submitted, "response_urls": [],
                   "is_enterprise_install": False}
        return self._interactive(payload, **kwargs)

    def message_shortcut(self, callback_id: str, message: dict[str, Any], *,
                         user_id: str = "U0MENTOR", channel_id: str = "C0SPARRING",
                         **kwargs: Any) -> Response:
        """A message shortcut ("…" menu on a message), as Slack sends it."""
        payload = {"type": "message_action", "callback_id": callback_id,
                   "trigger_id": self._trigger(), "action_ts": f"{time.time():.6f}",
                   "team": TEAM, "user": {"id": user_id, "name": user_id.lower(),
                                          "team_id": TEAM["id"]},
                   "channel": {"id": channel_id, "name": "sparring"},
                   "message": message, "message_ts": message.get("ts"),
                   "response_url": self.slack.response_url(),
                   "token": "legacy-verification-token", "is_enterprise_install": False}
        return self._interactive(payload, **kwargs)

    def open_home(self, user_id: str = "U0MENTOR", **kwargs: Any) -> Response:
        body = {"token": "legacy-verification-token", "team_id": TEAM["id"],
                "api_app_id": APP_ID, "type": "event_callback",
                "event_id": f"Ev{next(self._ids):08d}", "event_time": int(time.time()),
                "event": {"type": "app_home_opened", "user": user_id, "channel": "D0HOME",
                          "tab": "home", "event_ts": f"{time.time():.6f}"},
                "authorizations": [{"team_id": TEAM["id"], "user_id": "U0SPARBOT",
                                    "is_bot": True}]}
        return self.post(json.dumps(body), "application/json", **kwargs)


    def user_change(self, user_id: str, real_name: str, *, deleted: bool = False,
                    email: str | None = None, **kwargs: Any) -> Response:
        """Slack's event when a user's profile changes: it names the user changed, and no
        one who acted."""
        profile: dict[str, Any] = {"real_name": real_name, "display_name": real_name}
        if email:
            profile["email"] = email
        body = {"token": "legacy-verification-token", "team_id": TEAM["id"],
                "api_app_id": APP_ID, "type": "event_callback",
                "event_id": f"Ev{next(self._ids):08d}", "event_time": int(time.time()),
                "event": {"type": "user_change", "event_ts": f"{time.time():.6f}",
                          "user": {"id": user_id, "team_id": TEAM["id"],
                                   "name": user_id.lower(), "deleted": deleted,
                                   "real_name": real_name, "profile": profile}},
                "authorizations": [{"team_id": TEAM["id"], "user_id": "U0SPARBOT",
                                    "is_bot": True}]}
        return self.post(json.dumps(body), "application/json", **kwargs)


def _initial(element: dict[str, Any]) -> str | None:
    kind = element.get("type")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "multi_users_select":
        return ",".join(element.get("initial_users") or [])
    if kind == "checkboxes":
        return ",".join(option["value"] for option in element.get("initial_options") or [])
    if kind == "static_select":
        return (element.get("initial_option") or {}).get("value")
    return element.get("initial_value")


def _state(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    kind = element.get("type")
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "static_select":
        option = next((option for option in element.get("options", [])
                       if option["value"] == value), None)
        return {"type": kind, "selected_option": option}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": [user for user in (value or "").split(",")
                                                  if user]}
    if kind == "checkboxes":
        chosen = (value or "").split(",")
        return {"type": kind, "selected_options": [option for option in element["options"]
                                                   if option["value"] in chosen]}
    return {"type": kind, "value": value}
