"""Exports as files: written from the streamed rows in the user's language."""

from __future__ import annotations

from typing import IO

from sqlmodel import Session

from sparbot.bot.render import Renderer
from sparbot.services.exports import ExportFilter, ExportFormat, export_rows, write_export


def export_decisions(*, session: Session, selection: ExportFilter, fmt: ExportFormat,
                     out: IO[bytes], renderer: Renderer, separator: str = ",") -> int:
    headings = renderer.labels("export_columns")
    # The few words a row needs, looked up once rather than once a cell.
    words = {group: renderer.labels(group) for group in ("category", "action_status", "yes_no")}
    return write_export(export_rows(session=session, selection=selection), fmt, out,
                        headings=headings, label=lambda group, value: words[group][value],
                        separator=separator)


def export_filename(selection: ExportFilter, fmt: ExportFormat, renderer: Renderer) -> str:
    stem = "beslutninger" if renderer.language == "da" else "decisions"
    if selection.ref:
        stem += f"-{selection.ref}"
    if selection.date_from or selection.date_to:
        stem += f"-{selection.date_from or ''}_{selection.date_to or ''}"
    return f"{stem}.{fmt.value}"
