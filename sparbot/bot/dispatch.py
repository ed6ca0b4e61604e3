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
from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_bolt.kwargs_injection.args import Args
from sqlmodel import Session

from sparbot.bot.deps import Deps
from sparbot.bot.entries import Entry, Kind, Registry, Rule, Who
from sparbot.bot.failures import failure_text
from sparbot.bot.grammar import Command
from sparbot.bot.invocation import Invocation
from sparbot.bot.locate import case_carried, case_named
from sparbot.bot.replays import first_delivery
from sparbot.bot.replies import error_text, modal_errors, reply_text
from sparbot.db import watch_commits
from sparbot.errors import UserError
from sparbot.models import Case
from sparbot.privacy import CprNumberRefused
from sparbot.services import roster
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

log = logging.getLogger(__name__)

# The message a role hears when an entry is not for it (a rule may name its own).
_REFUSALS = {None: "no_access", Role.STAFF: "admins_only",
             Role.JOBCENTER: "not_for_jobcenter", Role.SUPERVISOR: "not_for_supervisor"}


@dataclass(frozen=True)
class Refusal:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None  # the case that was tried, for the audit row


@dataclass(frozen=True)
class Heard:
    actor: Actor  # as configured: a supervisor is not yet known
    parsed: Command | None
    entry: Entry | None
    mistake: str  # what to say when it did not parse
    refusal: str | None  # said in the ack: the person has no access at all


