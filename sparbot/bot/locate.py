"""Where a request names its case: the reference a person typed (resolved among the cases
they may see, in the team of the channel they are in), or what a button or form carries
(a case's token, a decision, an action, an agenda item, a message's thread)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from sparbot.bot.entries import Carrier, Entry
from sparbot.bot.grammar import Command
from sparbot.bot.ids import BlockId
from sparbot.bot.metadata import DismissContext, EmailContext, ModalContext, NudgeRef
from sparbot.errors import UserError
from sparbot.models import AgendaItem, Case, Decision, DecisionAction
from sparbot.services import roster, sparring
from sparbot.services.access import Actor
from sparbot.services.teams import team_of_channel


def resolve(session: Session, ref: str, actor: Actor, channel_id: str | None) -> Case:
    """The case a person names: among those they may see, the one in the team of the
    channel they are in if several teams hold the reference. One they may not see is
    returned all the same when it is the only one, for the dispatcher to refuse (and
    audit); unknown to them is said with suggestions from the cases they may see."""
    def named(within: ColumnElement[bool] | None) -> Case:
        try:
            return roster.get_case(session=session, ref=ref, within=within)
        except UserError as error:
            if error.key != "ambiguous_ref":
                raise
            # Asked of the database only now: the channel's team tells the cases apart.
            team = team_of_channel(session=session, channel_id=channel_id)
            if team is None or team.scope.team_id is None:
                raise
            return roster.get_case(session=session, ref=ref, within=within,
                                   prefer_team=team.scope.team_id)

    try:
        return named(actor.cases())
    except UserError as error:
        if error.key != "unknown_case":
            raise
        try:
            return named(None)
        except UserError:
            raise error from None


def case_named(session: Session, parsed: Command, actor: Actor,
                channel_id: str | None) -> Case | None:
    ref = parsed.case_ref
    return None if ref is None else resolve(session, ref, actor, channel_id)


def case_carried(session: Session, entry: Entry, body: dict[str, Any],
                  actor: Actor) -> Case | None:
    carrier = entry.rule.case
    if carrier is Carrier.NONE:
        return None
    typed = _typed_ref(body) if carrier is Carrier.MODAL_REF else None
    if typed:
        context = ModalContext.model_validate_json(_metadata(body))
        if context.lookup is None:  # a reference typed into the form by the person
            try:
                return resolve(session, typed, actor, context.channel_id)
            except UserError as error:
                error.field = BlockId.REF.value
                raise
    case = _find(session, carrier, body)
    if case is None and entry.rule.needs_case:
        raise UserError(_GONE.get(carrier, "unknown_case"), ref="", suggestions=[])
    return case


_GONE = {Carrier.VALUE_DECISION: "unknown_decision",
         Carrier.VALUE_DECISION_ACTION: "unknown_decision",
         Carrier.MODAL_DECISION: "unknown_decision",
         Carrier.VALUE_AGENDA_ITEM: "unknown_agenda_item"}


def _find(session: Session, carrier: Carrier, body: dict[str, Any]) -> Case | None:
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    metadata = _metadata(body)
    try:
        if carrier is Carrier.VALUE_REF:
            return _by_ref(session, value)
        if carrier is Carrier.VALUE_NUDGE:
            return _by_ref(session, NudgeRef.model_validate_json(value).ref)
        if carrier is Carrier.MODAL_NUDGE:
            return _by_ref(session, DismissContext.model_validate_json(metadata).ref)
        if carrier is Carrier.MODAL_EMAIL:
            return _by_ref(session, EmailContext.model_validate_json(metadata).lookup)
        if carrier is Carrier.MODAL_REF:
            return _by_ref(session, ModalContext.model_validate_json(metadata).lookup)
        if carrier is Carrier.MODAL_DECISION:
            decision_id = ModalContext.model_validate_json(metadata).decision_id
            return _by_decision(session, decision_id)
        if carrier is Carrier.VALUE_DECISION:
            return _by_decision(session, int(value))
        if carrier is Carrier.VALUE_DECISION_ACTION:
            action = session.get(DecisionAction, int(value))
            return _by_decision(session, action.decision_id if action else None)
        if carrier is Carrier.VALUE_AGENDA_ITEM:
            item = session.get(AgendaItem, int(value))
            return session.get(Case, item.case_id) if item else None
        if carrier is Carrier.THREAD:
            message = body.get("message") or {}
            return sparring.case_for_thread(session=session, thread_ts=message.get(
                "thread_ts") or message.get("ts"))
    except (ValueError, ValidationError):  # a value that is not what we sent
        return None
    raise AssertionError(f"no way to find the case for {carrier}")


def _metadata(body: dict[str, Any]) -> str:
    return str((body.get("view") or {}).get("private_metadata") or "{}")


def _by_ref(session: Session, ref: str | None) -> Case | None:
    if not ref:
        return None
    try:
        return roster.get_case(session=session, ref=ref)
    except UserError:
        return None


def _by_decision(session: Session, decision_id: int | None) -> Case | None:
    if decision_id is None:
        return None
    return session.exec(select(Case).join(Decision).where(Decision.id == decision_id)).first()


def _typed_ref(body: dict[str, Any]) -> str | None:
    """The reference typed into a modal's reference field (the decision form without one)."""
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    for element in (values.get(BlockId.REF.value) or {}).values():
        return str(element.get("value") or "") or None
    return None
