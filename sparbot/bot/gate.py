"""The gate: every HTTP request to /slack/events is measured, read, verified and parsed here,
once, before Bolt sees it. What Bolt would choke on is answered here with a status: 413 for
a body too big to be Slack's (before it is read), 401 for anything not signed by Slack
(whatever else its headers say), 400 for a signed body that is not one of Slack's shapes.
A refused body is never logged: it may hold what someone typed about a citizen."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

# Slack's payloads are a few kilobytes; a large form's state stays far below this.
MAX_BODY_BYTES = 512 * 1024
MAX_TIMESTAMP_DIGITS = 12

JSON_TYPE = "application/json"
MAX_AGE_SECONDS = 5 * 60  # Slack's own rule for a request's timestamp


@dataclass(frozen=True)
class Signer:
    """Slack's request signature (v0), computed over the raw bytes: a body that is not
    UTF-8 is still checked, and refused as unsigned rather than failing."""

    secret: str

    def sign(self, body: bytes, timestamp: str) -> str:
        message = b"v0:" + timestamp.encode() + b":" + body
        return "v0=" + hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()

    def valid(self, body: bytes, timestamp: str, signature: str) -> bool:
        if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
            return False
        return hmac.compare_digest(self.sign(body, timestamp).encode(),
                                   signature.encode("utf-8", "replace"))


@dataclass(frozen=True)
class Passed:
    """A request Slack signed, in a shape Bolt reads."""

    body: bytes
    is_timeout_retry: bool  # Slack gave up waiting on a delivery that is being handled


@dataclass(frozen=True)
class Refused:
    status: str


def read_slack_request(environ: dict[str, Any], signer: Signer | None
                       ) -> Passed | Refused:
    """The request's body, if Slack sent it and Bolt can read it; otherwise the status to
    answer with. Raises nothing."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return Refused("400 Bad Request")
    if length < 0:
        return Refused("400 Bad Request")
    if length > MAX_BODY_BYTES:
        return Refused("413 Content Too Large")
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not (timestamp.isascii() and timestamp.isdigit()) or \
            len(timestamp) > MAX_TIMESTAMP_DIGITS or (signer is not None and not signature):
        return Refused("401 Unauthorized")  # not from Slack: read nothing
    try:
        body = environ["wsgi.input"].read(length) if length else b""
    except (OSError, ValueError):
        return Refused("400 Bad Request")
    if signer is not None and not signer.valid(body, timestamp, signature):
        return Refused("401 Unauthorized")
    if not readable(body, str(environ.get("CONTENT_TYPE") or "")):
        return Refused("400 Bad Request")
    retry = bool(environ.get("HTTP_X_SLACK_RETRY_NUM")) and \
        environ.get("HTTP_X_SLACK_RETRY_REASON") == "http_timeout"
    return Passed(body, retry)


def readable(body: bytes, content_type: str) -> bool:
    """Whether a body is one of Slack's shapes: a JSON object (events), or a UTF-8 form
    holding a command, Slack's `ssl_check`, or a `payload` that is a JSON object (interactions)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    if content_type.split(";")[0].strip().lower() == JSON_TYPE:
        return _json_object(text)
    try:
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text),
                        errors="strict", max_num_fields=200)
    except (ValueError, UnicodeDecodeError):
        return False
    if "payload" in form:
        return len(form["payload"]) == 1 and _json_object(form["payload"][0])
    return "command" in form or "ssl_check" in form  # Slack's certificate check


# Where Slack's payloads hold an object, and where a list of objects: what Bolt and the
# dispatcher reach into without asking.
_OBJECTS = ("user", "channel", "team", "view", "message", "container", "event", "enterprise",
            "state")
_LISTS_OF_OBJECTS = ("actions", "blocks")


def _json_object(text: str) -> bool:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # the latter: a body nested thousands deep
        return False
    return isinstance(value, dict) and _shaped(value)


def _shaped(value: dict[str, Any], depth: int = 0) -> bool:
    """Whether an object has Slack's shape where it matters (the type a string, the known
    objects objects, the known lists lists of objects), down through the nested objects."""
    if not isinstance(value.get("type", ""), str):
        return False
    if depth > 4:  # Slack nests its objects no deeper than this where we read them
        return True
    for key in _OBJECTS:
        inner = value.get(key)
        if key in ("user", "team", "channel") and isinstance(inner, str) and depth > 0:
            continue  # inside an event or a message these are ids
        if inner is not None and not (isinstance(inner, dict) and _shaped(inner, depth + 1)):
            return False
    for key in _LISTS_OF_OBJECTS:
        inner = value.get(key)
        if inner is not None and not (isinstance(inner, list) and
                                      all(isinstance(item, dict) for item in inner)):
            return False
    return True
