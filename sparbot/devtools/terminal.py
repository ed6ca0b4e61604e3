"""Block Kit as a terminal shows it: what the team would see in Slack, for the demo."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

_EMOJI = {":calendar:": "📅", ":handshake:": "🤝", ":moneybag:": "💰",
          ":hourglass_flowing_sand:": "⏳", ":white_check_mark:": "✅", ":warning:": "⚠️",
          ":no_entry:": "⛔"}


def mrkdwn_to_rich(text: str, names: Mapping[str, str]) -> str:
    text = escape(text)
    text = re.sub(r"<@([UW][A-Z0-9]+)>", lambda m: f"[cyan]@{names.get(m.group(1), m.group(1))}[/]",
                  text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"[bold]\1[/bold]", text)
    text = re.sub(r"`([^`\n]+)`", r"[green]\1[/green]", text)
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    return text


def _text_of(value: Any) -> str:
    return str(value.get("text", "")) if isinstance(value, dict) else str(value or "")


def render_blocks(blocks: list[dict[str, Any]], names: Mapping[str, str]) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"[bold underline]{escape(_text_of(block['text']))}[/]")
        elif kind == "section":
            text = mrkdwn_to_rich(_text_of(block.get("text")), names)
            for field in block.get("fields") or []:  # as Slack lays them: label, then value
                text += ("\n" if text else "") + mrkdwn_to_rich(
                    _text_of(field).replace("\n", ": ", 1), names)
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                text += f"  [reverse] {escape(_text_of(accessory['text']))} [/reverse]"
            lines.append(text)
        elif kind == "context":
            lines.append("[dim]" + " ".join(mrkdwn_to_rich(_text_of(element), names)
                                            for element in block.get("elements", [])) + "[/dim]")
        elif kind == "actions":
            lines.append("  ".join(f"[reverse] {escape(_text_of(element.get('text')))} [/reverse]"
                                   for element in block.get("elements", [])))
        elif kind == "divider":
            lines.append("[dim]" + "─" * 40 + "[/dim]")
        elif kind == "input":
            lines.append(f"[bold]{escape(_text_of(block.get('label')))}[/bold]: ▁▁▁▁▁▁")
    return "\n".join(lines)


def show(console: Console, title: str, blocks: list[dict[str, Any]],
         names: Mapping[str, str]) -> None:
    console.print(Panel(render_blocks(blocks, names), title=title, title_align="left",
                        border_style="blue", expand=False, width=110))
