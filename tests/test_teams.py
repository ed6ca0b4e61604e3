"""Teams: each holds its own meeting in its own channel, over its own cases. The agenda,
its posting (once per team, even racing), the commands typed in a team's channel, and the
operator's `sparbot team` commands."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from sparbot.bot.agenda.posting import Outcome, post_weekly_agenda
from sparbot.bot.app import make_deps
from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import FollowUpKind
from sparbot.models import AgendaItem, Case, Meeting, Team
from sparbot.services.teams import assign_cases, create_team, set_meeting
from tests.conftest import TEAM_CHANNEL, TODAY, Bot, running_bot
from tests.factories import follow_up, make_case, weeks_ago
from tests.test_cli import GOOD, invoke
from tests.test_slack_commands import block_text, last_reply
from tests.test_slack_modals import CASE_FORM

CPH = ZoneInfo("Europe/Copenhagen")
POSTING = datetime(2026, 11, 30, 14, 0, tzinfo=CPH)  # for the meeting on 1 December
NORTH, SOUTH = "C0NORTH", "C0SOUTH"


def three_meetings(bot: Bot) -> None:
    """The deployment's own team keeps EM; Team Nord has ZA and LBW; Team Syd has KO, whose
    mentor is someone else."""
    with bot.db() as session:
        for ref, weeks in (("EM", 23), ("ZA", 10), ("LBW", 5)):
            make_case(session, ref, start=weeks_ago(TODAY, weeks))
        make_case(session, "KO", start=weeks_ago(TODAY, 12), mentor="U0OTHER")
        follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, TODAY, today=TODAY)
        north = create_team(session=session, name="Team Nord", channel_id=NORTH)
        south = create_team(session=session, name="Team Syd", channel_id=SOUTH)
        assign_cases(session=session, team=north, refs=["ZA", "lbw"])
        assign_cases(session=session, team=south, refs=["KO"])
    bot.slack.private_channels.update({NORTH, SOUTH})


def overview_refs(text: str) -> list[str]:
    """The cases on an agenda, in order (the reply on request repeats each in its item)."""
    refs = [line.split("*")[1].split(". ")[1] for line in text.splitlines()
            if line.startswith("*") and ". " in line.split("*")[1]]
    return list(dict.fromkeys(refs))


def posts_in(bot: Bot, channel: str) -> list[str]:
    return [block_text(call.blocks) for call in bot.slack.calls_to("chat.postMessage")
            if call.args.get("channel") == channel and not call.args.get("thread_ts")]


def outcomes(bot: Bot, now: datetime) -> dict[str | None, Outcome]:
    """One run of the weekly job: each team's outcome (None: the deployment's own team)."""
    return {result.team: result.outcome
            for result in post_weekly_agenda(bot.deps, bot.client, now)}


def test_the_agenda_typed_in_a_teams_channel_is_that_teams_alone(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("dagsorden", channel_id=NORTH)
    reply = bot.slack.wait_for("response_url")[0]
    assert reply.blocks[0]["text"]["text"] == \
        "Dagsorden: sparringsmøde i Team Nord tirsdag 1. dec 2026 kl. 10:00"
    assert sorted(overview_refs(block_text(reply.blocks))) == ["LBW", "ZA"]
    bot.driver.command("dagsorden", channel_id=TEAM_CHANNEL)
    own = bot.slack.wait_for("response_url", 2)[1]
    assert own.blocks[0]["text"]["text"] == "Dagsorden: sparringsmøde tirsdag 1. dec 2026 kl. 10:00"
    assert overview_refs(block_text(own.blocks)) == ["EM"]


def test_in_a_direct_message_the_agenda_is_that_of_the_persons_own_cases(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("dagsorden", user_id="U0OTHER", channel_id="D0DIRECT")
    reply = bot.slack.wait_for("response_url")[0]
    assert "Team Syd" in reply.blocks[0]["text"]["text"]
    assert overview_refs(block_text(reply.blocks)) == ["KO"]


def test_the_weekly_job_posts_every_teams_agenda_in_its_channel_once_even_racing(
        bot: Bot) -> None:
    three_meetings(bot)
    outcomes: list[tuple[str | None, Outcome]] = []

    def replica() -> None:  # another process: its own deps over the same database
        deps = make_deps(bot.deps.settings, bot.db, clock=FixedClock(POSTING))
        outcomes.extend((result.team, result.outcome)
                        for result in post_weekly_agenda(deps, bot.client, POSTING))

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for team in (None, "Team Nord", "Team Syd"):
        assert sorted(outcome for name, outcome in outcomes if name == team) == \
            sorted([Outcome.POSTED, Outcome.ALREADY_POSTED])
    for channel, refs in ((TEAM_CHANNEL, ["EM"]), (NORTH, ["LBW", "ZA"]), (SOUTH, ["KO"])):
        overviews = [text for text in posts_in(bot, channel) if "Dagsorden:" in text]
        assert len(overviews) == 1, channel
        assert sorted(overview_refs(overviews[0])) == refs
    with bot.db() as session:
        meetings = session.exec(select(Meeting)).all()
        assert sorted((meeting.team_id is not None, meeting.channel_id, meeting.status)
                      for meeting in meetings) == [
            (False, TEAM_CHANNEL, "posted"), (True, NORTH, "posted"), (True, SOUTH, "posted")]
        north = session.exec(select(Meeting).where(Meeting.channel_id == NORTH)).one()
        cases = session.exec(select(Case.ref).join(AgendaItem, AgendaItem.case_id == Case.id)  # type: ignore[arg-type]
                             .where(AgendaItem.meeting_id == north.id)).all()
    assert sorted(cases) == ["LBW", "ZA"]


def test_one_teams_channel_that_is_not_private_keeps_back_only_its_own_agenda(
        bot: Bot) -> None:
    three_meetings(bot)
    bot.slack.private_channels.discard(SOUTH)
    assert outcomes(bot, POSTING) == {None: Outcome.POSTED, "Team Nord": Outcome.POSTED,
                                      "Team Syd": Outcome.NOT_PRIVATE}
    assert posts_in(bot, SOUTH) == []
    later = POSTING + timedelta(minutes=10)
    bot.slack.private_channels.add(SOUTH)  # the admin fixed it: the next run posts it
    results = outcomes(bot, later)
    assert results["Team Syd"] is Outcome.POSTED and results["Team Nord"] is \
        Outcome.ALREADY_POSTED


def test_posting_now_from_a_teams_channel_posts_that_teams_agenda_there(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("dagsorden post", channel_id=NORTH)
    assert f"Dagsordenen er sendt til <#{NORTH}>" in last_reply(bot)
    assert posts_in(bot, TEAM_CHANNEL) == [] and posts_in(bot, SOUTH) == []
    assert sorted(overview_refs(posts_in(bot, NORTH)[0])) == ["LBW", "ZA"]


def test_a_decision_outside_any_thread_goes_to_the_cases_teams_channel(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("beslut ZA Forlæng praktikken 4 uger", channel_id="D0DIRECT")
    assert f"<#{NORTH}>" in last_reply(bot)
    assert any("Forlæng praktikken" in text for text in posts_in(bot, NORTH))


def test_a_team_meeting_on_its_own_day_gets_its_agenda_the_working_day_before(
        bot: Bot) -> None:
    three_meetings(bot)
    with bot.db() as session:
        south = session.exec(select(Team).where(Team.channel_id == SOUTH)).one()
        set_meeting(south, day="torsdag", at="13:00", jobcenter="U0JCSOUTH, Jens Jobcenter")
    assert outcomes(bot, POSTING) == {None: Outcome.POSTED, "Team Nord": Outcome.POSTED,
                                      "Team Syd": Outcome.NOT_YET}
    assert posts_in(bot, SOUTH) == []
    wednesday = POSTING + timedelta(days=2)
    assert outcomes(bot, wednesday - timedelta(minutes=10))["Team Syd"] is Outcome.NOT_YET
    # The others' next meetings are next week's.
    assert outcomes(bot, wednesday) == {None: Outcome.NOT_YET, "Team Nord": Outcome.NOT_YET,
                                        "Team Syd": Outcome.POSTED}
    overview = posts_in(bot, SOUTH)[0]
    assert "Dagsorden: sparringsmøde i Team Syd torsdag 3. dec 2026 kl. 13:00" in overview
    assert "<@U0JCSOUTH>, Jens Jobcenter – deltager jobcentret i mødet?" in overview
    assert "U0JCSOUTH" not in posts_in(bot, NORTH)[0]  # the deployment's (none) for them
    with bot.db() as session:
        meeting = session.exec(select(Meeting).where(Meeting.channel_id == SOUTH)).one()
        assert meeting.regular_date.isoformat() == "2026-12-03"


def test_in_a_teams_channel_the_agenda_and_requests_are_for_its_own_meeting_day(
        bot: Bot) -> None:
    three_meetings(bot)
    with bot.db() as session:
        south = session.exec(select(Team).where(Team.channel_id == SOUTH)).one()
        set_meeting(south, day="thursday", at=None)
    bot.driver.command("dagsorden", channel_id=SOUTH)
    reply = bot.slack.wait_for("response_url")[0]
    assert reply.blocks[0]["text"]["text"] == \
        "Dagsorden: sparringsmøde i Team Syd torsdag 26. nov 2026 kl. 10:00"
    bot.driver.command("dagsorden tilføj KO Praktikken stopper", channel_id=SOUTH)
    assert "KO er sat på dagsordenen til mødet torsdag 26. nov" in last_reply(bot, 2)
    bot.driver.command("dagsorden tilføj ZA Skal drøftes", channel_id=SOUTH)
    assert "ZA er sat på dagsordenen til mødet tirsdag 1. dec" in last_reply(bot, 3)  # ZA's


def test_posting_now_outside_every_teams_channel_says_where_to_type_it(
        db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock) -> None:
    with running_bot(db, engine, slack, clock, SPARBOT_CHANNEL="") as bot:
        three_meetings(bot)
        bot.driver.command("dagsorden post", user_id="U0NOCASES", channel_id="D0DIRECT")
        said = last_reply(bot)
    assert f"Skriv kommandoen i dit teams kanal: <#{NORTH}> (Team Nord), <#{SOUTH}> " \
        "(Team Syd)." in said
    assert slack.calls_to("chat.postMessage") == []


@pytest.fixture
def operator(database_url: str, tmp_path: Path
             ) -> Callable[..., tuple[int, str]]:
    """The CLI over a database of the run's kind holding the roster ZA, LBW, Zara."""
    roster = tmp_path / "roster.csv"
    roster.write_text(GOOD, encoding="utf-8")
    assert invoke(database_url, "import", "roster", str(roster))[0] == 0
    return lambda *args: invoke(database_url, *args)


