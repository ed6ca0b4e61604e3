"""The results' charts: where each cohort's courses went (stacked bars), the share with paid
hours course week by course week (lines), and the weekly hours as a median band. A point
the small-number rule hides is not drawn: a gap in a line, a grey "< 5" in a bar."""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt

from sparbot.bot.render import Renderer
from sparbot.enums import Outcome
from sparbot.reports.chart import finish_png
from sparbot.reports.figures_files import cohort_label
from sparbot.services.figures import Cohort, Figures, Share, Weekly

_OUTCOME_COLOURS = ["#2f6f4f", "#5b9a78", "#8fc1a4", "#d08a2c", "#e7b36a", "#8fa9c7",
                    "#c0392b", "#b9a3c9"]
_HIDDEN = "#cfcfcf"
_LINES = ["#1d4e3f", "#d08a2c", "#3b6fa0", "#a0432f", "#6b8e23", "#7a5195"]


def chart_words(renderer: Renderer) -> Any:
    return renderer.plain_env.get_template("figures.md.j2").module.CHART  # type: ignore[attr-defined]


def outcomes_png(figures: Figures, renderer: Renderer) -> bytes:
    words = chart_words(renderer)
    cohorts = figures.cohorts[:-1] or figures.cohorts
    figure, axes = plt.subplots(figsize=(7.2, 2.8), dpi=150)
    labels = [cohort_label(cohort, renderer) for cohort in cohorts]
    bottoms = [0.0] * len(cohorts)
    for index, outcome in enumerate(Outcome):
        heights = [_shown_part(cohort, f"outcome:{outcome}") for cohort in cohorts]
        if any(heights):
            axes.bar(labels, heights, bottom=bottoms, width=0.6, zorder=2,
                     color=_OUTCOME_COLOURS[index % len(_OUTCOME_COLOURS)],
                     label=renderer.label("outcome", outcome.value))
            bottoms = [base + height for base, height in zip(bottoms, heights, strict=True)]
    hidden = [_hidden_rest(cohort) for cohort in cohorts]
    if any(hidden):
        axes.bar(labels, hidden, bottom=bottoms, width=0.6, color=_HIDDEN, zorder=2,
                 label=words["hidden"])
    for position, cohort in enumerate(cohorts):
        if cohort.figure("ended").hidden:
            axes.text(position, 0.2, "< 5", ha="center", va="bottom", fontsize=7,
                      color="#555555")
    if not any(bottoms) and not any(hidden):
        _nothing_to_draw(axes, words["no_ended"])
    else:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6.5, frameon=False)
    axes.tick_params(axis="x", labelrotation=30 if len(cohorts) > 4 else 0)
    return finish_png(figure, axes, words["courses_ended"])


def _nothing_to_draw(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center",
              color="#666666")


def _shown_part(cohort: Cohort, key: str) -> float:
    share = cohort.figure(key)
    return float(share.part) if isinstance(share, Share) and not share.hidden else 0.0


def _hidden_rest(cohort: Cohort) -> float:
    """The ended courses whose outcome is hidden, drawn as one grey block (never apart)."""
    ended = cohort.figure("ended")
    if ended.hidden or not isinstance(ended.value, int):
        return 0.0
    shown = sum(_shown_part(cohort, f"outcome:{outcome}") for outcome in Outcome)
    return max(float(ended.value) - shown, 0.0)


def paid_by_week_png(figures: Figures, weekly: Weekly, renderer: Renderer) -> bytes:
    words = chart_words(renderer)
    figure, axes = plt.subplots(figsize=(7.2, 2.8), dpi=150)
    drawn = False
    for index, cohort in enumerate(figures.cohorts):
        points = weekly.paid.get(cohort.key, [])
        values = [math.nan if share.value is None else 100 * share.value
                  for _week, share in points]
        if not points or all(math.isnan(value) for value in values):
            continue
        whole = cohort is figures.whole
        axes.plot([week for week, _share in points], values, marker="o", markersize=2.5,
                  linewidth=2.2 if whole else 1.2, zorder=3,
                  color="#111111" if whole else _LINES[index % len(_LINES)],
                  label=cohort_label(cohort, renderer))
        drawn = True
    if drawn:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6.5, frameon=False)
    else:
        _nothing_to_draw(axes, words["too_few"])
    axes.set_ylim(0, 100)
    axes.set_xlim(1, 26)
    axes.set_xlabel(words["week"], fontsize=8)
    return finish_png(figure, axes, words["paid_axis"])


def hours_band_png(weekly: Weekly, renderer: Renderer) -> bytes:
    words = chart_words(renderer)
    figure, axes = plt.subplots(figsize=(7.2, 2.6), dpi=150)
    shown = [band for band in weekly.band if not band.hidden and band.of]
    if shown:
        weeks = [band.week for band in weekly.band]

        def values(name: str) -> list[float]:
            return [math.nan if band.hidden else float(getattr(band, name))
                    for band in weekly.band]
        axes.fill_between(weeks, values("low"), values("high"), color="#8fc1a4", alpha=0.55,
                          linewidth=0, label=words["middle_half"], zorder=2)
        axes.plot(weeks, values("median"), color="#1d4e3f", linewidth=1.8,
                  label=words["median"], zorder=3)
        axes.set_ylim(0, max(max(band.high for band in shown) * 1.2, 5))
        axes.legend(loc="upper left", fontsize=6.5, frameon=False)
    else:
        _nothing_to_draw(axes, words["too_few"])
        axes.set_ylim(0, 10)
    axes.set_xlim(1, 26)
    axes.set_xlabel(words["week"], fontsize=8)
    return finish_png(figure, axes, words["hours_axis"])
