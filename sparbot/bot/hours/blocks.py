"""The forms for weekly hours and for a new placement."""


from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import BlockId, CallbackId
from sparbot.bot.kit import date_input, modal, select_input, text_input, user_input
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpCadence, PlacementKind


def build_hours_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        text_input(renderer, BlockId.HOURS, "field_hours", hint="hint_hours", max_length=20),
        text_input(renderer, BlockId.PAID, "field_paid", optional=True, max_length=20),
        date_input(renderer, BlockId.FROM, "field_from", initial=today),
    ]
    return modal(renderer, CallbackId.HOURS,
                  renderer.plain("ui", "modal_hours", ref=metadata.ref or ""), blocks, metadata)


def build_placement_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        select_input(renderer, BlockId.KIND, "field_kind", "placement",
                      [kind.value for kind in PlacementKind],
                      initial=PlacementKind.COMPANY_INTERNSHIP.value),
        text_input(renderer, BlockId.WORKPLACE, "field_workplace"),
        date_input(renderer, BlockId.START, "field_start", initial=today),
        date_input(renderer, BlockId.END, "field_end", initial=None, optional=True),
        text_input(renderer, BlockId.CONTACT_NAME, "field_contact_name", optional=True),
        text_input(renderer, BlockId.CONTACT_EMAIL, "field_contact_email", optional=True,
                    max_length=254),
        text_input(renderer, BlockId.CONTACT_PHONE, "field_contact_phone", optional=True,
                    max_length=40),
        user_input(renderer, BlockId.CONTACT_USER, "field_contact_user", optional=True),
        date_input(renderer, BlockId.NEXT_RAISE, "field_next_raise", initial=None,
                    optional=True),
        select_input(renderer, BlockId.FOLLOW_UP_CADENCE, "field_follow_up_cadence",
                     "follow_up_cadence", [cadence.value for cadence in FollowUpCadence],
                     initial=FollowUpCadence.MONTHLY.value),
    ]
    return modal(renderer, CallbackId.PLACEMENT,
                  renderer.plain("ui", "modal_placement", ref=metadata.ref or ""), blocks,
                  metadata)