Operator = Callable[..., tuple[int, str]]


def test_the_operator_makes_a_team_and_gives_it_cases(operator: Operator) -> None:
    code, output = operator("team", "add", "Team  Nord", "--channel", NORTH)
    assert code == 0 and "Team Nord: dagsorden i C0NORTH" in output
    code, output = operator("team", "assign", "team nord", "za", "LBW")
    assert code == 0 and "ZA, LBW er nu på dagsordenen for team nord" in output
    assert "Team Nord\tC0NORTH\t2 aktive sager" in operator("team", "list")[1]
    code, listed = operator("cases", "--team", "Team Nord", "--json")
    assert code == 0 and sorted((case["ref"], case["team"]) for case in json.loads(listed)) \
        == [("LBW", "Team Nord"), ("ZA", "Team Nord")]
    everyone = operator("cases")[1]
    assert "team Team Nord" in everyone and "Zara" in everyone
    assert "Teams: Team Nord." in operator("cases", "--team", "Team Vest")[1]
    code, agenda = operator("agenda", "show", "--team", "Team Nord", "--json",
                            "--now", "2026-11-24T11:00")
    assert code == 0 and json.loads(agenda)["team"] == "Team Nord"
    assert operator("team", "unassign", "ZA")[0] == 0
    assert "Team Nord\tC0NORTH\t1 aktiv sag" in operator("team", "list")[1]
    code, output = operator("team", "edit", "team nord", "--name", "Team Nordvest",
                            "--channel", "C0NORTHWEST")
    assert code == 0 and "Team Nordvest: dagsorden i C0NORTHWEST" in output
    assert "Team Nordvest\tC0NORTHWEST\t1 aktiv sag" in operator("team", "list")[1]


