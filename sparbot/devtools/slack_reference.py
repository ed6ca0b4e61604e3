"""Validation against Slack's published spec in ../shared/slack-reference, when present."""

from __future__ import annotations

import json
import os
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

# Real methods newer than the spec's snapshot (it is old): known, but not checked further.
NEWER_METHODS = frozenset({"apps.connections.open"})
_DEFAULT = Path(__file__).resolve().parents[2].parent / "shared" / "slack-reference"


def reference_dir() -> Path | None:
    configured = os.environ.get("SPARBOT_SLACK_REFERENCE")
    path = Path(configured) if configured else _DEFAULT
    return path if (path / "slack_web_oas3_sdk.json").exists() else None


class SlackReference:
    """Checks a Web API call's body, message blocks and views against Slack's schemas."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    @lru_cache(maxsize=2)
    def load(cls, folder: Path) -> SlackReference:
        """One instance per folder: the spec is large and its validators are slow to build."""
        return cls(folder)

    @cached_property
    def _api(self) -> dict[str, Any]:
        return dict(json.loads((self.folder / "slack_web_oas3_sdk.json").read_text()))

    @cached_property
    def _blocks_validator(self) -> Any:
        from jsonschema import Draft7Validator

        return Draft7Validator(json.loads(
            (self.folder / "MessageBlocks.schema.json").read_text()))

    @cached_property
    def _view_validator(self) -> Any:
        from jsonschema import Draft7Validator

        return Draft7Validator(json.loads((self.folder / "AnyView.schema.json").read_text()))

    @lru_cache(maxsize=256)  # noqa: B019 (instances live for the process, by design)
    def _body_validator(self, method: str, content_type: str) -> Any:
        from jsonschema import Draft7Validator

        path = self._api["paths"].get(f"/{method}")
        if path is None:
            return None
        content = path["post"]["requestBody"]["content"]
        if content_type not in content:
            return None
        pointer = ("#/paths/" + f"/{method}".replace("/", "~1") + "/post/requestBody/content/"
                   + content_type.replace("/", "~1") + "/schema")
        return Draft7Validator({"$ref": pointer, "paths": self._api["paths"],
                                "components": self._api["components"]})

    def problems(self, method: str, content_type: str, body: dict[str, Any]) -> list[str]:
        found: list[str] = []
        if method in NEWER_METHODS:
            return found
        if f"/{method}" not in self._api["paths"]:
            return [f"{method} is not a Slack Web API method"]
        validator = self._body_validator(method, content_type)
        if validator is not None:
            found += [f"{method}: {error.message}" for error in validator.iter_errors(body)]
        blocks = _decoded(body.get("blocks"))
        if blocks is not None:
            found += [f"{method} blocks: {error.message}"
                      for error in self._blocks_validator.iter_errors(blocks)]
        view = _decoded(body.get("view"))
        if view is not None:
            found += [f"{method} view: {error.message}"
                      for error in self._view_validator.iter_errors(view)]
        return found

    def message_problems(self, blocks: Any) -> list[str]:
        return [f"blocks: {error.message}" for error in self._blocks_validator.iter_errors(blocks)]


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
