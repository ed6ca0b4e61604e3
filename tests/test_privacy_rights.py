"""The audit log answers who looked at a case; closed cases are erased for real after
their retention period; a case can be erased now or exported whole."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel

from sparbot.enums import FollowUpKind, Outcome, PlacementKind
from sparbot.services import decisions, roster
from sparbot.services.audit import audit_events
from sparbot.services.decisions import DecisionCreate
from sparbot.services.erasure import erase_case, export_case, run_retention
from tests.conftest import TODAY, Bot
from tests.factories import follow_up, hours, make_case, placement, weeks_ago


def full_case(session: Session, ref: str, start: date) -> None:
    make_case(session, ref, start=start)
    placement(session, ref, PlacementKind.COMPANY_INTERNSHIP, "Solbakken", start, today=start)
    hours(session, ref, "3x3", start, today=start)
    follow_up(session, ref, FollowUpKind.MENTOR_MEETING, start, today=start)
    decisions.record_decision(session=session, actor="U0MENTOR", today=start,
                              data=DecisionCreate(ref=ref, text="Ring til lederen"))


def case_rows(session: Session, case_id: int) -> dict[str, int]:
    """How many rows in any table still point at the case."""
    found = {}
    for table in SQLModel.metadata.sorted_tables:
        if "case_id" in table.c:
            count = session.execute(text(f'SELECT COUNT(*) FROM "{table.name}" '
                                         "WHERE case_id = :id"), {"id": case_id}).scalar_one()
            if count:
                found[table.name] = count
    return found


def test_who_looked_at_a_case_is_answered(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 5))
        make_case(session, "EM", start=weeks_ago(TODAY, 5))
    for count, (words, user) in enumerate([("sag ZA", "U0MENTOR"), ("sager", "U0CONSULT"),
                                           ("timer ZA 3", "U0CONSULT")], start=1):
        bot.driver.command(words, user_id=user)
        bot.slack.wait_for("response_url", count)  # one at a time: the order is the point
    with bot.db() as session:
        events = [(event.actor, event.action, event.what)
                  for event in audit_events(session=session, ref="ZA")]
    assert events == [("U0MENTOR", "read", "case.show"), ("U0CONSULT", "search", "roster.list"),
                      ("U0CONSULT", "change", "hours")]


def test_erasing_a_case_removes_every_row_about_it(session: Session) -> None:
    full_case(session, "ZA", date(2026, 6, 2))
    full_case(session, "EM", date(2026, 6, 2))
    case = roster.get_case(session=session, ref="ZA")
    assert case.id is not None
    assert case_rows(session, case.id)
    erase_case(session=session, case=case, actor="cli")
    session.flush()
    assert case_rows(session, case.id) == {}
    assert inspect(session.get_bind()).has_table("case")
    other = roster.get_case(session=session, ref="EM")
    assert other.id is not None and case_rows(session, other.id)  # the other case is intact
    [erased] = [event for event in audit_events(session=session, ref="ZA")
                if event.action == "erase"]
    assert (erased.action, erased.what, erased.actor) == ("erase", "case.erase", "cli")


def test_closed_cases_are_erased_after_the_retention_period(session: Session) -> None:
    full_case(session, "ZA", date(2025, 6, 2))
    roster.close_case(session=session, ref="ZA", outcome=Outcome.FLEX_JOB,
                      closed_on=date(2025, 11, 24), actor=None)
    full_case(session, "EM", date(2026, 6, 2))  # active: never erased by retention
    assert run_retention(session=session, today=date(2026, 11, 23), months=12,
                         audit_months=36) == 0
    assert run_retention(session=session, today=date(2026, 11, 24), months=12,
                         audit_months=36) == 1
    remaining = roster.list_roster(session=session, include_closed=True).snapshots
    assert [snapshot.case.ref for snapshot in remaining] == ["EM"]


def test_a_case_exported_whole_for_an_access_request(session: Session) -> None:
    full_case(session, "ZA", date(2026, 6, 2))
    document = export_case(session=session, case=roster.get_case(session=session, ref="ZA"),
                           actor="cli")
    data = json.loads(json.dumps(document))
    assert data["case"]["ref"] == "ZA"
    assert len(data["placements"]) == 1 and len(data["hours"]) == 1
    assert data["decisions"][0]["text"] == "Ring til lederen"
    assert len(data["decision_actions"]) == 1 and data["decision_history"]
    assert {event["what"] for event in data["audit"]} >= {"decision.record", "case.export"}