def test_the_operator_gives_a_team_its_own_meeting_day_and_time(operator: Operator) -> None:
    code, output = operator("team", "add", "Team Nord", "--channel", NORTH, "--day", "torsdag")
    assert code == 0 and "mødes torsdag på det fælles tidspunkt" in output
    assert operator("team", "assign", "Team Nord", "ZA")[0] == 0
    code, output = operator("team", "meeting", "team nord", "--time", "9.30",
                            "--jobcenter", " U0JCNORTH ,, Jens Jobcenter ")
    assert code == 0 and "Team Nord mødes torsdag kl. 09:30 " \
        "(jobcenter: U0JCNORTH, Jens Jobcenter)" in output
    code, agenda = operator("agenda", "show", "--team", "Team Nord", "--json",
                            "--now", "2026-11-24T11:00")
    meeting = json.loads(agenda)["meeting"]
    assert (meeting["date"], meeting["starts_at"]) == ("2026-11-26", "09:30")
    for wrong, said in ((("--day", "lørdag"), "«lørdag» er ikke en hverdag"),
                        (("--time", "25:00"), "«25:00» er ikke et klokkeslæt")):
        code, output = operator("team", "meeting", "Team Nord", *wrong)
        assert code == 1 and said in output
    code, output = operator("team", "meeting", "Team Nord")
    assert code == 2 and "--default" in output
    assert "mødes torsdag kl. 09:30" in operator("team", "list")[1]  # unchanged
    code, output = operator("team", "meeting", "Team Nord", "--default")
    assert code == 0 and "mødes på den fælles dag og det fælles tidspunkt" in output
    code, agenda = operator("agenda", "show", "--team", "Team Nord", "--json",
                            "--now", "2026-11-24T11:00")
    assert json.loads(agenda)["meeting"]["date"] == "2026-12-01"  # Tuesday 10:00 is past


