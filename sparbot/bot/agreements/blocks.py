"""The placement agreement's form."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, InputBlock, PlainTextObject, UserSelectElement
from slack_sdk.models.views import View

from sparbot.bot.ids import BlockId, CallbackId
from sparbot.bot.kit import date_input, modal, select_input, text_input
from sparbot.bot.metadata import ModalContext
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpCadence
from sparbot.models import Placement
from sparbot.services.agreements import HOURS_PLAN_MAX, AgreementView


def _goals_text(view: AgreementView | None) -> str | None:
    if view is None or not view.goals:
        return None
    lines = []
    for line in view.goals:
        lines.append(line.goal.text)
        lines += [f"- {sub.text}" for sub in line.sub_goals]
    return "\n".join(lines)


def build_agreement_modal(renderer: Renderer, metadata: ModalContext, *, placement: Placement,
                          current: AgreementView | None, follows_up: str | None) -> View:
    agreement = current.agreement if current else None
    blocks: list[Block] = [
        text_input(renderer, BlockId.TASKS, "field_tasks", optional=True, multiline=True,
                   max_length=2000, initial=agreement.tasks if agreement else None),
        text_input(renderer, BlockId.GOALS, "field_goals", hint="hint_goals", optional=True,
                   multiline=True, max_length=3000, initial=_goals_text(current)),
        text_input(renderer, BlockId.HOURS_PLAN, "field_hours_plan", hint="hint_hours_plan",
                   optional=True, max_length=HOURS_PLAN_MAX,
                   initial=agreement.hours_plan if agreement else None),
        text_input(renderer, BlockId.ACCOMMODATIONS, "field_accommodations",
                   hint="hint_accommodations", optional=True, multiline=True,
                   max_length=2000, initial=agreement.accommodations if agreement else None),
        date_input(renderer, BlockId.END, "field_planned_end", initial=placement.end_date,
                   optional=True),
        date_input(renderer, BlockId.NEXT_RAISE, "field_next_raise",
                   initial=placement.next_paid_hours_raise, optional=True),
        select_input(renderer, BlockId.FOLLOW_UP_CADENCE, "field_follow_up_cadence",
                     "follow_up_cadence", [cadence.value for cadence in FollowUpCadence],
                     initial=placement.follow_up_cadence.value),
        InputBlock(block_id=BlockId.FOLLOWS_UP.value, optional=True,
                   label=PlainTextObject(text=renderer.plain("ui", "field_follows_up")),
                   hint=PlainTextObject(text=renderer.plain("ui", "hint_follows_up")),
                   element=UserSelectElement(action_id=BlockId.FOLLOWS_UP.value,
                                             initial_user=follows_up)),
    ]
    return modal(renderer, CallbackId.AGREEMENT,
                 renderer.plain("ui", "modal_agreement", ref=metadata.ref or ""), blocks,
                 metadata)
