"""The decision log export: one row per decision action, with the course's dates and
extensions, for the jobcenter and the provider's final report. Streamed: rows are read
from the database in batches and written as they come, whatever the size of the log."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import IO, Any, NamedTuple

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col

from sparbot.models import Case, Decision, DecisionAction, Extension, Meeting, Person, course_end

BATCH = 2000


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    MD = "md"
    JSON = "json"


@dataclass(frozen=True)
class ExportFilter:
    ref: str | None = None  # one case's: its reference, for the file's name
    case_id: int | None = None  # ... and the case itself (a reference may be in two teams)
    date_from: date | None = None
    date_to: date | None = None
    team_ids: tuple[int, ...] | None = None  # only these teams' cases (None: every case)


class ExportRow(NamedTuple):
    """One decision action; its fields in the order of COLUMNS (a tuple: cheap to build)."""

    decided_on: date
    meeting: date | None
    ref: str
    category: str
    text: str
    owner: str
    due: date | None
    status: str  # open, done, cancelled (action) or cancelled (the whole decision)
    done_on: date | None
    jobcenter_present: bool | None
    jobcenter_agreed: bool | None
    course_start: date
    course_end: date
    extensions: int
    extension_weeks: int
    present: str  # Slack ids of those present, comma-separated
    settles: str | None  # the agenda reason held as status quo ...
    settled_until: date | None  # ... until this day


COLUMNS = ("decided_on", "meeting", "ref", "category", "text", "owner", "due", "status",
           "done_on", "jobcenter_present", "jobcenter_agreed", "course_start", "course_end",
           "extensions", "extension_weeks", "present", "settles", "settled_until")


def export_rows(*, session: Session, selection: ExportFilter) -> Iterator[ExportRow]:
    """Every decision action matching the filter, oldest first, read BATCH rows at a time."""
    # Core rows (no ORM wrapping); the option on the statement, not the session's connection.
    result = session.connection().execute(
        export_statement(selection).execution_options(yield_per=BATCH))
    for (decided_on, meeting, ref, category, text, slack_id, name, email, due, action_status,
         decision_status, done_on, jobcenter, agreed, start, booked, count, weeks,
         present, settles, settled_until) in result:
        extra = int(weeks or 0)
        yield ExportRow(
            decided_on=decided_on, meeting=meeting, ref=ref, category=str(category), text=text,
            owner=name or email or slack_id or "", due=due,
            status="cancelled" if str(decision_status) == "cancelled" else str(action_status),
            done_on=done_on, jobcenter_present=jobcenter, jobcenter_agreed=agreed,
            course_start=start, course_end=course_end(start, booked + extra),
            extensions=int(count or 0), extension_weeks=extra,
            present=", ".join(json.loads(present)) if present and present != "[]" else "",
            settles=str(settles) if settles else None, settled_until=settled_until)


def export_statement(selection: ExportFilter) -> Any:
    """The one query behind the export (the benchmark writes its rows raw, as a floor)."""
    # SQLModel's select() types at most four columns; a report row has more.
    extensions = (sql_select(col(Extension.case_id), func.count().label("count"),
                         func.sum(col(Extension.weeks)).label("weeks"))
                  .group_by(col(Extension.case_id)).subquery())
    statement = (
        sql_select(col(Decision.decided_on), col(Meeting.held_on), col(Case.ref),
                   col(Decision.category), col(Decision.text), col(Person.slack_user_id),
                   col(Person.name), col(Person.email), col(DecisionAction.due_date),
                   col(DecisionAction.status), col(Decision.status), col(DecisionAction.done_on),
                   col(Decision.jobcenter_present), col(Decision.jobcenter_agreed),
                   col(Case.start_date), col(Case.booked_weeks), extensions.c.count,
                   extensions.c.weeks, col(Decision.present), col(Decision.settles),
                   col(Decision.settled_until))
        .select_from(DecisionAction)
        .join(Decision, col(Decision.id) == DecisionAction.decision_id)
        .join(Case, col(Case.id) == Decision.case_id)
        .join(Person, col(Person.id) == DecisionAction.owner_id)
        .outerjoin(Meeting, col(Meeting.id) == Decision.meeting_id)
        .outerjoin(extensions, extensions.c.case_id == Case.id)
        .order_by(col(Decision.decided_on), col(Decision.id), col(DecisionAction.id)))
    if selection.case_id is not None:
        statement = statement.where(col(Case.id) == selection.case_id)
    elif selection.ref is not None:  # every case with the reference, in whichever team
        statement = statement.where(col(Case.ref_key) == selection.ref.strip().casefold())
    if selection.team_ids is not None:
        statement = statement.where(col(Case.team_id).in_(selection.team_ids))
    if selection.date_from is not None:
        statement = statement.where(col(Decision.decided_on) >= selection.date_from)
    if selection.date_to is not None:
        statement = statement.where(col(Decision.decided_on) <= selection.date_to)
    return statement


Labeller = Callable[[str, str], str]


def _word_cells(label: Labeller) -> list[tuple[int, Callable[[Any], Any]]]:
    """The columns whose cells are words (yes/no, a category, a status), by position, each
    with what turns its value into the word: decided once, not once a cell."""
    yes, no = label("yes_no", "yes"), label("yes_no", "no")

    def yes_no(value: Any) -> Any:
        return "" if value is None else yes if value else no

    def labelled(group: str) -> Callable[[Any], Any]:
        return lambda value: "" if value is None else label(group, value)

    words = {"category": labelled("category"), "status": labelled("action_status"),
             "jobcenter_present": yes_no, "jobcenter_agreed": yes_no,
             "settles": labelled("settles")}
    return [(COLUMNS.index(column), make) for column, make in words.items()]


def _cells(row: ExportRow, words: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    """A row's values in COLUMNS order, the word columns as words; other empty cells None."""
    values = list(row)
    for position, make in words:
        values[position] = make(values[position])
    return values


