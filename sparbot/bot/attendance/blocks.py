"""The form for a week's attendance."""

from __future__ import annotations

from datetime import date, timedelta

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from sparbot.bot.ids import BlockId, CallbackId
from sparbot.bot.kit import choice_input, modal, text_input
from sparbot.bot.metadata import ModalContext
from sparbot.bot.render import Renderer
from sparbot.services.attendance import DAYS_MAX

WEEKS_OFFERED = 5  # this week and the four before it


def _days(renderer: Renderer, block: BlockId, label: str, initial: int) -> Block:
    return choice_input(renderer, block, label,
                        [(str(days), str(days)) for days in range(DAYS_MAX + 1)],
                        initial=str(initial))


def build_attendance_modal(renderer: Renderer, metadata: ModalContext, *, this_week: date,
                           week: date, planned: int) -> View:
    """Prefilled so that a full week is two clicks: the days planned as last logged (or as
    the hours' pattern says), all met, none missed."""
    weeks = [this_week - timedelta(days=7 * back) for back in range(WEEKS_OFFERED)]
    blocks: list[Block] = [
        choice_input(renderer, BlockId.WEEK, "field_week",
                     [(monday.isoformat(), renderer.plain("ui", "week_option", monday=monday))
                      for monday in weeks], initial=week.isoformat()),
        _days(renderer, BlockId.PLANNED_DAYS, "field_planned_days", planned),
        _days(renderer, BlockId.ATTENDED_DAYS, "field_attended_days", planned),
        _days(renderer, BlockId.SICK_DAYS, "field_sick_days", 0),
        _days(renderer, BlockId.NO_SHOW_DAYS, "field_no_show_days", 0),
        _days(renderer, BlockId.LEFT_EARLY_DAYS, "field_left_early_days", 0),
        text_input(renderer, BlockId.NOTE, "field_note", hint="hint_attendance_note",
                   optional=True, multiline=True, max_length=2000),
    ]
    return modal(renderer, CallbackId.ATTENDANCE,
                 renderer.plain("ui", "modal_attendance", ref=metadata.ref or ""), blocks,
                 metadata)
