"""The case report as a PDF: the course, placements, an hours chart, follow-ups and
decisions — what a mentor builds the final report to the jobcenter on."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sparbot.bot.render import Renderer
from sparbot.parsing import format_hours
from sparbot.reports.chart import attendance_chart_png, hours_chart_png
from sparbot.services.attendance import share_of
from sparbot.services.report import CaseReport

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=8.5, leading=11)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.5, leading=9.5,
                        textColor=colors.HexColor("#555555"))
_H1 = ParagraphStyle("h1", parent=_STYLES["Title"], fontSize=17, alignment=0, spaceAfter=2)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, spaceBefore=9,
                     spaceAfter=4, textColor=colors.HexColor("#1d4e3f"))


def _p(text: Any, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "–")).replace("\n", "<br/>"),
                     style)


def _who(person: Any) -> str:
    if person is None:
        return "–"
    return str(person.name or person.email or person.slack_user_id or "?")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Sequence[float]) -> Table:
    data = [[_p(cell, _SMALL) for cell in header]]
    data += [[_p(cell) for cell in row] for row in rows]
    table = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f0")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1d4e3f")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def case_report_pdf(report: CaseReport, renderer: Renderer) -> bytes:
    def t(name: str, **context: Any) -> str:
        return renderer.plain("report", name, **context)

    snapshot = report.snapshot
    case = snapshot.record
    day = renderer.date
    story: list[Any] = [Paragraph(escape(t("title", ref=case.ref)), _H1),
                        _p(t("subtitle", today=report.today), _SMALL), Spacer(1, 4 * mm)]

    extra = sum(extension.weeks for extension in snapshot.extensions)
    status = (t("closed", outcome=renderer.label("outcome", case.outcome.value),
                on=case.closed_on) if case.outcome and case.closed_on else t("active"))
    facts = [
        (t("programme"), case.programme),
        (t("purpose"), renderer.label("purpose", case.purpose.value)),
        (t("period"), f"{day(case.start_date)} – {day(snapshot.end_date)} · "
                      + t("weeks", booked=case.booked_weeks, extra=extra)),
        (t("status"), status),
        (t("people"), " / ".join(_who(person) for person in (
            snapshot.mentor, snapshot.company_consultant, snapshot.jobcenter_consultant))),
    ]
    story.append(Paragraph(escape(t("course")), _H2))
    story.append(_table(["", ""], facts, [45, 125]))

    story.append(Paragraph(escape(t("extensions")), _H2))
    if snapshot.extensions:
        story.append(_table([t("col_date"), t("col_weeks"), t("col_reason")],
                            [(day(extension.decided_on), extension.weeks, extension.reason)
                             for extension in snapshot.extensions], [28, 16, 126]))
    else:
        story.append(_p(t("nothing")))

    story.append(Paragraph(escape(t("placements")), _H2))
    if snapshot.placements:
        story.append(_table(
            [t("col_kind"), t("col_workplace"), t("col_from"), t("col_to")],
            [(renderer.label("placement", placement.kind.value), placement.workplace,
              day(placement.start_date), day(placement.end_date))
             for placement in snapshot.placements], [45, 69, 28, 28]))
    else:
        story.append(_p(t("nothing")))

    for placement in snapshot.placements:  # the report goes to one person: private
        agreed = report.agreements.get(placement.id or 0)
        if agreed is None:
            continue
        story.append(Paragraph(escape(t("agreement", workplace=placement.workplace)), _H2))
        terms = [(t("agreement_tasks"), agreed.agreement.tasks or "–"),
                (t("agreement_goals"), "\n".join(
                    f"{'  – ' if goal.parent_id else ''}{goal.text} "
                    f"({renderer.label('goal_status', goal.status.value)})"
                    for goal in agreed.all_goals) or "–"),
                (t("agreement_hours_plan"), agreed.agreement.hours_plan or "–"),
                (t("agreement_accommodations"), agreed.agreement.accommodations or "–"),
                (t("agreement_follow_up"), renderer.label(
                    "follow_up_cadence", placement.follow_up_cadence.value)
                 + (f" · {_who(agreed.follows_up)}" if agreed.follows_up else "")),
                (t("agreement_paid_talk"), day(placement.next_paid_hours_raise)),
                (t("agreement_end"), day(placement.end_date))]
        story.append(_table(["", ""], terms, [45, 125]))

    story.append(Paragraph(escape(t("chart")), _H2))
    png = hours_chart_png(
        snapshot, until=report.today,
        labels={"internship": t("chart_internship"), "paid": t("chart_paid"),
                "axis": t("chart_axis"), "none": t("chart_none")},
        placement_label=renderer.labels("placement"))
    story.append(Image(io.BytesIO(png), width=170 * mm, height=68 * mm))

    story.append(Paragraph(escape(t("attendance_chart")), _H2))
    if not snapshot.attendance:
        story.append(_p(t("chart_no_attendance")))
    else:
        png = attendance_chart_png(
            snapshot, until=report.today,
            labels={"attended": t("chart_attended"), "sick": t("chart_sick"),
                    "no_show": t("chart_no_show"), "other": t("chart_other_missed"),
                    "axis": t("chart_days_axis"), "week": t("chart_week_axis"),
                    "none": t("chart_no_attendance")})
        story.append(Image(io.BytesIO(png), width=170 * mm, height=57 * mm))
        summary = share_of(snapshot.attendance)
        story.append(_p(t("attendance_total", weeks=len(snapshot.attendance),
                          attended=sum(week.attended_days for week in snapshot.attendance),
                          planned=sum(week.planned_days for week in snapshot.attendance),
                          percent=None if summary is None else round(summary * 100)), _SMALL))

    story.append(Paragraph(escape(t("hours")), _H2))
    if snapshot.hours:
        story.append(_table(
            [t("col_from"), t("col_internship"), t("col_paid"), t("col_total")],
            [(day(entry.effective_from),
              entry.pattern or format_hours(entry.internship_hours),
              format_hours(entry.paid_hours), format_hours(entry.total))
             for entry in snapshot.hours], [35, 45, 45, 45]))
    else:
        story.append(_p(t("nothing")))

    story.append(Paragraph(escape(t("follow_ups")), _H2))
    if snapshot.follow_ups:
        story.append(_table(
            [t("col_date"), t("col_kind"), t("col_paid_answer"), t("col_note")],
            [(day(item.held_on), renderer.label("follow_up", item.kind.value),
              renderer.label("paid_answer", item.paid_hours.value), item.note or "")
             for item in snapshot.follow_up_records()], [24, 40, 40, 66]))
    else:
        story.append(_p(t("nothing")))

    story.append(Paragraph(escape(t("decisions")), _H2))
    if report.decisions:
        rows = []
        for view in report.decisions:
            actions = "\n".join(
                f"{_who(item.owner)} · {day(item.action.due_date)} · "
                f"{renderer.label('action_status', item.action.status.value)}"
                for item in view.actions)
            rows.append((day(view.decision.decided_on),
                         renderer.label("category", view.decision.category.value),
                         view.decision.text, actions))
        story.append(_table([t("col_date"), t("col_category"), t("col_decision"),
                             t("col_actions")], rows, [22, 28, 70, 50]))
    else:
        story.append(_p(t("nothing")))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm,
                                 title=t("title", ref=case.ref), author="sparbot")
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(colors.HexColor("#777777"))
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"{document.page}")
    canvas.restoreState()
