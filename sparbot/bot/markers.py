"""Markers: block ids by which a replica finds, in Slack's history, what a process that
died got out before it could record it: every outbox message (sparbot.services.outbox
makes its marker)."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from sparbot.services.outbox import MARKER_PREFIX


def posted_markers(client: WebClient, channel: str, *, since: datetime) -> dict[str, str]:
    """Every marker in the channel's messages since a moment, with its message's ts."""
    oldest = f"{since.timestamp() - 60:.6f}"  # clocks differ a little
    found: dict[str, str] = {}
    for page in client.conversations_history(channel=channel, oldest=oldest, limit=200):
        for message in page.get("messages") or []:
            for block in message.get("blocks") or []:
                marker = str(block.get("block_id") or "")
                if marker.startswith(MARKER_PREFIX):
                    found.setdefault(marker, str(message["ts"]))
    return found
