"""Every declared entry × every role, through signed requests against the fake Slack.

The probes are generated from the registry (sparbot.bot.entries): a button's value, a
modal's metadata and a shortcut's message follow from where its rule says the case is, so
a new button, modal or shortcut is tried here the moment it is declared. Allowed: the
handler runs and does its work without error. Refused: nothing is written, no case detail
reaches Slack, and the refusal is an audit row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel, col

from sparbot.bot.agenda.posting import coming_meeting, post_agenda
from sparbot.bot.app import declared_entries
from sparbot.bot.decisions.handlers import post_decision
from sparbot.bot.entries import Carrier, Entry, Kind, Who
from sparbot.bot.metadata import DismissContext, EmailContext, ModalContext, NudgeRef
from sparbot.bot.verbs import Verb
from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.driver import Response
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import PlacementKind, Purpose
from sparbot.models import (
    AgendaItem,
    AuditEvent,
    Case,
    Decision,
    DecisionAction,
    Meeting,
    Placement,
)
from sparbot.services import decisions, roster
from sparbot.services.people import PersonRef, find_person_by_slack_id
from sparbot.services.teams import assign_cases, create_team, team_channel
from tests.conftest import TODAY, Bot, _empty, running_bot
from tests.factories import weeks_ago
from tests.test_slack_commands import block_text

ADMIN, STAFF, CONSULTANT, OTHER_STAFF = "U0ADMIN", "U0MENTOR", "U0CONSULT", "U0STAFFB"
JOBCENTER, OTHER_JOBCENTER = "U0JOBCENTER", "U0OTHERJC"
SUPERVISOR, STRANGER = "U0SUPERVISOR", "U0STRANGER"
ROLES = {"admin": ADMIN, "staff of team A": STAFF, "staff of team B": OTHER_STAFF,
         "jobcenter of the case": JOBCENTER, "jobcenter of another case": OTHER_JOBCENTER,
         "supervisor": SUPERVISOR, "not staff": STRANGER}
TEAM_A, TEAM_B = "C0TEAMA", "C0TEAMB"  # the teams' private channels
REF = "JC"
# What no one refused may see of case JC.
DETAILS = ("Trædesten", "Café Havnen", "Indhent speciallægeerklæring", "U0MENTOR",
           "uge 11 af 26")
INTERNAL = ("Noget gik galt", "Something went wrong")

ENTRIES = sorted(declared_entries().entries.values(), key=lambda entry: entry.key)


@dataclass
class World:
    """Case JC in team A (the jobcenter consultant's, supervised at Café Havnen) with a
    decision and a posted agenda; case KB in team B, another jobcenter consultant's and
    another mentor's."""

    case_id: int
    placement_id: int
    decision_id: int
    action_id: int
    item_id: int
    item_message: dict[str, Any]
    overview_message: dict[str, Any]


def build_world(bot: Bot) -> World:
    start = weeks_ago(TODAY, 10)
    with bot.db() as session:
        for ref, mentor, jobcenter, channel in ((REF, STAFF, JOBCENTER, TEAM_A),
                                                ("KB", OTHER_STAFF, OTHER_JOBCENTER, TEAM_B)):
            roster.add_case(session=session, actor=mentor, data=roster.CaseCreate(
                ref=ref, programme="Trædesten til job", purpose=Purpose.FLEX_JOB,
                start_date=start, mentor=PersonRef(slack_user_id=mentor),
                company_consultant=PersonRef(slack_user_id=CONSULTANT) if ref == REF
                else None, jobcenter_consultant=PersonRef(slack_user_id=jobcenter)))
            team = create_team(session=session, name=f"Team {channel}", channel_id=channel)
            assign_cases(session=session, team=team, refs=[ref])
            if ref == REF:
                team_a = team_channel(team)
        placement, _ended = roster.start_placement(
            session=session, ref=REF, actor=STAFF, today=TODAY, data=roster.PlacementCreate(
                kind=PlacementKind.COMPANY_INTERNSHIP, workplace="Café Havnen",
                start_date=weeks_ago(TODAY, 4), contact_slack_user_id=SUPERVISOR,
                contact_email="bente@cafe-havnen.dk"))
        view = decisions.record_decision(session=session, today=TODAY, actor=STAFF,
                                         data=decisions.DecisionCreate(
                                             ref=REF, text="Indhent speciallægeerklæring",
                                             owners=[PersonRef(slack_user_id=STAFF)]))
        case_id, placement_id = view.case.id, placement.id
        decision_id = view.decision.id
    post_decision(bot.deps, bot.client, view, thread=None)  # as the bot posts every decision
    post_agenda(bot.deps, bot.client, coming_meeting(bot.deps, team_a), team_a)
    with bot.db() as session:
        action = session.scalars(select(DecisionAction)).one()
        item = session.scalars(select(AgendaItem).where(col(AgendaItem.case_id) == case_id)
                               ).one()
        meeting = session.scalars(select(Meeting)).one()
        item_id, item_ts, overview_ts = item.id, item.thread_ts, meeting.message_ts
    posts = {call.response.get("ts"): call.message
             for call in bot.slack.calls_to("chat.postMessage")}
    bot.slack.clear()
    assert case_id and placement_id and decision_id and action.id and item_id
    return World(case_id, placement_id, decision_id, action.id, item_id, posts[item_ts],
                 posts[overview_ts])


def typed(entry: Entry) -> str:
    """A command as its declaration's example types it, about case JC."""
    assert entry.example is not None
    return " ".join(REF if word == "ZA" else word for word in entry.example.split())


def names_the_case(entry: Entry) -> bool:
    if entry.kind is Kind.COMMAND:
        return REF in typed(entry).split()
    return entry.rule.case is not Carrier.NONE


def expected(entry: Entry, role: str) -> bool:
    """The policy, said plainly: who may use an entry about case JC (or about no case)."""
    who = entry.rule.who
    if role == "admin" or Who.WORKSPACE in who:  # Slack's own events: no person acts
        return True
    if role == "not staff":
        return False
    if Who.ANYONE in who:
        return True
    return {"staff of team A": Who.STAFF in who,
            "staff of team B": Who.STAFF in who and not names_the_case(entry),
            "jobcenter of the case": Who.CASE_JOBCENTER in who,
            "jobcenter of another case": Who.CASE_JOBCENTER in who
            and not names_the_case(entry),
            "supervisor": Who.WORKPLACE_SUPERVISOR in who}[role]


def probe(bot: Bot, world: World, entry: Entry, user: str) -> Response:
    """The request a person in Slack would make to reach this entry."""
    driver = bot.driver
    if entry.kind is Kind.COMMAND:
        return driver.command(typed(entry), user_id=user, channel_id="D0DM")
    if entry.kind is Kind.EVENT and entry.id == "user_change":
        return driver.user_change(STAFF, f"Navn {user}")
    if entry.kind is Kind.EVENT:
        return driver.open_home(user)
    if entry.kind is Kind.SHORTCUT:
        return driver.message_shortcut(entry.id, world.item_message, user_id=user)
    if entry.kind is Kind.VIEW:
        return driver.submit(modal(world, entry), {}, user_id=user)
    value, message, in_home = button(world, entry.rule.case)
    if in_home:
        return driver.click(entry.id, value, user_id=user, in_view={"id": "VHOME",
                                                                    "type": "home"})
    digest = entry.rule.case is Carrier.VALUE_NUDGE
    return driver.click(entry.id, value, user_id=user, message=message,
                        channel_id="D0DIGEST" if digest else TEAM_A)


def button(world: World, carrier: Carrier) -> tuple[str, dict[str, Any] | None, bool]:
    """A button's value, the message it sits in, and whether it sits in the App Home."""
    token = f"#{world.case_id}"  # buttons carry the case's token, as the bot makes them
    nudge = NudgeRef(subject=f"workplace-followup:{world.case_id}", ref=token).dump()
    digest = {"type": "message", "ts": "1700000000.000300", "text": "Påmindelser",
              "blocks": []}
    return {
        Carrier.NONE: ("{}", world.overview_message, False),
        Carrier.VALUE_REF: (token, world.item_message, False),
        Carrier.VALUE_NUDGE: (nudge, digest, False),
        Carrier.VALUE_DECISION: (str(world.decision_id), world.item_message, False),
        Carrier.VALUE_DECISION_ACTION: (str(world.action_id), None, True),
        Carrier.VALUE_AGENDA_ITEM: (str(world.item_id), world.item_message, False),
    }[carrier]


def modal(world: World, entry: Entry) -> dict[str, Any]:
    """A modal of this callback as the bot would have opened it, with one input."""
    metadata = {
        Carrier.NONE: ModalContext(channel_id=TEAM_A),
        Carrier.MODAL_REF: ModalContext(ref=REF, case=f"#{world.case_id}", channel_id=TEAM_A),
        Carrier.MODAL_DECISION: ModalContext(ref=REF, decision_id=world.decision_id),
        Carrier.MODAL_NUDGE: DismissContext(
            subject=f"workplace-followup:{world.case_id}", ref=f"#{world.case_id}",
            channel_id="D0DIGEST",
            message_ts="1700000000.000300", block_id="nudge-actions-0", suppression_id=1),
        Carrier.MODAL_EMAIL: EmailContext(ref=REF, case=f"#{world.case_id}",
                                          placement_id=world.placement_id,
                                          to="bente@cafe-havnen.dk"),
    }[entry.rule.case]
    return {"type": "modal", "callback_id": entry.id, "private_metadata": metadata.dump(),
            "title": {"type": "plain_text", "text": "sparbot"},
            "blocks": [{"type": "input", "block_id": "reason", "label": {
                "type": "plain_text", "text": "?"}, "element": {
                "type": "plain_text_input", "action_id": "value"}}]}


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, but the audit log and the transport's replay guard."""
    with engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table))
                .scalar_one() for table in SQLModel.metadata.sorted_tables
                if table.name not in ("audit_event", "seen_request")}


