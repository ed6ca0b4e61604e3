"""Roster CSV import: all or nothing. Every bad row is reported by line; nothing is written
unless every row is good."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, select

from sparbot.enums import Cadence, CaseStatus, FollowUpCadence, Purpose
from sparbot.errors import UserError
from sparbot.models import Case, Person, Team
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
from sparbot.services.people import PersonRef, resolve_person
from sparbot.services.roster import (
    CaseCreate,
    PlacementCreate,
    add_case,
    case_token,
    find_active_case,
    normalise_ref,
    placement_on,
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
        raise UserError("bad_purpose", text=values["purpose"],  # Danish and English words
                        known=sorted(PURPOSE_WORDS))
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
class Change:
    """One field of a case the import changed (or, dry, would change)."""

    ref: str
    field: str  # programme, purpose, weeks, cadence, mentor, company_consultant, ...
    before: str
    after: str


@dataclass(frozen=True)
class Imported:
    count: int  # cases added
    source: Source
    changes: tuple[Change, ...] = ()

    @property
    def updated(self) -> int:
        return len({change.ref for change in self.changes})


def _existing(session: Session, ref: str, team_id: int | None) -> Case | None:
    """The active case a row names: in the row's team, else the only active case with the
    reference in any team (the row moves it to its team)."""
    found = find_active_case(session=session, ref=ref, team_id=team_id)
    if found is not None:
        return found
    anywhere = session.exec(select(Case).where(
        Case.ref_key == normalise_ref(ref), Case.status == CaseStatus.ACTIVE)).all()
    return anywhere[0] if len(anywhere) == 1 else None


def _readable(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.readable if person is not None else "–"


def update_case(session: Session, case: Case, data: CaseCreate, team_id: int | None
                ) -> list[Change]:
    """The fields of an active case the row says otherwise (people, cadence, team, weeks,
    programme, purpose); nothing else is touched, and nothing is ever deleted."""
    changes: list[Change] = []

    def person(field: str, current: int | None, given: PersonRef | None) -> int | None:
        wanted = resolve_person(session=session, ref=given).id if given else None
        if wanted != current:
            changes.append(Change(case.ref, field, _readable(session, current),
                                  _readable(session, wanted)))
        return wanted

    case.mentor_id = person("mentor", case.mentor_id, data.mentor) or case.mentor_id
    case.company_consultant_id = person("company_consultant", case.company_consultant_id,
                                        data.company_consultant)
    case.jobcenter_consultant_id = person("jobcenter_consultant",
                                          case.jobcenter_consultant_id,
                                          data.jobcenter_consultant)
    for field, before, after in (("programme", case.programme, data.programme.strip()),
                                 ("purpose", case.purpose.value, data.purpose.value),
                                 ("weeks", str(case.booked_weeks), str(data.booked_weeks)),
                                 ("cadence", case.cadence.value, data.cadence.value)):
        if before != after:
            changes.append(Change(case.ref, field, before, after))
    case.programme, case.purpose = data.programme.strip(), data.purpose
    case.booked_weeks, case.cadence = data.booked_weeks, data.cadence
    if case.team_id != team_id:
        names = {team.id: team.name for team in session.exec(select(Team))}
        changes.append(Change(case.ref, "team", names.get(case.team_id, "–"),
                              names.get(team_id, "–")))
        case.team_id = team_id
    session.flush()
    return changes


def import_roster(*, session: Session, data: bytes, today: date, actor: str | None,
                  dry_run: bool = False) -> Imported:
    """Add the cases the file names that are new, and update those already active (their
    people, cadence, team, weeks): every row, or none. `dry_run`: say what would change and
    keep nothing."""
    rows, problems, source = read_rows(data)
    parsed: list[CaseCreate] = []
    placements: list[PlacementCreate | None] = []
    team_of_row: list[int | None] = []
    team_given: list[bool] = []  # a file without the column leaves each case's team alone
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
        team_given.append("team" in values)
    if not rows and not problems:
        problems.append(RowProblem(1, UserError("import_empty")))
    if problems:
        raise ImportFailed(problems)
    # The caller's transaction rolls back everything if any row fails here.
    changes: list[Change] = []
    added = 0
    for (line, _), case, placement, team_id, given in zip(
            rows, parsed, placements, team_of_row, team_given, strict=True):
        try:
            existing = _existing(session, case.ref, team_id)
            if existing is None:
                existing = add_case(session=session, data=case, actor=actor, team_id=team_id)
                added += 1
            else:
                changes += update_case(session, existing, case,
                                       team_id if given else existing.team_id)
            if placement is not None and placement_on(
                    session, existing.id or 0, today) is None:
                start_placement(session=session, ref=case_token(existing), data=placement,
                                actor=actor, today=today)
        except UserError as error:
            problems.append(RowProblem(line, error))
    if problems:
        raise ImportFailed(problems)
    result = Imported(added, source, tuple(changes))
    if dry_run:
        session.rollback()  # what would change is said; nothing is kept
        return result
    audit(session=session, actor=actor or "cli", action=AuditAction.CHANGE,
          what="roster.import", refs=[case.ref for case in parsed])
    return result
