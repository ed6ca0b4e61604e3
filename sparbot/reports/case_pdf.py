"""The case report as a PDF: the course, placements, an hours chart, follow-ups and
decisions — what a mentor builds the final report to the jobcenter on."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from sparbot.bot.render import Renderer
from sparbot.parsing import format_hours
from sparbot.reports.chart import attendance_chart_png, hours_chart_png
from sparbot.reports.pdf_look import H1, H2, SMALL, footer, para, table
from sparbot.services.attendance import share_of
from sparbot.services.report import CaseReport


def _who(person: Any) -> str:
    if person is None:
        return "–"
    return str(person.name or person.email or person.slack_user_id or "?")


def case_report_pdf(report: CaseReport, renderer: Renderer) -> bytes:
    def t(name: str, **context: Any) -> str:
        return renderer.plain("report", name, **context)

    snapshot = report.snapshot
    case = snapshot.record
    day = renderer.date
    story: list[Any] = [Paragraph(escape(t("title", ref=case.ref)), H1),
                        para(t("subtitle", today=report.today), SMALL), Spacer(1, 4 * mm)]

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
    story.append(Paragraph(escape(t("course")), H2))
    story.append(table(["", ""], facts, [45, 125]))

    story.append(Paragraph(escape(t("extensions")), H2))
    if snapshot.extensions:
        story.append(table([t("col_date"), t("col_weeks"), t("col_reason")],
                            [(day(extension.decided_on), extension.weeks, extension.reason)
                             for extension in snapshot.extensions], [28, 16, 126]))
    else:
        story.append(para(t("nothing")))

    story.append(Paragraph(escape(t("placements")), H2))
    if snapshot.placements:
        story.append(table(
            [t("col_kind"), t("col_workplace"), t("col_from"), t("col_to")],
            [(renderer.label("placement", placement.kind.value), placement.workplace,
              day(placement.start_date), day(placement.end_date))
             for placement in snapshot.placements], [45, 69, 28, 28]))
    else:
        story.append(para(t("nothing")))

    for placement in snapshot.placements:  # the report goes to one person: private
        agreed = report.agreements.get(placement.id or 0)
        if agreed is None:
            continue
        story.append(Paragraph(escape(t("agreement", workplace=placement.workplace)), H2))
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
        story.append(table(["", ""], terms, [45, 125]))

    story.append(Paragraph(escape(t("chart")), H2))
    png = hours_chart_png(
        snapshot, until=report.today,
        labels={"internship": t("chart_internship"), "paid": t("chart_paid"),
                "axis": t("chart_axis"), "none": t("chart_none")},
        placement_label=renderer.labels("placement"))
    story.append(Image(io.BytesIO(png), width=170 * mm, height=68 * mm))

    story.append(Paragraph(escape(t("attendance_chart")), H2))
    if not snapshot.attendance:
        story.append(para(t("chart_no_attendance")))
    else:
        png = attendance_chart_png(
            snapshot, until=report.today,
            labels={"attended": t("chart_attended"), "sick": t("chart_sick"),
                    "no_show": t("chart_no_show"), "other": t("chart_other_missed"),
                    "axis": t("chart_days_axis"), "week": t("chart_week_axis"),
                    "none": t("chart_no_attendance")})
        story.append(Image(io.BytesIO(png), width=170 * mm, height=57 * mm))
        summary = share_of(snapshot.attendance)
        story.append(para(t("attendance_total", weeks=len(snapshot.attendance),
                          attended=sum(week.attended_days for week in snapshot.attendance),
                          planned=sum(week.planned_days for week in snapshot.attendance),
                          percent=None if summary is None else round(summary * 100)), SMALL))

    story.append(Paragraph(escape(t("hours")), H2))
    if snapshot.hours:
        story.append(table(
            [t("col_from"), t("col_internship"), t("col_paid"), t("col_total")],
            [(day(entry.effective_from),
              entry.pattern or format_hours(entry.internship_hours),
              format_hours(entry.paid_hours), format_hours(entry.total))
             for entry in snapshot.hours], [35, 45, 45, 45]))
    else:
        story.append(para(t("nothing")))

    story.append(Paragraph(escape(t("follow_ups")), H2))
    if snapshot.follow_ups:
        story.append(table(
            [t("col_date"), t("col_kind"), t("col_paid_answer"), t("col_note")],
            [(day(item.held_on), renderer.label("follow_up", item.kind.value),
              renderer.label("paid_answer", item.paid_hours.value), item.note or "")
             for item in snapshot.follow_up_records()], [24, 40, 40, 66]))
    else:
        story.append(para(t("nothing")))

    story.append(Paragraph(escape(t("decisions")), H2))
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
        story.append(table([t("col_date"), t("col_category"), t("col_decision"),
                             t("col_actions")], rows, [22, 28, 70, 50]))
    else:
        story.append(para(t("nothing")))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm,
                                 title=t("title", ref=case.ref), author="sparbot")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
