"""The decision log export, read back as its readers would: the csv module (a Danish
spreadsheet's ';' and BOM), openpyxl (typed dates), Markdown and JSON. Streamed."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date

import openpyxl
from sqlalchemy import insert
from sqlmodel import Session

from sparbot.bot.exports.files import export_decisions
from sparbot.bot.render import Renderer
from sparbot.enums import DecisionCategory, Language
from sparbot.models import Decision, DecisionAction
from sparbot.services import course_facts, decisions
from sparbot.services.decisions import DecisionCreate
from sparbot.services.exports import ExportFilter, ExportFormat
from sparbot.services.people import PersonRef
from tests.factories import make_case

DA = Renderer(Language.DA)


def log(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 6, 2))
    make_case(session, "EM", start=date(2026, 6, 2))
    decisions.record_decision(session=session, actor="U0MENTOR", today=date(2026, 11, 3),
                              data=DecisionCreate(
                                  ref="ZA", text="Forlæng; afventer «fleksjob»-vurdering",
                                  category=DecisionCategory.EXTENSION, extension_weeks=13,
                                  jobcenter_agreed=True, jobcenter_owner=True))
    second = decisions.record_decision(
        session=session, actor="U0MENTOR", today=date(2026, 11, 10),
        data=DecisionCreate(ref="ZA", text="Ring til lederen | om løntimer\nog skånehensyn",
                            owners=[PersonRef(slack_user_id="U0CONSULT"),
                                    PersonRef(slack_user_id="U0MENTOR")],
                            due=date(2026, 11, 17)))
    decisions.complete_action(session=session, action_id=second.actions[0].action.id or 0,
                              actor="U0CONSULT", today=date(2026, 11, 12))
    decisions.record_decision(session=session, actor="U0MENTOR", today=date(2026, 11, 20),
                              data=DecisionCreate(ref="EM", text="Ny praktik"))


EVERYTHING = ExportFilter()


def export(session: Session, fmt: ExportFormat, selection: ExportFilter = EVERYTHING,
           separator: str = ",") -> bytes:
    out = io.BytesIO()
    export_decisions(session=session, selection=selection, fmt=fmt, out=out, renderer=DA,
                     separator=separator)
    return out.getvalue()


def test_csv_opens_in_a_danish_spreadsheet(session: Session) -> None:
    log(session)
    data = export(session, ExportFormat.CSV, separator=";")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == ["Dato", "Møde", "Sag", "Kategori", "Beslutning", "Ansvarlig",
                           "Frist", "Status"]
    assert len(rows) == 1 + 4  # one row per action
    extension = rows[1]
    assert extension[2:5] == ["ZA", "forlængelse", "Forlæng; afventer «fleksjob»-vurdering"]
    assert extension[5] == "Jens Jobcenter" and extension[10] == "ja"
    assert extension[12:15] == ["2027-03-01", "1", "13"]  # 26 + 13 weeks from 2 June
    done = rows[2]
    assert done[4] == "Ring til lederen | om løntimer\nog skånehensyn"
    assert (done[5], done[6], done[7], done[8]) == ("U0CONSULT", "2026-11-17", "udført",
                                                    "2026-11-12")
    assert rows[3][7] == "åben"


def test_xlsx_has_typed_date_columns(session: Session, tmp_path: object) -> None:
    log(session)
    workbook = openpyxl.load_workbook(io.BytesIO(export(session, ExportFormat.XLSX)))
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Dato" and len(rows) == 5
    assert rows[1][0] is not None and rows[1][0].date() == date(2026, 11, 3)  # type: ignore[union-attr]
    assert sheet["A2"].number_format == "DD-MM-YYYY"
    assert rows[2][6].date() == date(2026, 11, 17)  # type: ignore[union-attr]
    # Readable as opened: the header stays in view, every column filters, text is wide.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(rows[0]))}1"
    assert sheet.column_dimensions["E"].width == 60  # the decision's text


def test_markdown_reads_as_a_table_and_json_as_records(session: Session) -> None:
    log(session)
    markdown = export(session, ExportFormat.MD).decode()
    lines = markdown.splitlines()
    assert lines[0].startswith("| Dato | Møde | Sag |") and lines[1].startswith("|---|")
    assert "Ring til lederen \\| om løntimer<br>og skånehensyn" in markdown
    assert len(lines) == 2 + 4
    assert lines[0].endswith("| Til stede | Status quo for | Status quo til |")
    records = json.loads(export(session, ExportFormat.JSON))
    assert records[0]["ref"] == "ZA" and records[0]["course_end"] == "2027-03-01"
    assert records[-1]["ref"] == "EM" and records[-1]["owner"] == "U0MENTOR"


def test_filters_by_case_and_dates(session: Session) -> None:
    log(session)
    em = json.loads(export(session, ExportFormat.JSON, ExportFilter(ref="em")))
    assert [record["ref"] for record in em] == ["EM"]
    november = json.loads(export(session, ExportFormat.JSON, ExportFilter(
        date_from=date(2026, 11, 4), date_to=date(2026, 11, 19))))
    assert {record["decided_on"] for record in november} == {"2026-11-10"}


def test_the_export_streams_rows_instead_of_holding_them(session: Session) -> None:
    case = make_case(session, "ZA", start=date(2026, 6, 2))
    owner_id = case.mentor_id

    def fill(count: int) -> None:
        rows = [{"case_id": case.id, "text": f"Beslutning {number}", "category": "other",
                 "status": "active", "decided_on": date(2026, 11, 3), "present": "[]"}
                for number in range(count)]
        # In bulk, many at once; the course's facts are made again just below.
        session.execute(insert(Decision), rows, execution_options={"course_facts": "below"})
        assert case.id is not None
        course_facts.refresh(session.connection(), [case.id])
        ids = [row[0] for row in session.execute(
            Decision.__table__.select().with_only_columns(Decision.__table__.c.id))]  # type: ignore[attr-defined]
        session.execute(insert(DecisionAction), [
            {"decision_id": decision_id, "owner_id": owner_id, "status": "open"}
            for decision_id in ids[-count:]])
        session.flush()

    def peak(count: int) -> int:
        fill(count)
        tracemalloc.start()
        data = io.BytesIO()
        written = export_decisions(session=session, selection=ExportFilter(),
                                   fmt=ExportFormat.CSV, out=_Sink(data),  # type: ignore[arg-type]
                                   renderer=DA)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert written >= count
        return top

    small = peak(2_000)
    large = peak(18_000)  # ten times the rows
    assert large < small * 2, (small, large)


class _Sink(io.RawIOBase):
    """Counts what is written and keeps none of it, as a file on disk would."""

    def __init__(self, _unused: io.BytesIO) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.written += len(data)
        return len(data)
