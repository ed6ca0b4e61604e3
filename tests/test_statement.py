"""The status statement for the jobcenter: drafted from what is recorded, with dates, as an
editable Word document and a PDF; a section with no data says so and invents nothing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from pypdf import PdfReader
from sqlmodel import Session, select

from sparbot.bot.render import Renderer
from sparbot.enums import DecisionCategory, FollowUpKind, Language, PaidHoursAnswer, PlacementKind
from sparbot.models import AuditEvent
from sparbot.reports.statement import draft_statement
from sparbot.reports.statement_files import statement_docx, statement_pdf
from sparbot.services import decisions, roster
from sparbot.services.agreements import AgreementInput, save_agreement
from sparbot.services.attendance import AttendanceInput, record_attendance
from sparbot.services.decisions import DecisionCreate
from tests.conftest import TODAY, Bot
from tests.factories import MENTOR, follow_up, hours, make_case, placement
from tests.test_cli import invoke
from tests.test_slack_commands import last_reply

DA = Renderer(Language.DA)


def full_course(session: Session) -> None:
    make_case(session, "ZA", start=date(2026, 8, 3))
    placement(session, "ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken", date(2026, 8, 3),
              today=TODAY)
    hours(session, "ZA", "2x3", date(2026, 8, 3), today=TODAY)
    placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Netto", date(2026, 10, 5),
              today=TODAY)
    hours(session, "ZA", "3x4", date(2026, 10, 5), today=TODAY, paid="2")
    save_agreement(session=session, ref="ZA", actor=MENTOR, today=TODAY, data=AgreementInput(
        tasks="Varemodtagelse", goals="Møde stabilt\n- Møde til tiden",
        accommodations="Ingen tunge løft"))
    record_attendance(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                      data=AttendanceInput(date(2026, 11, 9), planned=3, attended=2, sick=1))
    record_attendance(session=session, ref="ZA", actor=MENTOR, today=TODAY,
                      data=AttendanceInput(date(2026, 11, 16), planned=3, attended=3))
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 11, 10), today=TODAY)
    follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, date(2026, 11, 17), today=TODAY)
    follow_up(session, "ZA", FollowUpKind.WORKPLACE, date(2026, 11, 12), today=TODAY,
              paid=PaidHoursAnswer.LATER)
    decisions.record_decision(session=session, actor=MENTOR, today=date(2026, 11, 3),
                              data=DecisionCreate(ref="ZA", text="Praktik i Netto afprøves",
                                                  category=DecisionCategory.INTERNSHIP))
    roster.extend_course(session=session, ref="ZA", weeks=13, decided_on=date(2026, 11, 17),
                         reason="Afventer speciallægeerklæring", actor=MENTOR)


# A fact each section must state, as recorded, with its date.
FACTS = {
    "Forløb og formål": "Forløbet begyndte 3. aug 2026 og slutter 2. maj 2027 (39 uger, heraf "
                        "13 ugers forlængelse)",
    "Praktikker og opgaver": "Virksomhedspraktik hos Netto fra 5. okt 2026 (i gang). "
                             "Opgaver: Varemodtagelse",
    "Timer": "Fra 5. okt 2026: 3×4 praktiktimer og 2 lønnede timer om ugen (14 t i alt).",
    "Fremmøde": "mødt 5 af 6 planlagte dage (83 %); syg 1 dag",
    "Mål og delmål": "– Møde til tiden: ikke begyndt",
    "Skånehensyn": "Netto: Ingen tunge løft",
    "Opfølgning": "Mentorsamtaler: 2, fra 10. nov 2026 til 17. nov 2026.",
    "Beslutninger og forlængelser": "Forlænget 13 uger 17. nov 2026: Afventer "
                                    "speciallægeerklæring.",
    "Status og udfald": "Forløbet er i gang: uge 17 af 39 pr. 24. nov 2026.",
}


def docx_text(data: bytes) -> tuple[list[str], str]:
    document = Document(io.BytesIO(data))
    headings = [paragraph.text for paragraph in document.paragraphs
                if paragraph.style is not None and paragraph.style.name.startswith("Heading")]
    return headings, "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_every_section_states_its_recorded_facts_in_word_and_pdf(session: Session) -> None:
    full_course(session)
    drafted = draft_statement(session=session, ref="ZA", today=TODAY, renderer=DA)
    headings, text = docx_text(statement_docx(drafted))
    assert headings == ["Statusudtalelse – ZA", *FACTS]
    for section, fact in FACTS.items():
        assert fact in text, (section, fact)
    assert "Intet registreret" not in text
    pdf = " ".join(" ".join(page.extract_text() for page in
                            PdfReader(io.BytesIO(statement_pdf(drafted))).pages).split())
    for fact in ("Statusudtalelse – ZA", "Virksomhedspraktik hos Netto fra 5. okt 2026",
                 "Netto: Ingen tunge løft", "mødt 5 af 6 planlagte dage"):
        assert fact in pdf, fact


def test_a_section_without_data_says_so_and_nothing_is_invented(session: Session) -> None:
    make_case(session, "ZB", start=date(2026, 11, 2))
    drafted = draft_statement(session=session, ref="ZB", today=TODAY, renderer=DA)
    empty = [section.title for section in drafted.sections if section.empty]
    assert empty == ["Praktikker og opgaver", "Timer", "Fremmøde", "Mål og delmål",
                     "Skånehensyn", "Opfølgning", "Beslutninger og forlængelser"]
    for section in drafted.sections:
        if section.empty:
            assert section.lines == ["Intet registreret."]
    _headings, text = docx_text(statement_docx(drafted))
    for invented in ("Netto", "%", "mødt", "Mentorsamtaler", "Forlænget"):
        assert invented not in text, invented


def test_the_cli_writes_it_and_audits_it(database_url: str, tmp_path: Path) -> None:
    from sparbot.db import make_engine, session_factory

    assert invoke(database_url, "db", "upgrade")[0] == 0
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        full_course(session)
    target = tmp_path / "udtalelse.docx"
    code, output = invoke(database_url, "statement", "ZA", "-o", str(target),
                          "--now", "2026-11-24T10:00")
    assert code == 0, output
    _headings, text = docx_text(target.read_bytes())
    assert FACTS["Timer"] in text
    code, output = invoke(database_url, "statement", "ZA", "--format", "pdf", "-o",
                          str(tmp_path / "u.pdf"), "--now", "2026-11-24T10:00")
    assert code == 0 and (tmp_path / "u.pdf").read_bytes().startswith(b"%PDF")
    with session_factory(engine)() as session:
        audited = session.exec(select(AuditEvent).where(
            AuditEvent.what == "case.statement")).all()
    engine.dispose()
    assert len(audited) == 2


def test_spar_udtalelse_delivers_word_and_pdf_to_the_dm(bot: Bot) -> None:
    with bot.db() as session:
        full_course(session)
    bot.driver.command("udtalelse ZA")
    assert "ligger i din direkte besked (Word og PDF)" in last_reply(bot)
    shared = list(bot.slack.shared_files.values())
    assert sorted(item["title"] for item in shared) == ["statusudtalelse-ZA"] * 2
    assert all(item["channel_id"].startswith("D") for item in shared)
    words = next(data for data in bot.slack.uploads.values() if data.startswith(b"PK"))
    assert FACTS["Skånehensyn"] in docx_text(words)[1]
