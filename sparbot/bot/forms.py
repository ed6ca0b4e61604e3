"""Modals, whatever their subject: reading what was typed and picked, opening a form for a
case (saying "unknown case" before the form, not after it) and confirming a change by DM."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from sparbot.bot.deps import Deps
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.kit import build_text_message
from sparbot.bot.metadata import ModalContext
from sparbot.bot.replies import send_dm
from sparbot.errors import UserError
from sparbot.parsing import clean_text
from sparbot.services import roster

log = logging.getLogger(__name__)
Values = dict[str, str | None]


def read_state(view: dict[str, Any]) -> Values:
    """Each input block's value, whatever its element: text, date, user or select."""
    values: Values = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for element in actions.values():
            kind = element.get("type")
            if kind == "datepicker":
                value = element.get("selected_date")
            elif kind == "users_select":
                value = element.get("selected_user")
            elif kind == "static_select":
                value = (element.get("selected_option") or {}).get("value")
            elif kind == "multi_users_select":
                value = ",".join(element.get("selected_users") or [])
            elif kind == "checkboxes":
                value = ",".join(option["value"] for option in
                                 element.get("selected_options") or [])
            else:
                value = element.get("value")
            text = clean_text(value).strip() if isinstance(value, str) else ""
            values[block_id] = text or None
    return values


def required(values: Values, block: BlockId) -> str:
    value = values.get(block.value)
    if value is None:
        raise UserError("missing_field", field=block.value)
    return value


def form_date(values: Values, block: BlockId) -> date | None:
    value = values.get(block.value)
    return date.fromisoformat(value) if value else None


def modal_context(view: dict[str, Any]) -> ModalContext:
    return ModalContext.model_validate_json(view.get("private_metadata") or "{}")


def open_form(deps: Deps, call: Invocation, ref: str | None,
              build: Callable[[ModalContext], View]) -> None:
    """Open a form about a case (or about none): an unknown or closed case is said now."""
    metadata = ModalContext(ref=ref, channel_id=call.channel_id)
    if ref is not None:
        with deps.session() as session:
            case = roster.get_active_case(session=session, ref=ref)
        metadata = ModalContext(ref=case.ref, case=roster.case_token(case),
                                channel_id=call.channel_id)
    call.client.views_open(trigger_id=call.trigger_id, view=build(metadata))


def confirm(client: Any, user_id: str, text: str) -> None:
    """The change is saved; the confirmation is a courtesy, so a failed DM is only logged."""
    try:
        send_dm(client, user_id, build_text_message(text))
    except SlackApiError as error:
        log.warning("could not confirm a change by DM: %s", error.response.get("error"))