def world_state(engine: Engine) -> dict[str, int]:
    """Row counts and the states a handler changes in place: an allowed probe that leaves
    them as they were leaves the world fit for the next role (no need to build it anew)."""
    counts = row_counts(engine)
    with engine.connect() as connection:
        for name, condition in (
                ("active cases", col(Case.status) == "active"),
                ("active decisions", col(Decision.status) == "active"),
                ("open actions", col(DecisionAction.status) == "open"),
                ("open placements", col(Placement.end_date).is_(None))):
            table = condition.left.table
            counts[name] = connection.execute(select(func.count()).select_from(table)
                                              .where(condition)).scalar_one()
    return counts


def named(bot: Bot, slack_id: str) -> str | None:
    with bot.db() as session:
        person = find_person_by_slack_id(session=session, slack_user_id=slack_id)
        return person.name if person else None


def refusals(bot: Bot, entry: Entry, user: str) -> int:
    with bot.db() as session:
        return int(session.execute(select(func.count()).select_from(AuditEvent).where(
            col(AuditEvent.action) == "refuse", col(AuditEvent.what) == entry.key,
            col(AuditEvent.actor) == user)).scalar_one())


def said(bot: Bot, response: Response) -> str:
    """Everything the person (or anyone) was shown: the ack and every Slack call."""
    parts = [response.body]
    for call in bot.slack.calls:
        parts.append(str(call.args.get("text") or ""))
        parts.append(block_text(call.blocks))
        parts.append(block_text(call.view.get("blocks") or []))
    return "\n".join(parts)


