"""The results in a DM and in an admin's App Home: the whole selection's key figures as
fields, each as every output shows it (the small-number rule applied), and the rule said."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from sparbot.bot.kit import clip, context, header
from sparbot.bot.render import Renderer, escape_mrkdwn
from sparbot.reports.figures_files import figure_label, figures_title, shown
from sparbot.services.figures import Figures

# The figures a reader looks for first; the rest are in the PDF.
KEY_FIGURES = ("started", "active", "ended", "length", "company", "paid_w26",
               "weeks_to_paid", "hours_peak", "mentor_on_time", "jobcenter_agreed")
FIELD_LIMIT = 2000  # a field's text may hold 2000 characters


def figure_fields(figures: Figures, renderer: Renderer) -> SectionBlock:
    lines = {line.key: line for line in figures.whole.lines}
    return SectionBlock(fields=[
        MarkdownTextObject(text=clip(f"*{escape_mrkdwn(figure_label(lines[key], renderer))}*"
                                     f"\n{escape_mrkdwn(shown(lines[key], renderer))}",
                                     FIELD_LIMIT))
        for key in KEY_FIGURES])


def build_figures_summary(figures: Figures, renderer: Renderer, *,
                          scope: str | None = None) -> list[Block]:
    return [header(figures_title(figures, renderer, scope)),
            figure_fields(figures, renderer),
            context(renderer.text("figures", "more") + " "
                    + escape_mrkdwn(renderer.plain("figures", "small_rule")))]
