"""The results figures as a reader gets them: a table for the terminal, JSON, CSV and XLSX.
Every output is made from `figure_rows`, which reads each figure's `value` (None when the
small-number rule hides it): no output can show a number the rule hides."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from sparbot.bot.render import Renderer
from sparbot.enums import Language
from sparbot.services.figures import SMALL, Cohort, Count, Figures, Line, Median, Share


class FigureRow(NamedTuple):
    cohort: str
    figure: str  # its words
    number: int | None  # the part (or the count); None when hidden
    of: int | None  # the denominator; None when hidden or not a share
    share: float | None
    median: float | None
    unit: str | None
    shown: str  # as a person reads it: "5 af 6 (83 %)", "26 uger (af 6)", "< 5"


def number(value: float, language: Language) -> str:
    """13.5 → "13,5" in Danish; whole numbers without decimals; one decimal at most."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", ",") if language is Language.DA else text


def percent(share: float) -> int:
    return int(share * 100 + 0.5)  # half up: 62.5 % reads 63 %, as on paper


def _words(renderer: Renderer) -> Any:
    return renderer.plain_env.get_template("figures.md.j2").module


def figure_label(line: Line, renderer: Renderer) -> str:
    labels = _words(renderer).FIGURES
    if line.key.startswith("outcome:"):
        return str(labels["outcome"]).format(renderer.label("outcome", line.key.split(":")[1]))
    return str(labels[line.key])


def cohort_label(cohort: Cohort, renderer: Renderer) -> str:
    return renderer.plain("figures", "cohort", by=cohort.by, key=cohort.key, name=cohort.name)


def _median_value(line: Line) -> float | None:
    return line.figure.value if isinstance(line.figure, Median) else None


def shown(line: Line, renderer: Renderer) -> str:
    figure, language = line.figure, renderer.language
    if figure.hidden:
        return SMALL
    if isinstance(figure, Share):
        if not figure.whole:
            return "–"
        return renderer.plain("figures", "share", part=figure.part, whole=figure.whole,
                              percent=percent(figure.part / figure.whole))
    if isinstance(figure, Median):
        value = _median_value(line)
        if value is None:
            return "–"
        return renderer.plain("figures", "median", value=number(value, language),
                              unit=line.unit, of=figure.of)
    return str(figure.n)


def figures_title(figures: Figures, renderer: Renderer, scope: str | None = None) -> str:
    selection = figures.selection
    return renderer.plain("figures", "title", scope=scope,
                          first=renderer.date(selection.started_from)
                          if selection.started_from else None,
                          last=renderer.date(selection.started_to)
                          if selection.started_to else None)


def figure_rows(figures: Figures, renderer: Renderer) -> Iterator[FigureRow]:
    for cohort in figures.cohorts:
        label = cohort_label(cohort, renderer)
        for line in cohort.lines:
            figure = line.figure
            hidden = figure.hidden
            number = of = None
            if not hidden and isinstance(figure, Share):
                number, of = figure.part, figure.whole
            elif not hidden and isinstance(figure, Count):
                number = figure.n
            elif not hidden and isinstance(figure, Median):
                of = figure.of
            yield FigureRow(cohort=label, figure=figure_label(line, renderer), number=number,
                            of=of, share=figure.value if isinstance(figure, Share) else None,
                            median=_median_value(line), unit=line.unit,
                            shown=shown(line, renderer))


def figures_table(figures: Figures, renderer: Renderer) -> str:
    """Figures down, cohorts across: what the terminal shows."""
    if figures.whole.figure("started").value == 0:
        return renderer.plain("figures", "no_courses")
    columns = [cohort_label(cohort, renderer) for cohort in figures.cohorts]
    names = [figure_label(line, renderer) for line in figures.whole.lines]
    cells = [[shown(cohort.lines[row], renderer) for cohort in figures.cohorts]
             for row in range(len(names))]
    first = max(len(name) for name in names)
    widths = [max(len(columns[index]), *(len(row[index]) for row in cells))
              for index in range(len(columns))]
    out = [" " * first + "  " + "  ".join(column.rjust(width)
                                          for column, width in zip(columns, widths, strict=True))]
    for name, row in zip(names, cells, strict=True):
        out.append(name.ljust(first) + "  " + "  ".join(
            cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    out.append("")
    out.append(renderer.plain("figures", "small_rule"))
    return "\n".join(out)


def _headings(renderer: Renderer) -> list[str]:
    words = _words(renderer).COLUMNS
    return [str(words[name]) for name in FigureRow._fields]


def _unit(unit: str | None, renderer: Renderer) -> str | None:
    return None if unit is None else str(_words(renderer).UNITS[unit])


def figures_json(figures: Figures, renderer: Renderer) -> str:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in figure_rows(figures, renderer):
        record = row._asdict()
        grouped.setdefault(record.pop("cohort"), []).append(record)
    return json.dumps([{"cohort": name, "figures": rows} for name, rows in grouped.items()],
                      ensure_ascii=False, indent=2)


def figures_csv(figures: Figures, renderer: Renderer, separator: str = ";") -> bytes:
    text = io.StringIO()
    text.write("\ufeff")  # a BOM, so a Danish spreadsheet reads UTF-8 (æ, ø, å)
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow(_headings(renderer))
    for row in figure_rows(figures, renderer):
        share = None if row.share is None else round(row.share, 4)
        median = None if row.median is None else round(row.median, 2)
        values: list[Any] = [row.cohort, row.figure, row.number, row.of, share, median,
                             _unit(row.unit, renderer), row.shown]
        if renderer.language is Language.DA:  # decimal commas, as a Danish sheet reads them
            values = [str(value).replace(".", ",") if isinstance(value, float) else value
                      for value in values]
        writer.writerow(values)
    return text.getvalue().encode("utf-8")


def figures_xlsx(figures: Figures, renderer: Renderer) -> bytes:
    """Real numbers (shares formatted as percentages), a header kept in view, a filter."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Resultater" if renderer.language is Language.DA else "Results"
    headings = _headings(renderer)
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figure_rows(figures, renderer):
        sheet.append([row.cohort, row.figure, row.number, row.of, row.share, row.median,
                      _unit(row.unit, renderer), row.shown])
        sheet.cell(sheet.max_row, 5).number_format = "0%"
        sheet.cell(sheet.max_row, 6).number_format = "0.0"
    for number_, width in enumerate((14, 48, 9, 9, 9, 9, 8, 22), start=1):
        sheet.column_dimensions[get_column_letter(number_)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{sheet.max_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