def test_the_operators_mistakes_are_said_and_change_nothing(operator: Operator) -> None:
    code, output = operator("team", "add", "Team Nord", "--channel", "#nord")
    assert code == 1 and "er ikke et kanal-id" in output
    code, output = operator("team", "add", "Team 010190-1234", "--channel", NORTH)
    assert code == 1 and "CPR-nummer" in output and "010190" not in output
    code, output = operator("team", "add", "Team Nord", "--channel", NORTH,
                            "--jobcenter", "Jens 0101901234")
    assert code == 1 and "CPR-nummer" in output and "0101901234" not in output
    code, output = operator("team", "add", "Team Nord", "--channel", NORTH, "--jobcenter", ",")
    assert code == 1 and "Slack-id'er eller navne" in output
    assert operator("team", "add", "Team Nord", "--channel", NORTH)[0] == 0
    code, output = operator("team", "add", "TEAM NORD", "--channel", SOUTH)
    assert code == 1 and "allerede et team" in output
    code, output = operator("team", "add", "Team Syd", "--channel", NORTH)
    assert code == 1 and "hører allerede til et andet team" in output
    code, output = operator("team", "assign", "Team Vest", "ZA")
    assert code == 1 and "Teams: Team Nord." in output
    code, output = operator("agenda", "show", "--team", "Team Vest")
    assert code == 1 and "Teams: Team Nord." in output
    code, output = operator("team", "assign", "Team Nord", "ZA", "XX")
    assert code == 1 and "«XX»" in output
    assert operator("team", "add", "Team Syd", "--channel", SOUTH)[0] == 0
    code, output = operator("team", "edit", "Team Syd", "--name", "team nord")
    assert code == 1 and "allerede et team" in output
    code, output = operator("team", "edit", "Team Syd", "--channel", NORTH)
    assert code == 1 and "hører allerede til et andet team" in output
    assert operator("team", "edit", "Team Syd")[0] == 2
    teams = json.loads(operator("team", "list", "--json")[1])
    assert teams == [{"name": name, "channel": channel, "active_cases": 0,  # all or none
                      "meeting_weekday": None, "meeting_time": None,
                      "jobcenter_attendees": None}
                     for name, channel in (("Team Nord", NORTH), ("Team Syd", SOUTH))]



