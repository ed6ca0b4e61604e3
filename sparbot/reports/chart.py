"""The weekly hours over a course: internship and paid hours stacked, placements marked."""

from __future__ import annotations

import io
from datetime import date, timedelta

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
    axes.set_ylabel(labels["axis"], fontsize=8)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m.%y"))  # type: ignore[no-untyped-call]
    axes.tick_params(labelsize=7)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
