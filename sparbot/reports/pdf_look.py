"""The look every PDF report shares (the case report, the results): its type, its tables,
its page numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=8.5, leading=11)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5,
                       textColor=colors.HexColor("#555555"))
H1 = ParagraphStyle("h1", parent=STYLES["Title"], fontSize=17, alignment=0, spaceAfter=2)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontSize=11.5, spaceBefore=9,
                    spaceAfter=4, textColor=colors.HexColor("#1d4e3f"))


def para(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "–")).replace("\n", "<br/>"),
                     style)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]],
          widths: Sequence[float]) -> Table:
    data = [[para(cell, SMALL) for cell in header]]
    data += [[para(cell) for cell in row] for row in rows]
    grid = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    grid.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f0")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1d4e3f")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return grid


def footer(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(colors.HexColor("#777777"))
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"{document.page}")
    canvas.restoreState()