def test_a_case_added_in_a_teams_channel_joins_that_team(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("sag ny", channel_id=NORTH)
    view = bot.slack.wait_for("views.open")[-1].view
    response = bot.driver.submit(view, {**CASE_FORM, "ref": "AB"})
    assert response.status == 200 and response.body == ""
    bot.driver.command("sag ny", user_id="U0OTHER", channel_id="D0DIRECT")
    view = bot.slack.wait_for("views.open", 2)[-1].view
    bot.driver.submit(view, {**CASE_FORM, "ref": "CD"}, user_id="U0OTHER")
    with bot.db() as session:
        teams = dict(session.exec(select(Case.ref, Team.name).join(
            Team, Team.id == Case.team_id)).all())  # type: ignore[arg-type]
    assert teams["AB"] == "Team Nord" and teams["CD"] == "Team Syd"


def test_a_roster_file_can_name_each_cases_team(operator: Operator, tmp_path: Path) -> None:
    assert operator("team", "add", "Team Nord", "--channel", NORTH)[0] == 0
    more = tmp_path / "more.csv"
    more.write_text("ref;programme;purpose;start;mentor;team\n"
                    "AB;LFI;ordinær;2026-11-02;U0MENTOR;team nord\n"
                    "CD;LFI;ordinær;2026-11-02;U0MENTOR;\n"
                    "EF;LFI;ordinær;2026-11-02;U0MENTOR;Team Vest\n", encoding="utf-8")
    code, output = operator("import", "roster", str(more))
    assert code == 1 and "linje 4" in output and "«Team Vest»" in output
    assert json.loads(operator("team", "list", "--json")[1])[0]["active_cases"] == 0
    more.write_text(more.read_text(encoding="utf-8").replace("Team Vest", ""), encoding="utf-8")
    code, output = operator("import", "roster", str(more))
    assert code == 0, output
    assert json.loads(operator("team", "list", "--json")[1])[0]["active_cases"] == 1


def test_the_roster_typed_in_a_teams_channel_is_that_teams_cases(bot: Bot) -> None:
    three_meetings(bot)
    bot.driver.command("sager", channel_id=NORTH)
    north = bot.slack.wait_for("response_url")[0]
    assert north.blocks[0]["text"]["text"] == "Sagsliste for Team Nord (2 aktive)"
    assert "*LBW*" in block_text(north.blocks) and "*ZA*" in block_text(north.blocks)
    assert "*EM*" not in block_text(north.blocks) and "*KO*" not in block_text(north.blocks)
    bot.driver.command("sager", channel_id="C0ELSEWHERE")  # outside a team: everyone's
    everyone = bot.slack.wait_for("response_url", 2)[1]
    assert everyone.blocks[0]["text"]["text"] == "Sagsliste (4 aktive)"
    bot.driver.command("sager mine", channel_id=NORTH)  # mine: across teams
    mine = bot.slack.wait_for("response_url", 3)[2]
    assert mine.blocks[0]["text"]["text"] == "Dine sager (3 aktive)"


def test_a_teams_empty_roster_says_how_cases_join_it(bot: Bot) -> None:
    three_meetings(bot)
    with bot.db() as session:
        create_team(session=session, name="Team Øst", channel_id="C0EASTERN")
    bot.driver.command("sager", channel_id="C0EASTERN")
    reply = bot.slack.wait_for("response_url")[0]
    assert "Team Øst har ingen aktive sager endnu" in block_text(reply.blocks)
    assert "/spar sag ny" in block_text(reply.blocks)


def test_a_teams_roster_pages_on_within_the_team(bot: Bot) -> None:
    three_meetings(bot)
    with bot.db() as session:
        for number in range(30):
            make_case(session, f"N{number:02d}", start=weeks_ago(TODAY, number % 26))
        north = session.exec(select(Team).where(Team.channel_id == NORTH)).one()
        assign_cases(session=session, team=north, refs=[f"N{n:02d}" for n in range(30)])
    bot.driver.command("sager", channel_id=NORTH)
    first = bot.slack.wait_for("response_url")[0]
    assert first.blocks[0]["text"]["text"] == "Sagsliste for Team Nord (32 aktive)"
    next_button = next(element for element in first.blocks[-1]["elements"]
                       if element["text"]["text"] == "Næste →")
    bot.driver.click("roster-page", next_button["value"], channel_id=NORTH)
    second = bot.slack.wait_for("response_url", 2)[1]
    assert "Side 2 af 2" in block_text(second.blocks)
    refs = {word.strip("*") for word in block_text(second.blocks).split() if word[:2] == "*N"}
    assert refs == {f"N{n}" for n in range(24, 30)} and "*ZA*" in block_text(second.blocks)
    assert "*EM*" not in block_text(second.blocks) and "*KO*" not in block_text(second.blocks)
