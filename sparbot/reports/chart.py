"""The weekly hours over a course: internship and paid hours stacked, placements marked."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen: render to files only

import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from sparbot.services.report import hours_series
from sparbot.services.snapshots import CaseSnapshot

_COLOURS = ["#e8f1ec", "#f6efe1", "#e6eef8", "#f4e6ef", "#eef0e2", "#efe9f7"]


def _num(day: date) -> float:
    """Matplotlib's own day numbers, which its date axis reads."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def hours_chart_png(snapshot: CaseSnapshot, *, until: date, labels: dict[str, str],
                    placement_label: dict[str, str]) -> bytes:
    start = snapshot.case.start_date
    end = min(max(until, start + timedelta(days=7)), snapshot.end_date)
    steps = hours_series(snapshot, end)
    figure, axes = plt.subplots(figsize=(7.2, 2.9), dpi=150)
    for index, placement in enumerate(snapshot.placements):
        span_end = min(placement.end_date or end, end)
        if span_end < start:
            continue
        colour = _COLOURS[index % len(_COLOURS)]
        axes.axvspan(_num(placement.start_date), _num(span_end), color=colour,
                     zorder=0)
        axes.annotate(placement_label.get(placement.kind.value, placement.kind.value) + "\n"
                      + placement.workplace[:28], xy=(_num(placement.start_date), 1.0),
                      xycoords=("data", "axes fraction"), xytext=(3, -3),
                      textcoords="offset points", va="top", fontsize=6.5, color="#333333")
    if steps:
        days = [_num(step[0]) for step in steps]
        internship = [step[1] for step in steps]
        total = [step[1] + step[2] for step in steps]
        axes.fill_between(days, 0, internship, step="post", color="#2f6f4f", alpha=0.85,
                          label=labels["internship"], zorder=2)
        axes.fill_between(days, internship, total, step="post", color="#d08a2c", alpha=0.9,
                          label=labels["paid"], zorder=2)
        axes.set_ylim(0, max(max(total) * 1.35, 5))
        axes.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14), ncol=2, fontsize=7,
                    frameon=False)
    else:
        axes.text(0.5, 0.5, labels["none"], transform=axes.transAxes, ha="center",
                  va="center", color="#666666")
        axes.set_ylim(0, 10)
    axes.set_xlim(_num(start), _num(max(end, start + timedelta(days=14))))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m.%y"))  # type: ignore[no-untyped-call]
    return finish_png(figure, axes, labels["axis"])


def finish_png(figure: Any, axes: Any, axis_label: str) -> bytes:
    """The report's look for every chart (small type, light grid, no box), as a PNG."""
    axes.set_ylabel(axis_label, fontsize=8)
    axes.tick_params(labelsize=7)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def attendance_chart_png(snapshot: CaseSnapshot, *, until: date,
                         labels: dict[str, str]) -> bytes:
    """Each logged week as a bar of the days planned: met, sick, absent without notice and
    otherwise missed, stacked; the share met written above it."""
    weeks = [week for week in snapshot.attendance if week.week_start <= until]
    figure, axes = plt.subplots(figsize=(7.2, 2.4), dpi=150)
    if weeks:
        positions = list(range(len(weeks)))
        attended = [week.attended_days for week in weeks]
        sick = [week.sick_days for week in weeks]
        no_show = [week.no_show_days for week in weeks]
        other = [max(week.planned_days - week.attended_days - week.sick_days
                     - week.no_show_days, 0) for week in weeks]
        bottom = [0.0] * len(weeks)
        for values, colour, label in ((attended, "#2f6f4f", labels["attended"]),
                                      (sick, "#8fa9c7", labels["sick"]),
                                      (no_show, "#c0392b", labels["no_show"]),
                                      (other, "#d9d9d9", labels["other"])):
            axes.bar(positions, values, bottom=bottom, color=colour, width=0.7, label=label,
                     zorder=2)
            bottom = [base + value for base, value in zip(bottom, values, strict=True)]
        for position, week in zip(positions, weeks, strict=True):
            if week.planned_days:
                axes.text(position, week.planned_days + 0.15,
                          f"{round(100 * week.attended_days / week.planned_days)} %",
                          ha="center", va="bottom", fontsize=6, color="#333333")
        axes.set_xticks(positions, [str(week.week_start.isocalendar().week) for week in weeks])
        axes.set_xlabel(labels["week"], fontsize=8)
        axes.set_ylim(0, max(max(week.planned_days for week in weeks) + 1.5, 5))
        axes.legend(loc="upper left", bbox_to_anchor=(0.0, -0.3), ncol=4, fontsize=7,
                    frameon=False)
    else:
        axes.text(0.5, 0.5, labels["none"], transform=axes.transAxes, ha="center",
                  va="center", color="#666666")
        axes.set_ylim(0, 5)
        axes.set_xticks([])
    return finish_png(figure, axes, labels["axis"])
