"""The form for a mentor meeting or a workplace follow-up."""


from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import BlockId, CallbackId
from sparbot.bot.kit import date_input, modal, select_input, text_input
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpKind, PaidHoursAnswer


def build_follow_up_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        select_input(renderer, BlockId.KIND, "field_kind", "follow_up",
                      [kind.value for kind in FollowUpKind],
                      initial=FollowUpKind.MENTOR_MEETING.value),
        date_input(renderer, BlockId.HELD_ON, "field_held_on", initial=today),
        select_input(renderer, BlockId.PAID_RAISED, "field_paid_raised", "paid_answer",
                      [answer.value for answer in PaidHoursAnswer],
                      initial=PaidHoursAnswer.NOT_RAISED.value),
        date_input(renderer, BlockId.NEXT_RAISE, "field_next_raise", initial=None,
                    optional=True),
        text_input(renderer, BlockId.NOTE, "field_note", hint="hint_note", optional=True,
                    multiline=True, max_length=2000),
    ]
    return modal(renderer, CallbackId.FOLLOWUP,
                  renderer.plain("ui", "modal_follow_up", ref=metadata.ref or ""), blocks,
                  metadata)
