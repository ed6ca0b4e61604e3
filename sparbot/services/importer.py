"""Roster CSV import: all or nothing. Every bad row is reported by line; nothing is written
unless every row is good."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session

from sparbot.enums import Cadence, FollowUpCadence, Purpose
from sparbot.errors import UserError
from sparbot.models import Team
from sparbot.parsing import (
    PLACEMENT_WORDS,
    clean_text,
    parse_cadence,
    parse_date,
    parse_person,
    whole_number,
)
from sparbot.privacy import CprNumberRefused, contains_cpr
from sparbot.services.audit import AuditAction, audit
from sparbot.services.people import PersonRef
from sparbot.services.roster import (
    CaseCreate,
    PlacementCreate,
    add_case,
    case_token,
    normalise_ref,
    start_placement,
)
from sparbot.services.teams import get_team

COLUMNS = ("ref", "programme", "purpose", "start", "weeks", "mentor", "company_consultant",
           "jobcenter_consultant", "cadence", "team", "placement", "workplace",
           "placement_start", "workplace_follow_up")
REQUIRED = ("ref", "programme", "purpose", "start", "mentor")

PURPOSE_WORDS = {
    **{purpose.value: purpose for purpose in Purpose},
    "afklaring": Purpose.WORK_CAPACITY, "arbejdsevne": Purpose.WORK_CAPACITY,
    "ordinær": Purpose.ORDINARY_EMPLOYMENT, "job": Purpose.ORDINARY_EMPLOYMENT,
    "fleksjob": Purpose.FLEX_JOB, "fastholdelse": Purpose.RETENTION,
    "uddannelse": Purpose.EDUCATION,
}  # fmt: skip
CADENCE_WORDS = {
    "": Cadence.WEEKLY, "weekly": Cadence.WEEKLY, "ugentlig": Cadence.WEEKLY,
    "hver uge": Cadence.WEEKLY, "biweekly": Cadence.BIWEEKLY,
    "hveranden": Cadence.BIWEEKLY, "hver anden uge": Cadence.BIWEEKLY,
    "every second week": Cadence.BIWEEKLY,
}  # fmt: skip


@dataclass(frozen=True)
class RowProblem:
    line: int
    error: UserError


class ImportFailed(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} bad rows")
        self.problems = problems


class Source(StrEnum):
    """What the roster file was read as: said to the operator, never guessed silently."""

    CSV_UTF8 = "csv-utf-8"
    CSV_WINDOWS_1252 = "csv-windows-1252"  # Danish Excel's "CSV (semikolonsepareret)"
    XLSX = "xlsx"


Rows = list[tuple[int, dict[str, str]]]
_XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip


def read_rows(data: bytes) -> tuple[Rows, list[RowProblem], Source]:
    """The roster's rows by line, from an .xlsx (its first sheet) or a CSV in UTF-8 or
    Windows-1252 (`,` or `;`), and which of these it was."""
    if data.startswith(_XLSX_MAGIC):
        return *_xlsx_rows(data), Source.XLSX
    try:
        text, source = data.decode("utf-8-sig"), Source.CSV_UTF8
    except UnicodeDecodeError:
        try:  # Danish Excel saves "CSV (semikolonsepareret)" as Windows-1252
            text, source = data.decode("cp1252"), Source.CSV_WINDOWS_1252
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            return [], [RowProblem(line, UserError("import_not_utf8"))], Source.CSV_UTF8
    text = clean_text(text)
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = _missing(header)
    if missing:
        return [], [missing], source
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, [], source


def _missing(header: list[str]) -> RowProblem | None:
    missing = [column for column in REQUIRED if column not in header]
    if not missing:
        return None
    return RowProblem(1, UserError("import_missing_columns", columns=missing,
                                   expected=list(COLUMNS)))


def _cell(value: object) -> str:
    """A spreadsheet cell as the CSV would hold it: a date as 2026-11-02, 26.0 as 26."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value)).strip()


def _xlsx_rows(data: bytes) -> tuple[Rows, list[RowProblem]]:
    from openpyxl import load_workbook  # only an import of a spreadsheet needs it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not a workbook after all: a zip of something else, or damaged
        return [], [RowProblem(1, UserError("import_not_xlsx"))]
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header: list[str] = []
        rows: Rows = []
        for number, cells in enumerate(lines, start=1):
            values = [_cell(cell) for cell in cells]
            if not header:
                if any(values):
                    header = [value.lower() for value in values]
                    missing = _missing(header)
                    if missing:
                        return [], [RowProblem(number, missing.error)]
                continue
            row = {key: value for key, value in zip(header, values, strict=False) if key}
            if any(row.values()):
                rows.append((number, row))
        return rows, []
    finally:
        workbook.close()


