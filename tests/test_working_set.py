"""The working set (what the agenda and the nudge sweep read for the whole roster) says the
same as each case's whole history: the same hours in force, placement, last follow-ups,
due items and agenda reasons, on random rosters with backdated, repeated and future entries."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import select

from sparbot.db import SessionFactory
from sparbot.enums import FollowUpKind, PaidHoursAnswer, PlacementKind
from sparbot.errors import UserError
from sparbot.models import Case
from sparbot.services.agenda import DEFAULT_RULES, case_reasons
from sparbot.services.due import due_items
from sparbot.services.snapshots import CaseSnapshot, load_snapshots
from sparbot.services.working_set import load_working_set
from tests.conftest import TODAY
from tests.factories import follow_up, hours, make_case, placement

HOURS = ["6", "8", "8", "10", "12", "3x4", "4x3"]


def random_roster(session: Any, rng: random.Random, cases: int) -> None:
    for number in range(cases):
        ref = f"R{number:02d}"
        start = TODAY - timedelta(days=rng.randrange(-10, 200))
        make_case(session, ref, start=start, weeks=rng.choice([13, 26]))
        # Only entries on or after the start are accepted; any order, ties included.
        for _ in range(rng.randrange(0, 12)):
            on = start + timedelta(days=7 * rng.randrange(0, 30) + rng.choice([0, 0, 3]))
            hours(session, ref, rng.choice(HOURS), on, today=TODAY,
                  paid=rng.choice([None, None, "2", "4"]))
        for _ in range(rng.randrange(0, 3)):
            placement(session, ref, rng.choice(list(PlacementKind)), f"Sted {number}",
                      start + timedelta(days=rng.randrange(0, 150)), today=TODAY)
        for _ in range(rng.randrange(0, 8)):
            on = min(TODAY, start + timedelta(days=rng.randrange(0, 190)))
            with contextlib.suppress(UserError):  # before the start, or no placement then
                follow_up(session, ref, rng.choice(list(FollowUpKind)), on, today=TODAY,
                          paid=rng.choice(list(PaidHoursAnswer)))


def facts_on(snapshot: CaseSnapshot, day: date) -> dict[str, Any]:
    now = snapshot.hours_on(day)
    placement_now = snapshot.current_placement(day)
    return {
        "end": snapshot.end_date, "weeks": snapshot.total_weeks,
        "hours": now.id if now else None,
        "placement": placement_now.id if placement_now else None,
        "last": {kind: (item.id if item else None) for kind in FollowUpKind
                 for item in [snapshot.last_follow_up(kind)]},
        "due": [(item.kind, item.due_on, item.owner_id, item.last_done, item.workplace)
                for item in due_items(snapshot, day)],
        "reasons": [(reason.code, reason.facts) for reason in case_reasons(
            snapshot, meeting_day=day, since=day - timedelta(days=7), requests=[],
            last_taken_up=None, rules=DEFAULT_RULES)],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_working_set_agrees_with_each_cases_whole_history(db: SessionFactory,
                                                              seed: int) -> None:
    rng = random.Random(seed)
    with db() as session:
        random_roster(session, rng, cases=25)
    checked = 0
    for day in (TODAY - timedelta(days=60), TODAY, TODAY + timedelta(days=20)):
        with db() as session:
            whole = {snapshot.case.id: snapshot for snapshot in load_snapshots(
                session, session.exec(select(Case).order_by(Case.ref_key)).all())}
            working = load_working_set(session, day, since=day - timedelta(days=7))
            assert [snapshot.case.ref for snapshot in working] == sorted(
                snapshot.case.ref for snapshot in whole.values())
            for snapshot in working:
                assert facts_on(snapshot, day) == facts_on(whole[snapshot.case.id], day), \
                    (snapshot.case.ref, day)
                checked += 1
    assert checked == 75
    with db() as session:  # the stamps say what each case's history says, however recorded
        for snapshot in load_snapshots(session, session.exec(select(Case)).all()):
            run_from, before = None, None
            for entry in snapshot.hours:
                if before is None or (before.total, before.paid_hours) != (entry.total,
                                                                           entry.paid_hours):
                    run_from = entry.effective_from
                assert (entry.run_from, entry.total_before, entry.pattern_before) == (
                    run_from, before.total if before else None,
                    before.pattern if before else None), snapshot.case.ref
                before = entry


def test_the_working_set_reads_only_what_decides_the_day(db: SessionFactory) -> None:
    """Ten weeks of hours: the working set reads the entry in force, stamped with where its
    run of equal hours began, not the whole history."""
    with db() as session:
        make_case(session, "ZA", start=TODAY - timedelta(weeks=12))
        for week, text in enumerate(["6", "6", "8", "8", "10", "10", "10", "10", "10", "10"]):
            hours(session, "ZA", text, TODAY - timedelta(weeks=10 - week), today=TODAY)
    with db() as session:
        [snapshot] = load_working_set(session, TODAY)
        [entry] = snapshot.hours
        assert (entry.internship_hours, entry.run_from, entry.total_before) == (
            10, TODAY - timedelta(weeks=6), 10)
