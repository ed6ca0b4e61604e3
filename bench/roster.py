"""A synthetic roster at the scale of the largest users, written with bulk inserts.

The default is a municipality running sparbot for all its providers: 10,000 active cases,
1,000 staff (mentors, company consultants, jobcenter consultants), 200,000 hours records,
100,000 follow-ups and 100,000 decision actions. Courses start over the last half year, so
some are ending, some are new and many have follow-ups overdue, as in real life.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, text

from sparbot.models import (
    Absence,
    AgendaItem,
    AgendaRequest,
    AttendanceWeek,
    Case,
    Decision,
    DecisionAction,
    Extension,
    FollowUp,
    HoursEntry,
    Meeting,
    Person,
    Placement,
    Team,
)
from sparbot.services.course_facts import rebuild
from sparbot.services.hours_runs import stamps

STAMP = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 20_000


@dataclass(frozen=True)
class Scale:
    cases: int = 10_000
    staff: int = 1_000
    hours: int = 200_000
    follow_ups: int = 100_000
    actions: int = 100_000

    def scaled(self, factor: float) -> Scale:
        return Scale(*(max(1, int(value * factor)) for value in (
            self.cases, self.staff, self.hours, self.follow_ups, self.actions)))


def hours_rows(scale: Scale, start_of: Callable[[int], date]) -> Iterator[dict[str, Any]]:
    """Weekly entries per case, changing every few weeks, stamped as recording them is
    (hours_runs.stamps): where the run of equal hours began, what came just before."""
    per_case = max(1, scale.hours // scale.cases)
    for case in range(scale.cases):
        entries = [(start_of(case) + timedelta(weeks=week), 6 + week // 3 % 5 * 2,
                    2 if week > per_case - 4 else 0, None) for week in range(per_case)]
        for (on, unpaid, paid, _), stamp in zip(entries, stamps(entries), strict=True):
            yield {"case_id": case + 1, "effective_from": on, "internship_hours": unpaid,
                   "paid_hours": paid, "run_from": stamp.run_from,
                   "total_before": stamp.total_before, "created_at": STAMP}


ATTENDANCE_WEEKS = 26


def attendance_rows(scale: Scale, today: date) -> Iterator[dict[str, Any]]:
    """Every case's last 26 weeks logged (10,000 cases × 26 weeks at full scale): mostly
    full weeks, some low, now and then a day absent without notice."""
    this_week = today - timedelta(days=today.weekday())
    for case in range(scale.cases):
        for back in range(ATTENDANCE_WEEKS, 0, -1):
            attended = (4, 4, 3, 4, 2)[(case + back) % 5]
            yield {"case_id": case + 1, "week_start": this_week - timedelta(weeks=back),
                   "planned_days": 4, "attended_days": attended, "sick_days": 0,
                   "no_show_days": 1 if (case * 7 + back) % 23 == 0 and attended < 4 else 0,
                   "left_early_days": 0, "created_at": STAMP}


def put_rows(connection: Any, model: type[Any], rows: Iterator[dict[str, Any]]) -> None:
    """Insert rows as they come, BATCH at a time."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            connection.execute(insert(model), chunk)
            chunk = []
    if chunk:
        connection.execute(insert(model), chunk)


