"""The results figures, checked against a roster made by hand and numbers worked out on paper.

The roster (today 1 Dec 2026), two cohorts by start quarter:

2026 Q1, six courses, all ended:
  course  start   end     weeks  ext.  outcome        hours (internship+paid) from
  A       5 Jan   6 Jul   26     -     ordinary job   5 Jan 10, 2 Feb 15, 30 Mar 15+5, 4 May 10+10
  B       12 Jan  10 Aug  30     1     flex job       12 Jan 8, 9 Mar 12, 4 May 8, 1 Jun 8+4
  C       2 Feb   27 Apr  12     -     stopped        2 Feb 6
  D       16 Feb  17 Aug  26     -     flex job       16 Feb 12, 13 Apr 12+6
  E       2 Mar   28 Sep  30     2     education      (no hours)
  F       9 Mar   7 Sep   26     -     declared fit   9 Mar 20, 1 Jun 15
2026 Q3, three courses, running: G 6 Jul (10; 5 Oct 10+5), H 3 Aug (8), I 7 Sep (12).

Worked out on paper for 2026 Q1:
- length: 84, 182, 182, 182, 210, 210 days → median 182 days = 26 weeks, of 6;
- extended: B and E, 2 of 6 (3 extensions): under five, hidden;
- outcomes of 6 ended: 1 ordinary, 2 flex job, 1 education, 1 stopped, 1 declared fit:
  every one under five, hidden; early retirement 0 of 6 is shown as 0 %;
- in a company placement: A (2 Feb), B (hybrid 1 Apr; own shop before), D (16 Feb), E (6 Apr),
  F (paid hours 20 Apr); C only its own shop → 5 of 6, hidden all the same: it tells of the
  one outside it; days to the first: 28, 79, 0, 35, 42 → median 35 days = 5 weeks, of 5;
- paid hours at week 13 (the hours in force 90 days after the start), of the 5 that reached
  it (C ended at week 12): A and D → 2 of 5, hidden; at week 26 (181 days): A, B, D → 3 of 5,
  hidden; at the end: A, B, D → 3 of 6, hidden; days to the first paid hour 84, 140, 56 →
  median 84 days = 12 weeks, of 3: hidden;
- hours at the start 10, 8, 6, 12, 20 → median 10, of 5; at the peak 20, 12, 6, 18, 20 → 18;
  at the end 20, 12, 6, 18, 15 → 15; stepped down: B (12 → 8) and F (20 → 15), 2 of 5: hidden;
- mentor meetings (A, C–F weekly, B every other week): A 12 Jan (7 days: on time), 20 Jan
  (8: late); B 26 Jan (14: on time), 10 Feb (15: late); C 9 Feb, D 23 Feb, F 16 Mar on time;
  E 10 Mar (8: late) → 5 of 8 on time (62.5 %), about 6 citizens;
- workplace follow-ups: A monthly from 2 Feb: 2 Mar on time, 3 Apr late (a month and a day);
  D weekly from 16 Feb: 20 Feb on time; E every other week from 6 Apr: 21 Apr late → 2 of 4,
  about 3 citizens: hidden;
- decisions (E's was cancelled): A, B, C, D, F = 5, about 5 citizens; the jobcenter present at
  A, B, D, F = 4 of 5 (80 %), present and agreeing at A, D, F = 3 of 5 (60 %);
- actions whose due date has come: A done before it, B done after, D open past it, F done on
  the day; C's is not due yet, F's second was cancelled → 2 of 4 on time, about 4: hidden;
- attendance: days met of planned A 4/4, B 3/4, C 1/3, D 5/5, E 2/4 → 15 of 20 = 75 %, of 5.

2026 Q3 has 3 courses: every figure is "< 5" or 0. All courses together: 9 started, 3
running (hidden), so 6 ended is hidden as well (9 less 6 would tell the 3); 5 of 9 in a
company (hidden: 4 outside it); peak hours 6, 8, 12, 12, 15, 18, 20, 20 → 13.5."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, col, update

from sparbot.clock import FixedClock
from sparbot.db import SessionFactory, make_engine
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import (
    ActionStatus,
    Cadence,
    DecisionCategory,
    FollowUpCadence,
    FollowUpKind,
    Outcome,
    PlacementKind,
)
from sparbot.models import Case
from sparbot.services import decisions, roster
from sparbot.services.attendance import AttendanceInput, record_attendance, week_of
from sparbot.services.decisions import DecisionCreate
from sparbot.services.figures import (
    SMALL,
    Count,
    Figures,
    Line,
    Median,
    Share,
    _suppress_complements,
    compute_figures,
    compute_weekly,
)
from sparbot.services.figures_sql import By, Selection
from sparbot.services.people import PersonRef
from sparbot.services.team_members import add_members
from sparbot.services.teams import create_team
from tests.conftest import Bot, running_bot
from tests.factories import CONSULTANT, MENTOR, follow_up, hours, make_case, placement
from tests.test_cli import invoke
from tests.test_slack_commands import block_text, last_reply

TODAY = date(2026, 12, 1)


def d(text: str) -> date:
    """'5/1' is 5 Jan 2026."""
    day, month = text.split("/")
    return date(2026, int(month), int(day))


# ref: start, end, extensions (weeks), outcome, hours [(from, internship, paid)]
COURSES = {
    "A": ("5/1", "6/7", [], Outcome.ORDINARY_EMPLOYMENT,
          [("5/1", 10, 0), ("2/2", 15, 0), ("30/3", 15, 5), ("4/5", 10, 10)]),
    "B": ("12/1", "10/8", [4], Outcome.FLEX_JOB,
          [("12/1", 8, 0), ("9/3", 12, 0), ("4/5", 8, 0), ("1/6", 8, 4)]),
    "C": ("2/2", "27/4", [], Outcome.STOPPED, [("2/2", 6, 0)]),
    "D": ("16/2", "17/8", [], Outcome.FLEX_JOB, [("16/2", 12, 0), ("13/4", 12, 6)]),
    "E": ("2/3", "28/9", [2, 2], Outcome.EDUCATION, []),
    "F": ("9/3", "7/9", [], Outcome.DECLARED_FIT, [("9/3", 20, 0), ("1/6", 15, 0)]),
    "G": ("6/7", None, [], None, [("6/7", 10, 0), ("5/10", 10, 5)]),
    "H": ("3/8", None, [], None, [("3/8", 8, 0)]),
    "I": ("7/9", None, [], None, [("7/9", 12, 0)]),
}
PLACEMENTS = [("A", PlacementKind.COMPANY_INTERNSHIP, "2/2"), ("B", PlacementKind.OWN_SHOP, "12/1"),
              ("B", PlacementKind.HYBRID, "1/4"), ("C", PlacementKind.OWN_SHOP, "2/2"),
              ("D", PlacementKind.COMPANY_INTERNSHIP, "16/2"),
              ("E", PlacementKind.COMPANY_INTERNSHIP, "6/4"),
              ("F", PlacementKind.PAID_HOURS, "20/4")]
MENTOR_MEETINGS = [("A", "12/1"), ("A", "20/1"), ("B", "26/1"), ("B", "10/2"), ("C", "9/2"),
                   ("D", "23/2"), ("E", "10/3"), ("F", "16/3")]
WORKPLACE_FOLLOW_UPS = [("A", "2/3"), ("A", "3/4"), ("D", "20/2"), ("E", "21/4")]
# ref: decided, jobcenter present, agreed, due, each owner's action done on, cancelled
Decided = tuple[str, str, bool, bool | None, str, list[str | None], bool]
DECISIONS: list[Decided] = [
             ("A", "20/1", True, True, "1/2", ["30/1"], False),
             ("B", "2/2", True, False, "1/3", ["5/3"], False),
             ("C", "9/2", False, None, "10/12", [None], False),
             ("D", "1/4", True, True, "1/5", [None], False),
             ("E", "6/4", True, True, "1/5", ["20/4"], True),
             ("F", "4/5", True, True, "1/6", ["1/6", "called off"], False)]
ATTENDANCE = [("A", "12/1", 4, 4), ("B", "19/1", 4, 3), ("C", "9/2", 3, 1), ("D", "23/2", 5, 5),
              ("E", "9/3", 4, 2)]
CADENCE = {"B": Cadence.BIWEEKLY}
FOLLOW_UP_CADENCE = {"D": FollowUpCadence.WEEKLY, "E": FollowUpCadence.BIWEEKLY}


def build_roster(session: Session) -> None:
    for ref, (start, _end, _ext, _outcome, entries) in COURSES.items():
        make_case(session, ref, start=d(start), cadence=CADENCE.get(ref, Cadence.WEEKLY))
        for on, internship, paid in entries:
            hours(session, ref, str(internship), d(on), today=d(on),
                  paid=str(paid) if paid else None)
    for ref, kind, on in PLACEMENTS:
        placement(session, ref, kind, f"Arbejdsplads {ref}", d(on), today=d(on))
    for ref, cadence in FOLLOW_UP_CADENCE.items():
        roster.set_follow_up_cadence(session=session, ref=ref, cadence=cadence, today=TODAY)
    for ref, on in MENTOR_MEETINGS:
        follow_up(session, ref, FollowUpKind.MENTOR_MEETING, d(on), today=d(on))
    for ref, on in WORKPLACE_FOLLOW_UPS:
        follow_up(session, ref, FollowUpKind.WORKPLACE, d(on), today=d(on))
    for ref, on, present, agreed, due, done_on, cancelled in DECISIONS:
        owners = [PersonRef(slack_user_id=CONSULTANT), PersonRef(slack_user_id=MENTOR)]
        view = decisions.record_decision(session=session, actor=MENTOR, today=d(on),
                                         data=DecisionCreate(ref=ref, text="Beslutning",
                                                             category=DecisionCategory.OTHER,
                                                             owners=owners[:len(done_on)],
                                                             due=d(due),
                                                             jobcenter_agreed=agreed))
        view.decision.jobcenter_present = present  # as the meeting's attendance says
        for action_view, done in zip(view.actions, done_on, strict=True):
            if done == "called off":
                action_view.action.status = ActionStatus.CANCELLED
            elif done is not None:
                assert action_view.action.id is not None
                decisions.complete_action(session=session, action_id=action_view.action.id,
                                          actor=MENTOR, today=d(done))
        if cancelled:
            assert view.decision.id is not None
            decisions.cancel_decision(session=session, decision_id=view.decision.id,
                                      actor=MENTOR)
    for ref, on, planned, attended in ATTENDANCE:
        record_attendance(session=session, ref=ref, actor=MENTOR, today=d(on),
                          data=AttendanceInput(week_start=week_of(d(on)), planned=planned,
                                               attended=attended))
    for ref, (_start, end, extensions, outcome, _entries) in COURSES.items():
        for weeks in extensions:
            roster.extend_course(session=session, ref=ref, weeks=weeks, decided_on=d("1/6"),
                                 reason=None, actor=MENTOR)
        if end is not None and outcome is not None:
            roster.close_case(session=session, ref=ref, outcome=outcome, closed_on=d(end),
                              actor=MENTOR)
    session.commit()


@pytest.fixture
def figures(session: Session) -> Figures:
    build_roster(session)
    return compute_figures(session=session, selection=Selection(today=TODAY))


def shown(figure: Count | Share | Median) -> str:
    """As every output shows it."""
    if figure.hidden:
        return SMALL
    if isinstance(figure, Share):
        return f"{figure.part}/{figure.whole}"
    if isinstance(figure, Median):
        return f"{figure.median:g}"
    return str(figure.n)


def test_every_figure_of_a_cohort_matches_the_numbers_worked_on_paper(figures: Figures) -> None:
    assert [cohort.key for cohort in figures.cohorts] == ["20261", "20263", "*"]
    q1 = figures.cohorts[0]
    expected = {
        "started": "6", "active": "0", "ended": "6", "length": "26", "extended": SMALL,
        "extensions": SMALL, "outcome:ordinary-employment": SMALL, "outcome:flex-job": SMALL,
        "outcome:education": SMALL, "outcome:stopped": SMALL, "outcome:declared-fit": SMALL,
        "outcome:early-retirement": "0/6", "outcome:resource-course": "0/6",
        "outcome:moved-away": "0/6", "company": SMALL, "weeks_to_company": "5",
        "paid_w13": SMALL, "paid_w26": SMALL, "paid_end": SMALL, "weeks_to_paid": SMALL,
        "hours_start": "10", "hours_peak": "18", "hours_end": "15", "stepped_down": SMALL,
        "mentor_on_time": "5/8", "workplace_on_time": SMALL, "decisions": "5",
        "jobcenter_present": "4/5", "jobcenter_agreed": "3/5", "actions_on_time": SMALL,
        "attendance": "15/20",
    }
    assert {line.key: shown(line.figure) for line in q1.lines} == expected


def test_hidden_figures_keep_the_numbers_worked_on_paper(figures: Figures) -> None:
    """What is hidden is hidden from every output; the sums behind it are still right."""
    q1 = figures.cohorts[0]
    raw = {line.key: line.figure for line in q1.lines}
    assert (raw["extended"].part, raw["extended"].whole) == (2, 6)  # type: ignore[union-attr]
    assert raw["extensions"].n == 3  # type: ignore[union-attr]
    assert raw["outcome:flex-job"].part == 2  # type: ignore[union-attr]
    assert (raw["paid_w13"].part, raw["paid_w13"].whole) == (2, 5)  # type: ignore[union-attr]
    assert (raw["paid_w26"].part, raw["paid_w26"].whole) == (3, 5)  # type: ignore[union-attr]
    assert (raw["paid_end"].part, raw["paid_end"].whole) == (3, 6)  # type: ignore[union-attr]
    assert (raw["weeks_to_paid"].median, raw["weeks_to_paid"].of) == (12, 3)  # type: ignore[union-attr]
    assert (raw["stepped_down"].part, raw["stepped_down"].whole) == (2, 5)  # type: ignore[union-attr]
    assert (raw["workplace_on_time"].part, raw["workplace_on_time"].whole) == (2, 4)  # type: ignore[union-attr]
    assert (raw["actions_on_time"].part, raw["actions_on_time"].whole) == (2, 4)  # type: ignore[union-attr]
    assert all(line.figure.value is None for line in q1.lines if line.figure.hidden)


def test_a_small_cohort_shows_no_number_about_fewer_than_five(figures: Figures) -> None:
    q3 = {line.key: line.figure for line in figures.cohorts[1].lines}
    assert q3["started"].hidden and q3["active"].hidden and shown(q3["ended"]) == "0"
    assert all(figure.value in (None, 0) for figure in q3.values())
    assert (q3["paid_w13"].part, q3["paid_w13"].whole) == (0, 2)  # type: ignore[union-attr]


def test_the_whole_adds_the_cohorts_and_takes_medians_over_all(figures: Figures) -> None:
    whole = {line.key: line.figure for line in figures.whole.lines}
    assert [shown(whole[key]) for key in ("started", "active", "ended", "company")] == [
        "9", SMALL, SMALL, SMALL]
    assert (whole["ended"].n, whole["company"].part, whole["company"].whole) == (6, 5, 9)  # type: ignore[union-attr]
    assert whole["hours_peak"].value == 13.5


@pytest.mark.parametrize(("figure", "shown_as"), [
    (Share(5, 10), 0.5), (Share(0, 6), 0.0), (Share(5, 6), None), (Share(4, 10), None),
    (Share(3, 3), None), (Share(7, 8, citizens=6), 7 / 8), (Share(3, 4, citizens=4), None),
    (Count(5), 5), (Count(4), None), (Count(0), 0), (Count(12, citizens=3), None),
    (Median(10.0, 5), 10.0), (Median(10.0, 4), None)])
def test_the_small_number_rule(figure: Count | Share | Median, shown_as: float | None) -> None:
    assert figure.value == shown_as


def test_one_hidden_outcome_hides_the_smallest_shown_beside_it() -> None:
    """20 ended: 10 flex job, 7 ordinary job, 3 education. The 3 alone hidden would be 20 less
    10 less 7: so the 7 is hidden too; the 10 stays."""
    lines = [Line("outcome:flex-job", Share(10, 20)), Line("outcome:ordinary-employment",
                                                          Share(7, 20)),
             Line("outcome:education", Share(3, 20)), Line("outcome:stopped", Share(0, 20))]
    _suppress_complements(lines, [line.key for line in lines])
    assert [line.figure.value for line in lines] == [0.5, None, None, 0.0]


def test_cohorts_by_team_and_programme_and_the_period_narrows(session: Session) -> None:
    build_roster(session)
    narrowed = compute_figures(session=session, selection=Selection(
        today=TODAY, started_from=d("1/2"), started_to=d("31/3"), by=By.NONE))
    assert [cohort.key for cohort in narrowed.cohorts] == ["*"]
    assert narrowed.whole.figure("started").n == 4  # type: ignore[union-attr]
    by_programme = compute_figures(session=session, selection=Selection(
        today=TODAY, by=By.PROGRAMME))
    assert [cohort.key for cohort in by_programme.cohorts] == ["Trædesten til job", "*"]


@pytest.fixture
def roster_database(database_url: str) -> str:
    assert invoke(database_url, "db", "upgrade")[0] == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        build_roster(session)
    engine.dispose()
    return database_url


def test_sparbot_stats_as_a_table_json_csv_and_xlsx(roster_database: str,
                                                      tmp_path: Path) -> None:
    now = ("--now", "2026-12-01T09:00")
    code, table = invoke(roster_database, "stats", *now)
    assert code == 0, table
    header, *lines = table.splitlines()
    assert header.split() == ["1.", "kvt.", "2026", "3.", "kvt.", "2026", "I", "alt"]
    mentor = next(line for line in lines if line.startswith("Mentorsamtaler til tiden"))
    assert "5 af 8 (63 %)" in mentor and mentor.count("–") == 1  # 2026 Q3: none held
    assert 'Tal om færre end 5 borgere vises som "< 5"' in table

    code, output = invoke(roster_database, "stats", "--format", "json", *now)
    cohorts = {cohort["cohort"]: {figure["figure"]: figure for figure in cohort["figures"]}
               for cohort in json.loads(output)}
    present = cohorts["1. kvt. 2026"]["Beslutninger med jobcentret til stede"]
    assert (present["number"], present["of"], present["shown"]) == (4, 5, "4 af 5 (80 %)")
    assert present["share"] == pytest.approx(0.8)
    paid = cohorts["1. kvt. 2026"]["Løntimer i uge 13"]
    assert (paid["number"], paid["of"], paid["share"], paid["shown"]) == (None, None, None, SMALL)
    length = cohorts["I alt"]["Forløbets længde (median)"]
    assert (length["median"], length["of"], length["shown"]) == (26, 6, "26 uger (af 6)")
    for figure in cohorts["3. kvt. 2026"].values():  # three citizens: no number at all
        assert figure["share"] is None and figure["median"] is None, figure
        assert figure["number"] in (None, 0) and figure["shown"] in (SMALL, "0", "–"), figure

    code, output = invoke(roster_database, "stats", "--format", "csv", "--by", "none", *now)
    rows = list(csv.reader(io.StringIO(output.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Kohorte", "Tal", "Antal", "Ud af", "Andel", "Median", "Enhed", "Vist"]
    assert ["I alt", "Timer på det højeste (median)", "", "8", "", "13,5", "timer",
            "13,5 timer (af 8)"] in rows

    target = tmp_path / "resultater.xlsx"
    code, output = invoke(roster_database, "stats", "--format", "xlsx", "-o", str(target), *now)
    assert code == 0, output
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    found = {(row[0].value, row[1].value): row for row in sheet.iter_rows(min_row=2)}
    attendance = found[("1. kvt. 2026", "Fremmøde (dage mødt af planlagte)")]
    assert [cell.value for cell in attendance[2:5]] == [15, 20, 0.75]
    assert attendance[4].number_format == "0%"
    hidden = found[("1. kvt. 2026", "Forlænget")]
    assert [cell.value for cell in hidden[2:6]] == [None] * 4 and hidden[7].value == SMALL


def test_stats_narrows_to_a_team_and_a_purpose_and_says_what_is_wrong(
        roster_database: str) -> None:
    code, output = invoke(roster_database, "stats", "--purpose", "månen")
    assert code == 2 and "--purpose er" in output and "fleksjob" in output
    code, output = invoke(roster_database, "stats", "--by", "år")
    assert code == 2 and "--by er quarter, team, programme eller none" in output
    code, output = invoke(roster_database, "stats", "--team", "Team Syd")
    assert code != 0 and "Traceback" not in output
    code, output = invoke(roster_database, "stats", "--purpose", "fleksjob", "--format", "json")
    assert code == 0 and json.loads(output)[-1]["figures"][0]["shown"] == "0"



def test_stats_as_a_pdf_with_its_charts(roster_database: str, tmp_path: Path) -> None:
    target = tmp_path / "resultater.pdf"
    code, output = invoke(roster_database, "stats", "--format", "pdf", "-o", str(target),
                          "--now", "2026-12-01T09:00")
    assert code == 0 and f"Skrevet til {target}" in output, output
    reader = PdfReader(target)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Resultater · forløb startet i alt" in text
    for heading in ("Udfald pr. kohorte", "Andel med løntimer, uge for uge",
                    "Timer pr. uge, uge for uge", "Mentorsamtaler til tiden 5 af 8 (63 %)",
                    "Tal om færre end 5 borgere"):
        assert heading in text, heading
    assert sum(len(page.images) for page in reader.pages) == 3  # the three charts


def test_paid_hours_and_the_hours_band_week_by_week(session: Session) -> None:
    """Week 13 as the figures count it; the band in week 1 over the eight courses with
    hours then (A 10, B 8, C 6, D 12, F 20, G 10, H 8, I 12): 6, 8, 8, 10, 10, 12, 12, 20 →
    the lower quartile the 2nd (8), the median 10, the upper quartile the 6th (12)."""
    build_roster(session)
    weekly = compute_weekly(session=session, selection=Selection(today=TODAY))
    q1 = dict(weekly.paid["20261"])
    assert (q1[13].part, q1[13].whole) == (2, 5) and q1[13].value is None
    assert (q1[12].part, q1[12].whole) == (1, 6)  # A's paid hours from 30 Mar: week 12
    week_1 = weekly.band[0]
    assert (week_1.week, week_1.low, week_1.median, week_1.high, week_1.of) == (
        1, 8, 10, 12, 8)
    assert dict(weekly.paid["*"])[26].whole == 5  # G, H, I have not reached week 26


@pytest.fixture
def with_admins(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
                ) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF="U0MENTOR,U0CONSULT,U0LEADER1",
                     SPARBOT_ADMINS="U0ADMIN") as bot:
        with bot.db() as session:
            build_roster(session)
            nord = create_team(session=session, name="Team Nord", channel_id="C0TEAMNORD1")
            # Team Nord's courses, ended ones too (as they were when they ran).
            session.execute(update(Case).where(col(Case.ref).in_(["A", "B", "D", "G", "H"]))
                            .values(team_id=nord.id))
            add_members(session=session, team=nord, people=["U0LEADER1"], admin=True)
        yield bot


def test_spar_tal_sends_the_summary_and_the_pdf_to_an_admins_dm(with_admins: Bot) -> None:
    bot = with_admins
    bot.driver.command("tal", user_id="U0MENTOR")
    assert "kun ses af en administrator" in last_reply(bot)
    bot.driver.command("tal efter:team", user_id="U0ADMIN")
    assert "Resultaterne er sendt til dig i en direkte besked" in last_reply(bot, 2)
    [summary] = [call for call in bot.slack.calls_to("chat.postMessage")
                 if call.args.get("channel") == "U0ADMIN"]
    text = block_text(summary.blocks)
    assert "Resultater · forløb startet i alt" in text
    assert "*Forløb startet*\n9" in text and "*Mentorsamtaler til tiden*\n5 af 8 (63 %)" in text
    assert "*Forløb i gang*\n&lt; 5" in text  # the small-number rule, in Slack too (escaped)
    [pdf] = [data for data in bot.slack.uploads.values() if data.startswith(b"%PDF")]
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert "Team Nord" in " ".join(page.extract_text() for page in pages)
    assert [item["channel_id"][0] for item in bot.slack.shared_files.values()] == ["D"]


def test_a_teams_admin_sees_their_teams_courses_only(with_admins: Bot) -> None:
    bot = with_admins
    bot.driver.command("tal", user_id="U0LEADER1")
    assert "Resultaterne er sendt til dig" in last_reply(bot)
    [summary] = [call for call in bot.slack.calls_to("chat.postMessage")
                 if call.args.get("channel") == "U0LEADER1"]
    text = block_text(summary.blocks)
    assert "Resultater · dine teams" in text and "*Forløb startet*\n5" in text
    bot.driver.command("tal 20x6", user_id="U0LEADER1")
    assert "«20x6» er ikke en periode" in last_reply(bot, 2)


def test_an_admins_app_home_has_the_results_and_staff_homes_do_not(with_admins: Bot) -> None:
    bot = with_admins
    for count, user in enumerate(("U0ADMIN", "U0MENTOR", "U0LEADER1"), start=1):
        bot.driver.open_home(user)
        bot.slack.wait_for("views.publish", count)
    homes = {call.args["user_id"]: block_text(call.view["blocks"])
             for call in bot.slack.calls_to("views.publish")}
    assert "Resultater: alle forløb" in homes["U0ADMIN"]
    assert "*Forløb startet*\n9" in homes["U0ADMIN"] and "`/spar tal`" in homes["U0ADMIN"]
    assert "*Forløb startet*\n5" in homes["U0LEADER1"]  # Team Nord's
    assert "Resultater" not in homes["U0MENTOR"]
