"""The one door: every Slack request reaches its handler through here, and only if the
entry's rule (sparbot.bot.entries) lets this person in for this case.

The ack never waits on the database: a command is acknowledged as soon as its text is
parsed and the person's configured role is known, a button or event at once; what needs
the database (whose case it is, who supervises the workplace) is checked after. A modal
is the exception Slack makes: its errors travel in the ack, so its check comes first. A
refusal is polite, in the bot's language, says what the person may do instead, shows no
case detail, and is an audit row."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack
from slack_bolt.kwargs_injection.args import Args
from sqlmodel import Session, select

from sparbot.bot.deps import Deps
from sparbot.bot.entries import Carrier, Entry, Kind, Registry, Who
from sparbot.bot.grammar import Command
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.metadata import DismissContext, EmailContext, ModalContext, NudgeRef
from sparbot.bot.replies import error_text, modal_errors, reply_text
from sparbot.errors import UserError
from sparbot.models import AgendaItem, Case, Decision, DecisionAction
from sparbot.privacy import CprNumberRefused
from sparbot.services import roster, sparring
from sparbot.services.access import (
    Actor,
    Role,
    is_jobcenter_consultant,
    may_see,
    supervises,
    supervisor_role,
)
from sparbot.services.audit import AuditAction, audit
from sparbot.services.team_members import is_team_admin
from sparbot.services.teams import team_of_channel

log = logging.getLogger(__name__)

# The message a role hears when an entry is not for it (a rule may name its own).
_REFUSALS = {None: "no_access", Role.STAFF: "admins_only",
             Role.JOBCENTER: "not_for_jobcenter", Role.SUPERVISOR: "not_for_supervisor"}


@dataclass(frozen=True)
class Refusal:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None  # the case that was tried, for the audit row


def user_of(body: dict[str, Any]) -> str | None:
    """The Slack user behind a request, whatever its kind."""
    if "command" in body:
        return body.get("user_id")
    if isinstance(body.get("user"), dict):
        return str(body["user"].get("id"))
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("user"), str):
        return str(event["user"])
    return None


def may_supervise(who: frozenset[Who]) -> bool:
    """Whether a rule lets in a supervisor, who is known by the database, not by settings."""
    return Who.WORKPLACE_SUPERVISOR in who or Who.ANYONE in who


def role_may(who: frozenset[Who], role: Role | None) -> bool:
    """Whether a role is let in by a rule at all (before looking at the case)."""
    if role is None:
        return False
    if role is Role.ADMIN or Who.ANYONE in who:
        return True
    return {Role.STAFF: Who.STAFF, Role.JOBCENTER: Who.CASE_JOBCENTER,
            Role.SUPERVISOR: Who.WORKPLACE_SUPERVISOR}[role] in who


class Door:
    """Stands in front of every handler: `listener_for` and `command_listener` are the only
    listeners Bolt is given (Registry.bind)."""

    def __init__(self, deps: Deps, registry: Registry) -> None:
        self.deps = deps
        self.registry = registry
        self.access = deps.settings.access()
        self._offers: dict[Role | None, frozenset[str]] = {}

    def offers(self, role: Role | None) -> frozenset[str]:
        """The buttons a role may use at all: a message shows a person no others."""
        if role not in self._offers:  # the registry is complete once the app is built
            self._offers[role] = frozenset(entry.id for entry in
                                           self.registry.of_kind(Kind.ACTION)
                                           if role_may(entry.rule.who, role))
        return self._offers[role]

    # --- the check ------------------------------------------------------------------------
    def admit(self, session: Session, entry: Entry, actor: Actor,
              found: Callable[[Session, Actor], Case | None]) -> tuple[Actor, Refusal | None]:
        """The actor as admitted (a supervisor found in the database), or a refusal."""
        rule = entry.rule
        today = self.deps.clock.today()
        if actor.role is None and may_supervise(rule.who):
            actor = Actor(actor.user_id, supervisor_role(session=session,
                                                         user_id=actor.user_id, today=today))
        if not role_may(rule.who, actor.role) and not (
                actor.role is Role.STAFF and Who.TEAM_ADMIN in rule.who
                and is_team_admin(session=session, user_id=actor.user_id)):
            try:  # the case they tried, for the audit row
                tried = found(session, actor)
            except UserError:
                tried = None
            return actor, Refusal(rule.refusal or _REFUSALS[actor.role],
                                  ref=tried.ref if tried else None)
        case = found(session, actor)
        if case is None or actor.role is Role.ADMIN:
            return actor, None
        if actor.role is Role.STAFF and (case.team_id is None or
                                         may_see(session=session, actor=actor, case=case)):
            return actor, None
        assert case.id is not None
        if actor.role is Role.JOBCENTER and Who.CASE_JOBCENTER in rule.who and \
                is_jobcenter_consultant(session=session, user_id=actor.user_id, case=case):
            return actor, None
        if actor.role is Role.SUPERVISOR and Who.WORKPLACE_SUPERVISOR in rule.who and \
                supervises(session=session, user_id=actor.user_id, case_id=case.id,
                           today=today):
            return actor, None
        if Who.ANYONE in rule.who:
            return actor, None
        # Said as for a case that does not exist: other people's cases stay unseen.
        return actor, Refusal("unknown_case", {"ref": case.ref, "suggestions": roster.
                                               similar_refs(session=session, ref=case.ref,
                                                            within=actor.cases())},
                              ref=case.ref)

    def refused(self, session: Session, what: str, actor: Actor, refusal: Refusal) -> str:
        """Note the refusal in the audit log; the message to say."""
        log.info("refused %s to a %s", what, actor.role or "person without access")
        audit(session=session, actor=actor.user_id, action=AuditAction.REFUSE, what=what,
              refs=[refusal.ref])
        return self.deps.renderer.text("errors", refusal.key, **refusal.params)

    # --- commands -------------------------------------------------------------------------
    def command_listener(self, args: Args) -> None:
        """`/spar …`: parsed, its subcommand's entry found and checked, then run."""
        command: dict[str, Any] = args.command or {}
        respond, ack = args.respond, args.ack
        renderer = self.deps.renderer
        actor = Actor(command["user_id"], self.access.role_of(command["user_id"]))
        parsed: Command | None = None
        try:
            parsed = self.registry.parse(command.get("text", ""), today=self.deps.clock.today())
        except CprNumberRefused:
            mistake = renderer.text("errors", "cpr_refused")
        except UserError as error:
            mistake = error_text(renderer, error)
        entry = self.registry.get(Kind.COMMAND, parsed.verb.value) if parsed else None
        if actor.role is None and (entry is None or not may_supervise(entry.rule.who)):
            # No access at all: said in the ack itself, before any database is asked.
            ack(text=renderer.text("errors", _REFUSALS[None]))
            with self.deps.session() as session:
                self.refused(session, entry.key if entry else "command:?", actor,
                             Refusal(_REFUSALS[None]))
            return
        ack()
        if parsed is None or entry is None:
            reply_text(respond, mistake)
            return
        call = Invocation(user_id=actor.user_id, channel_id=command.get("channel_id"),
                          trigger_id=command.get("trigger_id", ""), respond=respond,
                          client=args.client, actor=actor)
        named: list[Case] = []
        typed: Command = parsed

        def case_named(session: Session, who: Actor) -> Case | None:
            case = _case_named(session, typed, who, call.channel_id)
            named.extend([case] if case else [])
            return case

        try:
            with self.deps.session() as session:
                actor, refusal = self.admit(session, entry, actor, case_named)
                text = self.refused(session, entry.key, actor, refusal) if refusal else None
            if text is not None:
                reply_text(respond, text)
                return
            if named:  # the handler acts on the case admitted, whatever team holds "ZA"
                parsed = replace(parsed, ref=roster.case_token(named[-1]))  # type: ignore[call-arg]
            entry.handler(self.deps, parsed, replace(call, actor=actor,
                                                     offers=self.offers(actor.role)))
        except CprNumberRefused:
            reply_text(respond, renderer.text("errors", "cpr_refused"))
        except UserError as error:
            reply_text(respond, error_text(renderer, error))

    # --- buttons, modals, shortcuts, events -----------------------------------------------
    def listener_for(self, entry: Entry) -> Callable[[Args], None]:
        wanted = list(inspect.signature(entry.handler).parameters)

        def dispatch(args: Args) -> None:
            body: dict[str, Any] = args.body
            user_id = user_of(body) or ""
            actor = Actor(user_id, self.access.role_of(user_id))
            if entry.kind is not Kind.VIEW:
                args.ack()
            try:
                with self.deps.session() as session:
                    actor, refusal = self.admit(session, entry, actor,
                                                lambda s, who: _case_carried(s, entry, body, who))
                    text = self.refused(session, entry.key, actor, refusal) if refusal else None
                if text is not None:
                    self._say(entry, args, text)
                    return
                available = {"actor": actor, "deps": self.deps,
                             "offers": self.offers(actor.role),
                             "call": self.invocation(args, actor)}
                entry.handler(**{name: available[name] if name in available
                                 else getattr(args, name) for name in wanted})
            except CprNumberRefused:
                self._mistake(entry, args, UserError("cpr_refused"))
            except UserError as error:  # a mistake, or a case gone: said, nothing changed
                self._mistake(entry, args, error)

        dispatch.__name__ = f"dispatch_{entry.kind.value}_{entry.id}".replace("-", "_")
        return dispatch

    def invocation(self, args: Args, actor: Actor) -> Invocation:
        """Who clicked, where, and how to answer them: what a button hands a runner."""
        body: dict[str, Any] = args.body
        return Invocation(user_id=actor.user_id,
                          channel_id=(body.get("channel") or {}).get("id"),
                          trigger_id=body.get("trigger_id", ""), respond=args.respond,
                          client=args.client, actor=actor, offers=self.offers(actor.role))

    def _mistake(self, entry: Entry, args: Args, error: UserError) -> None:
        if entry.kind is Kind.VIEW:  # against its field, in the form
            args.ack(response_action="errors", errors=modal_errors(
                self.deps.renderer, error, args.body.get("view") or {}))
        else:
            self._say(entry, args, error_text(self.deps.renderer, error))

    def _say(self, entry: Entry, args: Args, text: str) -> None:
        """Tell the person, where they are: in the modal, the ephemeral thread of the click,
        their App Home, or their DMs."""
        body: dict[str, Any] = args.body
        if entry.kind is Kind.VIEW:
            _refuse_in_modal(args.ack, body.get("view") or {}, text)
        elif body.get("response_url"):
            reply_text(args.respond, text)
        elif entry.kind is Kind.EVENT and (body.get("event") or {}).get("type") == \
                "app_home_opened":
            args.client.views_publish(user_id=user_of(body) or "", view={
                "type": "home", "blocks": [{"type": "section", "text": {
                    "type": "mrkdwn", "text": text}}]})
        elif user_of(body):
            args.client.chat_postMessage(channel=user_of(body) or "", text=text)


