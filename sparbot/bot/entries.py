"""The registry: every way into the bot, declared once with who may use it.

Each `/spar` subcommand, button, modal submission, shortcut and event is an Entry: its
kind, its id, its rule (who may use it, and where the request names its case) and its
handler. Bolt gets one listener per id, and that listener is always the dispatcher
(`sparbot.bot.dispatch`), which checks the rule before the handler runs. `bind` refuses to
build an app in which an id the bot sends out has no entry, or in which Bolt holds a
listener the dispatcher does not stand in front of."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from slack_bolt import App

from sparbot.bot.grammar import Command, Parser, parse_command
from sparbot.bot.ids import ActionId, CallbackId
from sparbot.bot.verbs import Verb

COMMAND = "/spar"


class Kind(StrEnum):
    COMMAND = "command"  # a /spar subcommand; id: its Verb
    ACTION = "action"  # a button; id: its action_id
    VIEW = "view"  # a modal's submission; id: its callback_id
    SHORTCUT = "shortcut"  # a message shortcut; id: its callback_id
    EVENT = "event"  # an Events API event; id: its type


class Who(StrEnum):
    """Who a rule lets in. Admins are let in by every rule."""

    ADMIN = "admin"  # the deployment's admins only
    TEAM_ADMIN = "team-admin"  # an admin of a team (`sparbot team members --admin`)
    STAFF = "staff"  # staff
    CASE_JOBCENTER = "case-jobcenter"  # the jobcenter consultant of the case (any, if none)
    WORKPLACE_SUPERVISOR = "workplace-supervisor"  # the supervisor of the case's placement
    ANYONE = "anyone"  # anyone with a role: staff, jobcenter consultant or supervisor
    WORKSPACE = "workspace"  # Slack itself, about the workspace (a profile changed): no
    # person acts, so none is checked; the handler may only record what Slack says


class Carrier(StrEnum):
    """Where a request names the case it is about."""

    NONE = "none"
    COMMAND_REF = "command-ref"  # the reference typed after the subcommand
    VALUE_REF = "value-ref"  # a button's value is the case's reference
    VALUE_NUDGE = "value-nudge"  # a digest button's value (metadata.NudgeRef)
    VALUE_DECISION = "value-decision"  # a button's value is a decision's id
    VALUE_DECISION_ACTION = "value-decision-action"  # ... a decision action's id
    VALUE_AGENDA_ITEM = "value-agenda-item"  # ... an agenda item's id
    MODAL_REF = "modal-ref"  # the modal's ModalContext.ref, or its reference field
    MODAL_DECISION = "modal-decision"  # the modal's ModalContext.decision_id
    MODAL_NUDGE = "modal-nudge"  # DismissContext.ref
    MODAL_EMAIL = "modal-email"  # EmailContext.ref
    THREAD = "thread"  # the agenda item whose thread holds the message


@dataclass(frozen=True)
class Rule:
    who: frozenset[Who]
    case: Carrier = Carrier.NONE
    needs_case: bool = False
    refusal: str | None = None  # the message key for a refused role, if not the usual


def rule(*who: Who, case: Carrier = Carrier.NONE, needs_case: bool | None = None,
         refusal: str | None = None) -> Rule:
    """A rule: who may, and where the case is (needed unless said otherwise when the
    request carries one in a value or a modal; optional for a command's reference)."""
    if not who:
        raise ValueError("a rule must say who may use the entry")
    if needs_case is None:
        needs_case = case not in (Carrier.NONE, Carrier.THREAD, Carrier.COMMAND_REF)
    return Rule(frozenset(who), case, needs_case, refusal)


@dataclass(frozen=True)
class Entry:
    kind: Kind
    id: str
    rule: Rule
    handler: Callable[..., None]
    example: str | None = None  # a command as typed after /spar ("timer ZA 3x3")

    @property
    def key(self) -> str:
        """How audit rows and logs name the entry: `action:hours-add`."""
        return f"{self.kind.value}:{self.id}"


Handler = Callable[..., None]
ListenerFactory = Callable[[Entry], Callable[..., Any]]


@dataclass
class Registry:
    entries: dict[tuple[Kind, str], Entry] = field(default_factory=dict)
    heads: dict[str, Parser] = field(default_factory=dict)  # a subcommand's words → parser

    def subcommand(self, *words: str, parse: Parser) -> None:
        """The words (Danish and English) that start a subcommand, and its parser; the
        parser's result names the command entry (its Verb) that is checked and run."""
        for word in words:
            if word.lower() in self.heads:
                raise RuntimeError(f"the word {word!r} starts two subcommands")
            self.heads[word.lower()] = parse

    def parse(self, text: str, *, today: date) -> Command:
        return parse_command(text, today=today, heads=self.heads)

    def declare(self, kind: Kind, ids: Iterable[str], rule: Rule,
                example: str | None = None) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            for entry_id in ids:
                if (kind, entry_id) in self.entries:
                    raise RuntimeError(f"{kind.value} {entry_id} is declared twice")
                self.entries[(kind, entry_id)] = Entry(kind, entry_id, rule, handler, example)
            return handler

        return decorate

    def command(self, verb: Verb, *, rule: Rule, example: str) -> Callable[[Handler],
                                                                           Handler]:
        """A command, with an example of it as typed after /spar (ZA for the case): the
        example must parse to this very command (tests/test_entry_matrix.py types it)."""
        return self.declare(Kind.COMMAND, [verb.value], rule, example)

    def action(self, *action_ids: ActionId, rule: Rule) -> Callable[[Handler], Handler]:
        return self.declare(Kind.ACTION, [each.value for each in action_ids], rule)

    def view(self, *callbacks: CallbackId, rule: Rule) -> Callable[[Handler], Handler]:
        return self.declare(Kind.VIEW, [each.value for each in callbacks], rule)

    def shortcut(self, callback: CallbackId, *, rule: Rule) -> Callable[[Handler], Handler]:
        return self.declare(Kind.SHORTCUT, [callback.value], rule)

    def event(self, event_type: str, *, rule: Rule) -> Callable[[Handler], Handler]:
        return self.declare(Kind.EVENT, [event_type], rule)

    def get(self, kind: Kind, entry_id: str) -> Entry | None:
        return self.entries.get((kind, entry_id))

    def of_kind(self, kind: Kind) -> list[Entry]:
        return [entry for (each, _id), entry in self.entries.items() if each is kind]

    def missing(self) -> list[str]:
        """Ids the bot puts in front of people that no entry answers."""
        wanted = ([(Kind.COMMAND, verb.value) for verb in Verb if verb not in FORM_ONLY]
                  + [(Kind.ACTION, each.value) for each in ActionId]
                  + [(Kind.VIEW, each.value) for each in CallbackId
                     if each is not CallbackId.DECISION_SHORTCUT]
                  + [(Kind.SHORTCUT, CallbackId.DECISION_SHORTCUT.value)])
        return [f"{kind.value}:{entry_id}" for kind, entry_id in wanted
                if (kind, entry_id) not in self.entries]

    def bind(self, app: App, listener_for: ListenerFactory,
             command_listener: Callable[..., Any]) -> None:
        """Give Bolt one dispatching listener per declared id, and refuse to build an app
        with an undeclared id or a listener that would bypass the dispatcher."""
        missing = self.missing()
        if missing:
            raise RuntimeError("entries without a rule: " + ", ".join(missing))
        registrars = {Kind.ACTION: app.action, Kind.VIEW: app.view,
                      Kind.SHORTCUT: app.shortcut, Kind.EVENT: app.event}
        ours: list[Callable[..., Any]] = [command_listener]
        app.command(COMMAND)(command_listener)
        for (kind, entry_id), entry in self.entries.items():
            if kind is Kind.COMMAND:
                continue
            listener = listener_for(entry)
            ours.append(listener)
            registrars[kind](entry_id)(listener)
        strays = [listener for listener in app._listeners
                  if getattr(listener, "ack_function", None) not in ours]
        if strays:
            raise RuntimeError(f"{len(strays)} Bolt listener(s) bypass the dispatcher")


# Verbs no one types: their forms open from a button only (the button is the entry), or
# a form's submission stands for them (the submission is the entry).
FORM_ONLY = frozenset({Verb.AGENDA_FORM, Verb.AGREEMENT_SAVE})