@dataclass(frozen=True)
class Admission:
    actor: Actor  # as admitted: a supervisor is found in the database
    case: Case | None = None  # the case the request names, when it names one
    refusal: Refusal | None = None


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
    if Who.WORKSPACE in who:
        return True
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
              found: Callable[[Session, Actor], Case | None]) -> Admission:
        """The actor as admitted (a supervisor found in the database) with the case the
        request names, or a refusal."""
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
            return Admission(actor, refusal=Refusal(rule.refusal or _REFUSALS[actor.role],
                                                    ref=tried.ref if tried else None))
        case = found(session, actor)
        if case is None or self._may_use(session, rule, actor, case, today):
            return Admission(actor, case)
        # Said as for a case that does not exist: other people's cases stay unseen.
        return Admission(actor, refusal=Refusal("unknown_case", {
            "ref": case.ref, "suggestions": roster.similar_refs(
                session=session, ref=case.ref, within=actor.cases())}, ref=case.ref))

    @staticmethod
    def _may_use(session: Session, rule: Rule, actor: Actor, case: Case, today: date) -> bool:
        """Whether an actor whose role the rule lets in may act on this case."""
        assert case.id is not None
        if actor.role is Role.ADMIN or Who.ANYONE in rule.who:
            return True
        if actor.role is Role.STAFF:
            return case.team_id is None or may_see(session=session, actor=actor, case=case)
        if actor.role is Role.JOBCENTER:
            return Who.CASE_JOBCENTER in rule.who and is_jobcenter_consultant(
                session=session, user_id=actor.user_id, case=case)
        return actor.role is Role.SUPERVISOR and Who.WORKPLACE_SUPERVISOR in rule.who and \
            supervises(session=session, user_id=actor.user_id, case_id=case.id, today=today)

    def refused(self, session: Session, what: str, actor: Actor, refusal: Refusal) -> str:
        """Note the refusal in the audit log; the message to say."""
        log.info("refused %s to a %s", what, actor.role or "person without access")
        audit(session=session, actor=actor.user_id, action=AuditAction.REFUSE, what=what,
              refs=[refusal.ref])
        return self.deps.renderer.text("errors", refusal.key, **refusal.params)

    # --- commands -------------------------------------------------------------------------
    def hear(self, command: dict[str, Any]) -> Heard:
        """A command as the ack sees it: parsed, its entry and the person's configured role,
        without the database. The front (sparbot.bot.front) acks from this too."""
        renderer = self.deps.renderer
        user_id = command.get("user_id") or ""
        actor = Actor(user_id, self.access.role_of(user_id))
        parsed: Command | None = None
        mistake = ""
        try:
            parsed = self.registry.parse(command.get("text", ""), today=self.deps.clock.today())
        except CprNumberRefused:
            mistake = renderer.text("errors", "cpr_refused")
        except UserError as error:
            mistake = error_text(renderer, error)
        entry = self.registry.get(Kind.COMMAND, parsed.verb.value) if parsed else None
        shut_out = actor.role is None and (entry is None or not may_supervise(entry.rule.who))
        return Heard(actor, parsed, entry, mistake,
                     renderer.text("errors", _REFUSALS[None]) if shut_out else None)

    def command_listener(self, args: Args) -> None:
        """`/spar …`: parsed, its subcommand's entry found and checked, then run."""
        watch_commits()
        command: dict[str, Any] = args.command or {}
        respond, ack = args.respond, args.ack
        renderer = self.deps.renderer
        heard = self.hear(command)
        actor, parsed, entry, mistake = heard.actor, heard.parsed, heard.entry, heard.mistake
        if heard.refusal is not None:
            # No access at all: said in the ack itself, before any database is asked.
            ack(text=heard.refusal)
            try:
                if self.first_delivery(args):
                    with self.deps.session() as session:
                        self.refused(session, entry.key if entry else "command:?", actor,
                                     Refusal(_REFUSALS[None]))
            except Exception as error:  # the refusal is said; its audit row could not be
                failure_text(renderer, error, "refusal")
            return
        ack()
        try:
            if not self.first_delivery(args):
                return
            if parsed is None or entry is None:
                reply_text(respond, mistake)
                return
            self._run_command(entry, parsed, args, actor)
        except CprNumberRefused:
            reply_text(respond, renderer.text("errors", "cpr_refused"))
        except UserError as error:
            reply_text(respond, error_text(renderer, error))
        except Exception as error:
            self._tell_failure(args, error, "command")

    def _run_command(self, entry: Entry, parsed: Command, args: Args, actor: Actor) -> None:
        command: dict[str, Any] = args.command or {}
        call = Invocation(user_id=actor.user_id, channel_id=command.get("channel_id"),
                          trigger_id=command.get("trigger_id", ""), respond=args.respond,
                          client=args.client, actor=actor)
        typed: Command = parsed
        with self.deps.session() as session:
            admitted = self.admit(session, entry, actor, lambda s, who: case_named(
                s, typed, who, call.channel_id))
            actor, refusal = admitted.actor, admitted.refusal
            text = self.refused(session, entry.key, actor, refusal) if refusal else None
        if text is not None:
            reply_text(args.respond, text)
            return
        if admitted.case:  # the handler acts on the case admitted, whatever team holds ZA
            parsed = replace(parsed, ref=roster.case_token(admitted.case))  # type: ignore[call-arg]
        entry.handler(self.deps, parsed, replace(call, actor=actor,
                                                 offers=self.offers(actor.role)))

    def first_delivery(self, args: Args) -> bool:
        """Whether this request is new (a repeat is acked and then left alone)."""
        signatures = args.request.headers.get("x-slack-signature") or []
        return first_delivery(self.deps.session, next(iter(signatures), None))

    # --- buttons, modals, shortcuts, events -----------------------------------------------
    def listener_for(self, entry: Entry) -> Callable[[Args], None]:
        wanted = list(inspect.signature(entry.handler).parameters)

        def dispatch(args: Args) -> None:
            watch_commits()
            body: dict[str, Any] = args.body
            user_id = user_of(body) or ""
            actor = Actor(user_id, self.access.role_of(user_id))
            if entry.kind is not Kind.VIEW:
                args.ack()
            try:
                if not self.first_delivery(args):
                    if entry.kind is Kind.VIEW:
                        args.ack()
                    return
                with self.deps.session() as session:
                    admitted = self.admit(session, entry, actor,
                                          lambda s, who: case_carried(s, entry, body, who))
                    actor, refusal = admitted.actor, admitted.refusal
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
            except Exception as error:
                self._tell_failure(args, error, entry.kind.value, entry)

        dispatch.__name__ = f"dispatch_{entry.kind.value}_{entry.id}".replace("-", "_")
        return dispatch

    def invocation(self, args: Args, actor: Actor) -> Invocation:
        """Who clicked, where, and how to answer them: what a button hands a runner."""
        body: dict[str, Any] = args.body
        return Invocation(user_id=actor.user_id,
                          channel_id=(body.get("channel") or {}).get("id"),
                          trigger_id=body.get("trigger_id", ""), respond=args.respond,
                          client=args.client, actor=actor, offers=self.offers(actor.role))

    def _tell_failure(self, args: Args, error: Exception, where: str,
                      entry: Entry | None = None) -> None:
        """Say what happened, where the person is; never raise (Bolt would answer 500)."""
        text = failure_text(self.deps.renderer, error, where)
        body: dict[str, Any] = args.body
        acked = args.ack.response is not None
        try:
            if entry is None:
                reply_text(args.respond, text)
            elif entry.kind is Kind.VIEW and acked:  # the form is gone: by DM
                args.client.chat_postMessage(channel=user_of(body) or "", text=text)
            else:
                self._say(entry, args, text)
        except Exception as second:  # Slack may be what failed
            log.warning("could not tell the person about a failure (%s)",
                        type(second).__name__)
        if args.ack.response is None:
            args.ack()

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