@pytest.fixture
def guarded(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
            ) -> Iterator[Bot]:
    slack.private_channels.update({TEAM_A, TEAM_B})
    with running_bot(db, engine, slack, clock,
                     SPARBOT_STAFF=f"{STAFF},{CONSULTANT},{OTHER_STAFF}",
                     SPARBOT_ADMINS=ADMIN,
                     SPARBOT_JOBCENTER_USERS=f"{JOBCENTER},{OTHER_JOBCENTER}") as bot:
        yield bot


def test_every_commands_example_is_that_command_and_the_count_is_shown(
        capsys: pytest.CaptureFixture[str]) -> None:
    registry = declared_entries()
    for entry in ENTRIES:
        if entry.kind is Kind.COMMAND:
            assert registry.parse(typed(entry), today=TODAY).verb == Verb(entry.id), entry.key
    with capsys.disabled():
        kinds = {kind: sum(entry.kind is kind for entry in ENTRIES) for kind in Kind}
        print(f"\nentry matrix: {len(ENTRIES)} entries × {len(ROLES)} roles "
              f"({', '.join(f'{count} {kind.value}' for kind, count in kinds.items())})")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_each_role_is_let_in_or_refused_as_declared(guarded: Bot, engine: Engine,
                                                    entry: Entry) -> None:
    world = build_world(guarded)
    # The refused first: they must leave the world as it was, so it serves the next role.
    ordered = sorted(ROLES.items(), key=lambda item: expected(entry, item[0]))
    for role, user in ordered:
        allowed = expected(entry, role)
        before = world_state(engine)
        response = probe(guarded, world, entry, user)
        guarded.idle()
        seen = said(guarded, response)
        assert response.status == 200, f"{entry.key} as {role}: HTTP {response.status}"
        assert not any(word in seen for word in INTERNAL), f"{entry.key} as {role}: {seen}"
        if allowed:
            assert refusals(guarded, entry, user) == 0, f"{entry.key} refused {role}"
            assert guarded.slack.calls or "errors" in response.body or \
                (Who.WORKSPACE in entry.rule.who and named(guarded, STAFF) == f"Navn {user}"), \
                f"{entry.key} as {role}: let in, but nothing happened"
            if world_state(engine) != before:  # changed: the next role gets a fresh world
                reset(guarded, engine)
                world = build_world(guarded)
            guarded.slack.clear()
        else:
            assert refusals(guarded, entry, user) == 1, f"{entry.key} let {role} in"
            assert world_state(engine) == before, f"{entry.key} as {role} changed the world"
            leaked = [detail for detail in DETAILS if detail in seen]
            assert not leaked, f"{entry.key} as {role} was shown {leaked}"
            assert seen.strip(), f"{entry.key} as {role}: refused without a word"
            guarded.slack.clear()


def reset(bot: Bot, engine: Engine) -> None:
    _empty(engine)
    bot.slack.clear()


