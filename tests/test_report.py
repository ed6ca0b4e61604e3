"""The case report: a PDF a mentor can build the final report on, read back page by page."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlmodel import Session

from sparbot.bot.render import Renderer
from sparbot.enums import DecisionCategory, FollowUpKind, Language, PaidHoursAnswer, PlacementKind
from sparbot.reports.case_pdf import case_report_pdf
from sparbot.services import decisions
from sparbot.services.decisions import DecisionCreate
from sparbot.services.report import gather_case_report, hours_series
from tests.conftest import Bot
from tests.factories import follow_up, hours, make_case, placement
from tests.test_slack_commands import last_reply

TODAY = date(2026, 11, 24)


def course(session: Session) -> None:
    make_case(session, "LBW", start=date(2026, 5, 12))
    placement(session, "LBW", PlacementKind.OWN_SHOP, "Genbrugsbutikken", date(2026, 5, 12),
              today=TODAY)
    hours(session, "LBW", "2x1,5", date(2026, 5, 12), today=TODAY)
    placement(session, "LBW", PlacementKind.HYBRID, "Byggemarkedet Nord", date(2026, 7, 7),
              today=TODAY)
    hours(session, "LBW", "3x5", date(2026, 7, 7), today=TODAY)
    hours(session, "LBW", "21,5", date(2026, 9, 22), today=TODAY, paid="3")
    hours(session, "LBW", "15", date(2026, 10, 27), today=TODAY, paid="3")
    follow_up(session, "LBW", FollowUpKind.WORKPLACE, date(2026, 11, 9), today=TODAY,
              paid=PaidHoursAnswer.LATER)
    decisions.record_decision(session=session, actor="U0MENTOR", today=date(2026, 11, 2),
                              data=DecisionCreate(ref="LBW", text="Forlænges 13 uger",
                                                  category=DecisionCategory.EXTENSION,
                                                  extension_weeks=13))


def test_the_report_holds_the_course_placements_chart_follow_ups_and_decisions(
        session: Session) -> None:
    course(session)
    report = gather_case_report(session=session, ref="lbw", today=TODAY)
    pdf = case_report_pdf(report, Renderer(Language.DA))
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Sagsrapport: LBW", "Forløbet", "Trædesten til job",
                     "26 uger + 13 ugers forlængelse", "Genbrugsbutikken",
                     "Byggemarkedet Nord", "Ugentlige timer", "21,5", "Forlænges 13 uger",
                     "løntimer drøftes igen senere", "Intet fremmøde registreret"):
        assert expected in text, expected
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1 and images[0].image is not None
    assert images[0].image.width > 800  # the hours chart, legible when printed


def test_the_chart_steps_through_the_hours(session: Session) -> None:
    course(session)
    report = gather_case_report(session=session, ref="LBW", today=TODAY)
    steps = hours_series(report.snapshot, TODAY)
    assert steps[0] == (date(2026, 5, 12), 3.0, 0.0)
    assert steps[-2:] == [(date(2026, 10, 27), 15.0, 3.0), (TODAY, 15.0, 3.0)]


def test_the_report_arrives_in_a_dm(bot: Bot) -> None:
    with bot.db() as session:
        course(session)
    bot.driver.command("rapport LBW")
    assert "Sagsrapporten for LBW er sendt til dig som direkte besked" in last_reply(bot)
    [data] = bot.slack.uploads.values()
    assert data.startswith(b"%PDF")
    [complete] = bot.slack.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"].startswith("D")
