"""The results as a PDF, in the case report's look: the selection, the three charts, then
every figure per cohort in tables (four cohorts to a table, so that a page holds them)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

from sparbot.bot.render import Renderer
from sparbot.reports.figures_chart import (
    chart_words,
    hours_band_png,
    outcomes_png,
    paid_by_week_png,
)
from sparbot.reports.figures_files import cohort_label, figure_label, figures_title, shown
from sparbot.reports.pdf_look import H1, H2, SMALL, footer, para, table
from sparbot.services.figures import Figures, Weekly

COHORTS_PER_TABLE = 4


def figures_pdf(figures: Figures, weekly: Weekly, renderer: Renderer, *, today: date,
                scope: str | None = None) -> bytes:
    words = chart_words(renderer)
    title = figures_title(figures, renderer, scope)
    story: list[Any] = [Paragraph(escape(title), H1),
                        para(f"{words['generated']} {renderer.date(today)} · "
                             + renderer.plain("figures", "small_rule"), SMALL),
                        Spacer(1, 3 * mm)]
    for heading, png in ((words["outcomes"], outcomes_png(figures, renderer)),
                         (words["paid"], paid_by_week_png(figures, weekly, renderer)),
                         (words["band"], hours_band_png(weekly, renderer))):
        story.append(Paragraph(escape(heading), H2))
        story.append(Image(io.BytesIO(png), width=170 * mm, height=170 * mm * 0.38))
    story.append(Paragraph(escape(words["table"]), H2))
    names = [figure_label(line, renderer) for line in figures.whole.lines]
    for first in range(0, len(figures.cohorts), COHORTS_PER_TABLE):
        chunk = figures.cohorts[first:first + COHORTS_PER_TABLE]
        rows = [[name, *(shown(cohort.lines[index], renderer) for cohort in chunk)]
                for index, name in enumerate(names)]
        width = (170 - 62) / len(chunk)
        story.append(table(["", *(cohort_label(cohort, renderer) for cohort in chunk)], rows,
                           [62, *([width] * len(chunk))]))
        story.append(Spacer(1, 3 * mm))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=title,
                                 author="sparbot")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
