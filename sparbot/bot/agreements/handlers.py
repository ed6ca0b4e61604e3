"""The placement agreement: opened from `/spar aftale ZA` or the case card, prefilled with
what is agreed so far, saved in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.agreements.blocks import build_agreement_modal
from sparbot.bot.agreements.commands import AgreementForm, SaveAgreement
from sparbot.bot.changing import submit_change
from sparbot.bot.deps import Deps
from sparbot.bot.forms import Values, form_date
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.metadata import ModalContext
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpCadence
from sparbot.errors import UserError
from sparbot.services import roster
from sparbot.services.agreements import (
    AgreementInput,
    agreements_of,
    save_agreement,
)
from sparbot.services.people import PersonRef
from sparbot.services.roster import placement_on


def apply_agreement(session: Session, command: SaveAgreement, actor: str, today: date,
                    renderer: Renderer) -> str:
    view = save_agreement(session=session, ref=command.ref, data=command.data, actor=actor,
                          today=today)
    case = roster.get_case(session=session, ref=command.ref)
    # Said by DM to the one who saved it; still without the accommodations' words.
    return renderer.text("replies", "agreement_saved", ref=case.ref, v=view)


def open_agreement_form(deps: Deps, command: AgreementForm, call: Invocation) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_active_case(session=session, ref=command.ref)
        placement = placement_on(session, case.id or 0, today)
        if placement is None:
            raise UserError("agreement_needs_placement", ref=case.ref)
        current = agreements_of(session, [placement]).get(placement.id or 0)
        follows_up = current.follows_up.slack_user_id if current and current.follows_up \
            else None
        metadata = ModalContext(ref=case.ref, case=roster.case_token(case),
                                channel_id=call.channel_id)
        view = build_agreement_modal(deps.renderer, metadata, placement=placement,
                                     current=current, follows_up=follows_up)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def handle_agreement_action(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    """The case card's "Praktikaftale"."""
    open_agreement_form(deps, AgreementForm(ref=action.get("value") or ""), call)


def agreement_from_form(ref: str, values: Values, today: date) -> SaveAgreement:
    cadence = values.get(BlockId.FOLLOW_UP_CADENCE.value) or FollowUpCadence.MONTHLY.value
    if cadence not in FollowUpCadence._value2member_map_:
        raise UserError("bad_follow_up_cadence", field=BlockId.FOLLOW_UP_CADENCE.value,
                        text=cadence)
    follows_up = values.get(BlockId.FOLLOWS_UP.value)
    return SaveAgreement(ref=ref, data=AgreementInput(
        tasks=values.get(BlockId.TASKS.value), goals=values.get(BlockId.GOALS.value),
        hours_plan=values.get(BlockId.HOURS_PLAN.value),
        accommodations=values.get(BlockId.ACCOMMODATIONS.value),
        planned_end=form_date(values, BlockId.END),
        next_paid_hours_talk=form_date(values, BlockId.NEXT_RAISE),
        cadence=FollowUpCadence(cadence),
        follows_up=PersonRef(slack_user_id=follows_up) if follows_up else None))


def handle_agreement_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                view: dict[str, Any], client: WebClient) -> None:
    submit_change(deps, ack, body, view, client, from_form=agreement_from_form,
                  apply=apply_agreement)
