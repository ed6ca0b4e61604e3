"""The status statement as an editable Word document and as a PDF: the same sections, the
same sentences (sparbot.services.statement)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from sparbot.reports.statement import Statement


def statement_docx(statement: Statement) -> bytes:
    document = Document()
    document.core_properties.title = statement.title
    document.core_properties.author = "sparbot"
    document.add_heading(statement.title, level=1)
    intro = document.add_paragraph()
    intro.add_run(statement.intro).italic = True
    for section in statement.sections:
        document.add_heading(section.title, level=2)
        for line in section.lines:
            paragraph = document.add_paragraph(line)
            paragraph.paragraph_format.space_after = Pt(3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement: Statement) -> bytes:
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(statement.title), styles["Title"]),
             Paragraph(f"<i>{escape(statement.intro)}</i>", styles["BodyText"]),
             Spacer(1, 4 * mm)]
    for section in statement.sections:
        story.append(Paragraph(escape(section.title), styles["Heading2"]))
        story += [Paragraph(escape(line).replace("\n", "<br/>"), styles["BodyText"])
                  for line in section.lines]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=16 * mm, bottomMargin=16 * mm, title=statement.title,
                      author="sparbot").build(story)
    return buffer.getvalue()