def write_export(rows: Iterator[ExportRow], fmt: ExportFormat, out: IO[bytes], *,
                 headings: dict[str, str], label: Labeller, separator: str = ",") -> int:
    """Write rows as they come. Returns how many were written."""
    names = [headings[column] for column in COLUMNS]
    count = 0
    if fmt is ExportFormat.XLSX:
        return _write_xlsx(rows, out, names, label)
    text = _TextOut(out)
    if fmt is ExportFormat.CSV:
        text.write("\ufeff")  # a BOM, so a Danish spreadsheet reads UTF-8 (æ, ø, å)
        writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
        writer.writerow(names)
        words = _word_cells(label)
        for row in rows:  # the csv module writes None as an empty cell, a date in ISO form
            writer.writerow(_cells(row, words))
            count += 1
    elif fmt is ExportFormat.MD:
        text.write("| " + " | ".join(names) + " |\n")
        text.write("|" + "---|" * len(names) + "\n")
        words = _word_cells(label)
        for row in rows:
            cells = [_md(_iso("" if value is None else value)) for value in _cells(row, words)]
            text.write("| " + " | ".join(cells) + " |\n")
            count += 1
    else:
        text.write("[")
        for row in rows:
            record = {column: _iso(getattr(row, column)) for column in COLUMNS}
            text.write(("," if count else "") + "\n  " + json.dumps(record, ensure_ascii=False))
            count += 1
        text.write("\n]\n")
    text.flush()
    return count


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _md(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


_WIDTHS = {"text": 60, "owner": 24, "category": 22, "present": 24, "settles": 18}


def _write_xlsx(rows: Iterator[ExportRow], out: IO[bytes], names: list[str],
                label: Labeller) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)  # streams rows to disk as they are appended
    sheet = workbook.create_sheet("Beslutninger")
    # Set before the first row (a streamed sheet is written as it goes): readable widths,
    # the header kept in view, and a filter on every column.
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = _WIDTHS.get(
            column, max(12, len(names[number - 1]) + 2))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"
    bold = Font(bold=True)
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    words = _word_cells(label)
    try:
        for row in rows:
            cells = []
            for value in _cells(row, words):
                cell = WriteOnlyCell(sheet, value=value if value != "" else None)
                if isinstance(value, date):
                    cell.number_format = "DD-MM-YYYY"  # a real date column, not text
                cells.append(cell)
            sheet.append(cells)
            count += 1
    except BaseException:
        sheet.close()  # the rows stopped coming (the database went away): close the sheet
        raise
    workbook.save(out)
    return count


class _TextOut:
    """A small text buffer over a binary stream, flushed in chunks."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size > 1 << 16:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            self.out.write("".join(self.parts).encode("utf-8"))
            self.parts, self.size = [], 0
