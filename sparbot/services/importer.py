"""Roster CSV import: all or nothing. Every bad row is reported by line; nothing is written
unless every row is good."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

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


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowProblem]]:
    try:
        text = clean_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:  # a spreadsheet saved as Latin-1 or Windows-1252
        line = data[:error.start].count(b"\n") + 1
        return [], [RowProblem(line, UserError("import_not_utf8"))]
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return [], [RowProblem(1, UserError("import_missing_columns", columns=missing,
                                            expected=list(COLUMNS)))]
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, []


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


def import_roster(*, session: Session, data: bytes, today: date, actor: str | None) -> int:
    """Add every case in the file, or none. Returns how many were added."""
    rows, problems = read_rows(data)
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
    return len(parsed)
