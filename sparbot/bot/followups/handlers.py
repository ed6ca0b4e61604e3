"""Follow-ups: a mentor meeting or a follow-up at the workplace, and whether paid hours
were raised; typed, or in the form (from the case card or the morning digest)."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.changing import change_case, submit_change
from sparbot.bot.deps import Deps
from sparbot.bot.followups.blocks import GOAL_BLOCK, build_follow_up_modal
from sparbot.bot.followups.commands import FollowUpForm, LogFollowUp
from sparbot.bot.forms import Values, form_date, required
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.metadata import ModalContext
from sparbot.bot.render import Renderer
from sparbot.enums import FollowUpKind, GoalStatus, PaidHoursAnswer
from sparbot.services import roster
from sparbot.services.agreements import agreements_of, set_goal_statuses
from sparbot.services.roster import placement_on


def apply_follow_up(session: Session, command: LogFollowUp, actor: str, today: date,
                    renderer: Renderer) -> str:
    follow_up = roster.log_follow_up(
        session=session, ref=command.ref, kind=command.kind, held_on=command.day,
        paid_hours=command.paid_answer, note=command.note,
        next_paid_hours_raise=command.next_raise, actor=actor, today=today)
    case = roster.get_case(session=session, ref=command.ref)
    changed = set_goal_statuses(session=session, case_id=case.id or 0,
                                statuses=dict(command.goals), today=command.day)
    return renderer.text("replies", "follow_up_logged", ref=case.ref, kind=follow_up.kind,
                         held_on=follow_up.held_on, paid=follow_up.paid_hours,
                         goals_changed=changed)


def log_follow_up(deps: Deps, command: LogFollowUp, call: Invocation) -> None:
    change_case(deps, command, call, apply_follow_up)


def open_follow_up_form(deps: Deps, command: FollowUpForm, call: Invocation) -> None:
    today = deps.clock.today()
    with deps.session() as session:  # the case and its agreement's goals: one look
        case = roster.get_active_case(session=session, ref=command.ref)
        placement = placement_on(session, case.id or 0, today)
        view = agreements_of(session, [placement]).get(placement.id or 0) \
            if placement else None
        metadata = ModalContext(ref=case.ref, case=roster.case_token(case),
                                channel_id=call.channel_id)
    call.client.views_open(trigger_id=call.trigger_id, view=build_follow_up_modal(
        deps.renderer, metadata, today=today, goals=view.all_goals if view else []))


def handle_follow_up_add_action(deps: Deps, action: dict[str, Any], call: Invocation) -> None:
    """The case card's "Registrér opfølgning"."""
    open_follow_up_form(deps, FollowUpForm(ref=action.get("value") or ""), call)


def _goal_statuses(values: Values) -> tuple[tuple[int, GoalStatus], ...]:
    """The goals' selects, as picked; a block or value the form never offered is not read."""
    found = []
    for block_id, value in values.items():
        number = block_id.removeprefix(GOAL_BLOCK)
        if block_id.startswith(GOAL_BLOCK) and number.isascii() and number.isdigit() \
                and len(number) <= 12 and value is not None \
                and value in GoalStatus._value2member_map_:
            found.append((int(number), GoalStatus(value)))
    return tuple(found)


def follow_up_from_form(ref: str, values: Values, today: date) -> LogFollowUp:
    return LogFollowUp(
        goals=_goal_statuses(values),
        ref=ref, kind=FollowUpKind(required(values, BlockId.KIND)),
        day=form_date(values, BlockId.HELD_ON) or today,
        paid_answer=PaidHoursAnswer(values.get(BlockId.PAID_RAISED.value)
                                    or PaidHoursAnswer.NOT_RAISED.value),
        next_raise=form_date(values, BlockId.NEXT_RAISE), note=values.get(BlockId.NOTE.value))


def handle_follow_up_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                view: dict[str, Any], client: WebClient) -> None:
    submit_change(deps, ack, body, view, client, from_form=follow_up_from_form,
                  apply=apply_follow_up)