def _refuse_in_modal(ack: Ack, view: dict[str, Any], text: str) -> None:
    inputs = [block.get("block_id") for block in view.get("blocks", [])
              if block.get("type") == "input"]
    if inputs:
        ack(response_action="errors", errors={str(inputs[0]): text})
    else:
        ack(response_action="update", view={
            "type": "modal", "title": {"type": "plain_text", "text": "sparbot"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]})


# --- where each request names its case ---------------------------------------------------

def resolve(session: Session, ref: str, actor: Actor, channel_id: str | None) -> Case:
    """The case a person names: among those they may see, the one in the team of the
    channel they are in if several teams hold the reference. One they may not see is
    returned all the same when it is the only one, for the dispatcher to refuse (and
    audit); unknown to them is said with suggestions from the cases they may see."""
    team = team_of_channel(session=session, channel_id=channel_id)
    prefer = team.scope.team_id if team else None
    try:
        return roster.get_case(session=session, ref=ref, within=actor.cases(),
                               prefer_team=prefer)
    except UserError as error:
        if error.key != "unknown_case":
            raise
        try:
            return roster.get_case(session=session, ref=ref, prefer_team=prefer)
        except UserError:
            raise error from None


def _case_named(session: Session, parsed: Command, actor: Actor,
                channel_id: str | None) -> Case | None:
    ref = parsed.case_ref
    return None if ref is None else resolve(session, ref, actor, channel_id)


def _case_carried(session: Session, entry: Entry, body: dict[str, Any],
                  actor: Actor) -> Case | None:
    carrier = entry.rule.case
    if carrier is Carrier.NONE:
        return None
    if carrier is Carrier.MODAL_REF and _typed_ref(body) and \
            ModalContext.model_validate_json(_metadata(body)).lookup is None:
        try:  # a reference typed into the form by the person
            return resolve(session, _typed_ref(body) or "", actor,
                           ModalContext.model_validate_json(_metadata(body)).channel_id)
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