def seed(engine: Engine, scale: Scale, today: date) -> None:
    mentors = max(1, scale.staff * 6 // 10)
    consultants = max(1, scale.staff * 25 // 100)
    jobcenter = max(1, scale.staff - mentors - consultants)
    with engine.begin() as connection:
        def put(model: type[Any], rows: Iterator[dict[str, Any]]) -> None:
            put_rows(connection, model, rows)

        put(Person, ({"slack_user_id": f"U{n:08d}" if n < mentors + consultants else None,
                      "name": None if n < mentors + consultants else f"Sagsbehandler {n}",
                      "email": f"person{n}@example.dk", "created_at": STAMP}
                     for n in range(scale.staff)))

        def start_of(case: int) -> date:  # spread over the last 26 weeks and the next one
            return today - timedelta(days=case * 7 % 189 - 7)

        # Each person's cases in a block (a mentor has about 17, a company consultant 40), so
        # that a team's 250 cases have a team's worth of staff at every roster size.
        def mentor_of(case: int) -> int:
            return case // 17 % mentors + 1

        def consultant_of(case: int) -> int:
            return mentors + case // 40 % consultants + 1

        put(Case, ({"ref": f"C{n:05d}", "ref_key": f"c{n:05d}", "programme": "LFI",
                    "purpose": "flex-job", "start_date": start_of(n), "booked_weeks": 26,
                    "cadence": "weekly" if n % 3 else "biweekly",
                    "mentor_id": mentor_of(n), "company_consultant_id": consultant_of(n),
                    "jobcenter_consultant_id": mentors + consultants + n // 67 % jobcenter + 1,
                    "status": "active", "created_at": STAMP} for n in range(scale.cases)))
        put(Extension, ({"case_id": n + 1, "weeks": 8, "decided_on": start_of(n),
                         "created_at": STAMP} for n in range(0, scale.cases, 10)))
        put(Placement, ({"case_id": n + 1, "kind": kind, "workplace": f"Virksomhed {n % 800}",
                         "start_date": start_of(n) + timedelta(weeks=weeks),
                         "next_paid_hours_raise": None, "created_at": STAMP}
                        for n in range(scale.cases)
                        for kind, weeks in (("own-shop", 0), ("company-internship", 6))
                        if kind == "own-shop" or n % 4))
        put(HoursEntry, hours_rows(scale, start_of))
        put(AttendanceWeek, attendance_rows(scale, today))
        put(FollowUp, ({"case_id": n % scale.cases + 1,
                        "kind": "workplace" if n // scale.cases % 3 == 2 else "mentor-meeting",
                        "held_on": start_of(n % scale.cases)
                        + timedelta(days=10 * (n // scale.cases) + 3),
                        "paid_hours": "later" if (n % scale.cases + n // scale.cases) % 7 == 0
                        else "not-raised",
                        "created_at": STAMP} for n in range(scale.follow_ups)))
        for first in range(0, scale.actions, BATCH):
            count = min(BATCH, scale.actions - first)
            # Each case's k-th decision alike at every roster size: from the case and k,
            # never from the running number (which would align with the teams' blocks).
            def case_and_k(n: int, first: int = first) -> tuple[int, int]:
                return (first + n) % scale.cases, (first + n) // scale.cases

            connection.execute(insert(Decision), [
                {"case_id": case + 1, "text": f"Beslutning {first + n}",
                 "category": "other", "status": "active",
                 "decided_on": today - timedelta(days=(case * 11 + k * 17) % 180),
                 "present": "[]", "created_at": STAMP}
                for n in range(count) for case, k in [case_and_k(n)]])
            connection.execute(insert(DecisionAction), [
                {"decision_id": first + n + 1,
                 "owner_id": consultant_of(case) if k % 2 else mentor_of(case),
                 "due_date": today + timedelta(days=(case * 7 + k * 13) % 60 - 40),
                 "status": "open" if (case + k) % 10 == 0 else "done",
                 "created_at": STAMP} for n in range(count) for case, k in [case_and_k(n)]])
        put(Absence, ({"person_id": n * 50 + 1, "starts_on": today,
                       "ends_on": today + timedelta(days=14), "created_at": STAMP}
                      for n in range(scale.staff // 50)))
        # Among the first 1,000 cases: the same ones at every roster size.
        put(AgendaRequest, ({"case_id": n * 97 % min(scale.cases, 1000) + 1,
                             "reason": "Ønsker sparring",
                             "requested_on": today - timedelta(days=2), "created_at": STAMP}
                            for n in range(20)))
        connection.execute(insert(Meeting), [{
            "regular_date": today - timedelta(days=7), "held_on": today - timedelta(days=7),
            "status": "posted", "created_at": STAMP}])
        put(AgendaItem, ({"meeting_id": 1, "case_id": n * 13 % scale.cases + 1, "position": n,
                          "reached": n < 12, "reasons": "[]", "discussed": n < 10}
                         for n in range(1, 16)))
        rebuild(connection)  # loaded past the session: the course facts made in one go


TEAM_CASES = 250  # a large team: at 7 cases a meeting, each case comes round twice a course


def assign_teams(engine: Engine, scale: Scale, today: date) -> int:
    """Split the roster into teams of TEAM_CASES, each with its own channel and last week's
    meeting (its agenda items too), as a municipality running sparbot for all its
    providers would. Returns the number of teams. Cases go to them in blocks in the order
    they were entered: the start dates repeat every 27 cases, so each team holds courses of
    every age, and team 1 holds the same 250 courses with the same history at every roster
    size (the growth table compares like with like; round-robin teams took every 40th or
    120th case, whose histories differ with the roster's size)."""
    teams = max(1, -(-scale.cases // TEAM_CASES))
    with engine.begin() as connection:
        connection.execute(insert(Team), [
            {"name": f"Team {n:03d}", "channel_id": f"C0TEAM{n:04d}", "created_at": STAMP}
            for n in range(1, teams + 1)])
        connection.execute(text('UPDATE "case" SET team_id = (id - 1) / :size + 1'),
                           {"size": TEAM_CASES})
        last_week = today - timedelta(days=7)
        connection.execute(insert(Meeting), [
            {"regular_date": last_week, "held_on": last_week, "status": "posted",
             "team_id": team, "created_at": STAMP} for team in range(1, teams + 1)])
        meetings = connection.execute(text(
            "SELECT team_id, id FROM meeting WHERE team_id IS NOT NULL")).all()
        connection.execute(insert(AgendaItem), [
            {"meeting_id": meeting_id, "case_id": (team - 1) * TEAM_CASES + 1 + k * 25,
             "position": k + 1, "reached": k < 7, "reasons": "[]", "discussed": k < 5,
             "created_at": STAMP}
            for team, meeting_id in meetings for k in range(10)
            if (team - 1) * TEAM_CASES + 1 + k * 25 <= scale.cases])
    return teams
