"""The form for a mentor meeting or a workplace follow-up."""


from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import BlockId, CallbackId
from sparbot.bot.kit import clip, date_input, modal, select_input, text_input
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpKind, GoalStatus, PaidHoursAnswer
from sparbot.models import AgreementGoal

GOAL_BLOCK = "goal-"  # a goal's status select: "goal-<id>"


def build_follow_up_modal(renderer: Renderer, metadata: ModalContext, *, today: date,
                          goals: Sequence[AgreementGoal] = ()) -> View:
    """The follow-up; with the placement agreement's goals, each with where it stands, so
    that progress is said where it is talked about."""
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
    for goal in goals:
        options = [Option(value=status.value, text=PlainTextObject(
            text=renderer.label("goal_status", status.value))) for status in GoalStatus]
        blocks.append(InputBlock(
            block_id=f"{GOAL_BLOCK}{goal.id}", optional=True,
            label=PlainTextObject(text=clip(renderer.plain("ui", "field_goal", text=goal.text),
                                            2000)),
            element=StaticSelectElement(
                action_id=f"{GOAL_BLOCK}{goal.id}", options=options,
                initial_option=next(option for option in options
                                    if option.value == goal.status.value))))
    return modal(renderer, CallbackId.FOLLOWUP,
                  renderer.plain("ui", "modal_follow_up", ref=metadata.ref or ""), blocks,
                  metadata)