def parse_placement(values: dict[str, str], case: CaseCreate, today: date
                    ) -> PlacementCreate | None:
    """The case's current placement, when the row names its workplace: its kind, start
    (the course's, if not given) and how often the workplace is followed up."""
    workplace = values.get("workplace", "")
    if not workplace:
        return None
    kind_text = values.get("placement", "")
    if not kind_text:
        raise UserError("import_missing_value", column="placement")
    kind = PLACEMENT_WORDS.get(kind_text.lower())
    if kind is None:
        raise UserError("bad_kind", text=kind_text, known=sorted(PLACEMENT_WORDS))
    start = values.get("placement_start", "")
    cadence = values.get("workplace_follow_up", "")
    return PlacementCreate(
        kind=kind, workplace=workplace,
        start_date=parse_date(start, today=today) if start else case.start_date,
        follow_up_cadence=parse_cadence(cadence) if cadence else FollowUpCadence.MONTHLY)


def parse_row(values: dict[str, str], today: date) -> CaseCreate:
    if any(contains_cpr(value) for value in values.values()):
        raise CprNumberRefused()
    for column in REQUIRED:
        if not values.get(column):
            raise UserError("import_missing_value", column=column)
    purpose = PURPOSE_WORDS.get(values["purpose"].lower())
    if purpose is None:
        raise UserError("bad_purpose", text=values["purpose"],
                        known=[purpose.value for purpose in Purpose])
    cadence = CADENCE_WORDS.get(values.get("cadence", "").lower())
    if cadence is None:
        raise UserError("bad_cadence", text=values["cadence"])
    weeks_text = values.get("weeks") or "26"
    weeks = whole_number(weeks_text, error="bad_weeks")
    return CaseCreate(
        ref=values["ref"], programme=values["programme"], purpose=purpose,
        start_date=parse_date(values["start"], today=today), booked_weeks=weeks,
        mentor=_person(values["mentor"]),
        company_consultant=_person(values.get("company_consultant", "")),
        jobcenter_consultant=_person(values.get("jobcenter_consultant", "")),
        cadence=cadence)


def _person(text: str) -> PersonRef:
    if not text:
        return None  # type: ignore[return-value]
    slack_user_id, email = parse_person(text)
    return PersonRef(slack_user_id=slack_user_id, email=email)


@dataclass(frozen=True)
class Imported:
    count: int
    source: Source


def import_roster(*, session: Session, data: bytes, today: date, actor: str | None
                  ) -> Imported:
    """Add every case in the file, or none. Returns how many were added, and what the
    file was read as."""
    rows, problems, source = read_rows(data)
    parsed: list[CaseCreate] = []
    placements: list[PlacementCreate | None] = []
    team_of_row: list[int | None] = []
    teams: dict[str, Team] = {}  # looked up once per name, not once per row
    seen: dict[tuple[int | None, str], int] = {}  # a reference is unique within its team
    for line, values in rows:
        try:
            case = parse_row(values, today)
            placement = parse_placement(values, case, today)
            name = " ".join((values.get("team") or "").split()).lower()
            if name and name not in teams:
                teams[name] = get_team(session=session, name=values["team"])
            team = teams.get(name)
        except CprNumberRefused:
            problems.append(RowProblem(line, UserError("cpr_refused")))
            continue
        except UserError as error:
            problems.append(RowProblem(line, error))
            continue
        key = (team.id if team else None, normalise_ref(case.ref))
        if key in seen:
            problems.append(RowProblem(line, UserError("import_duplicate_in_file",
                                                       ref=case.ref, first=seen[key])))
            continue
        seen[key] = line
        parsed.append(case)
        placements.append(placement)
        team_of_row.append(team.id if team else None)
    if not rows and not problems:
        problems.append(RowProblem(1, UserError("import_empty")))
    if problems:
        raise ImportFailed(problems)
    # The caller's transaction rolls back everything if any row fails here (say, a reference
    # already active in the roster).
    for (line, _), case, placement, team_id in zip(rows, parsed, placements, team_of_row,
                                                   strict=True):
        try:
            added = add_case(session=session, data=case, actor=actor, team_id=team_id)
            if placement is not None:
                start_placement(session=session, ref=case_token(added), data=placement,
                                actor=actor, today=today)
        except UserError as error:
            problems.append(RowProblem(line, error))
    if problems:
        raise ImportFailed(problems)
    audit(session=session, actor=actor or "cli", action=AuditAction.CHANGE,
          what="roster.import", refs=[case.ref for case in parsed])
    return Imported(len(parsed), source)
