"""Teams as access boundaries: a provider's staff see, search, export and report only the
cases of the teams they work in (by their cases, their team's channel, or an operator's
word); deployment admins see all; a team's admins export its whole log."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col

from sparbot.bot.team_members import refresh_team_members
from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.models import AuditEvent
from sparbot.services import decisions
from sparbot.services.people import PersonRef
from sparbot.services.team_members import add_members
from sparbot.services.teams import assign_cases, create_team
from tests.conftest import TODAY, Bot, running_bot
from tests.factories import make_case, weeks_ago
from tests.test_cli import invoke
from tests.test_slack_commands import block_text, last_reply

NORTH, SOUTH = "C0NORTH", "C0SOUTH"
NORTH_MENTOR, SOUTH_MENTOR = "U0MENTOR", "U0SOUTHMENTOR"
NEWCOMER, CHANNEL_ONLY, SOUTH_ADMIN, ADMIN = "U0NEWCOMER", "U0CHANNEL", "U0SOUTHBOSS", "U0ADMIN"


@pytest.fixture
def two_teams(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
              ) -> Iterator[Bot]:
    """Team Nord holds ZA (Mette's), Team Syd KB (another mentor's); EM is in no team.
    Each case has a decision."""
    staff = ",".join((NORTH_MENTOR, SOUTH_MENTOR, NEWCOMER, CHANNEL_ONLY, SOUTH_ADMIN,
                      "U0CONSULT"))
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF=staff,
                     SPARBOT_ADMINS=ADMIN) as bot:
        with bot.db() as session:
            make_case(session, "ZA", start=weeks_ago(TODAY, 10))
            make_case(session, "KB", start=weeks_ago(TODAY, 8), mentor=SOUTH_MENTOR,
                      consultant=None)
            make_case(session, "EM", start=weeks_ago(TODAY, 3), mentor=SOUTH_MENTOR,
                      consultant=None)
            north = create_team(session=session, name="Team Nord", channel_id=NORTH)
            south = create_team(session=session, name="Team Syd", channel_id=SOUTH)
            assign_cases(session=session, team=north, refs=["ZA"])
            assign_cases(session=session, team=south, refs=["KB"])
            add_members(session=session, team=south, people=[SOUTH_ADMIN], admin=True)
            for ref, owner in (("ZA", NORTH_MENTOR), ("KB", SOUTH_MENTOR)):
                decisions.record_decision(session=session, today=TODAY, actor=owner,
                                          data=decisions.DecisionCreate(
                                              ref=ref, text=f"Beslutning om {ref}",
                                              owners=[PersonRef(slack_user_id=owner)]))
        bot.slack.private_channels.update({NORTH, SOUTH})
        yield bot


def roster_of(bot: Bot, user: str) -> str:
    count = len(bot.slack.calls_to("response_url")) + 1
    bot.driver.command("sager", user_id=user, channel_id="D0DM")
    return last_reply(bot, count)


def said_to(bot: Bot, user: str, text: str) -> str:
    count = len(bot.slack.calls_to("response_url")) + 1
    bot.driver.command(text, user_id=user, channel_id="D0DM")
    return last_reply(bot, count)


def test_each_teams_staff_see_only_their_own_cases(two_teams: Bot) -> None:
    north = roster_of(two_teams, NORTH_MENTOR)
    assert "*ZA*" in north and "*KB*" not in north and "*EM*" in north  # EM: in no team
    south = roster_of(two_teams, SOUTH_MENTOR)
    assert "*KB*" in south and "*ZA*" not in south
    everything = roster_of(two_teams, ADMIN)
    assert all(f"*{ref}*" in everything for ref in ("ZA", "KB", "EM"))

    assert "ZA – uge 11 af 26" in said_to(two_teams, NORTH_MENTOR, "sag ZA")
    refused = said_to(two_teams, NORTH_MENTOR, "sag KB")
    assert "Jeg kan ikke finde en sag med referencen «KB»" in refused
    assert "Beslutning om KB" not in said_to(two_teams, NORTH_MENTOR, "beslutninger")
    assert "Beslutning om ZA" in said_to(two_teams, NORTH_MENTOR, "beslutninger")
    assert "Jeg kan ikke finde" in said_to(two_teams, NORTH_MENTOR, "beslutninger KB")
    assert "Jeg kan ikke finde" in said_to(two_teams, NORTH_MENTOR, "rapport KB")
    assert "Jeg kan ikke finde" in said_to(two_teams, NORTH_MENTOR, "eksport KB")
    assert "Jeg kan ikke finde" in said_to(two_teams, NORTH_MENTOR, "timer KB 3")
    with two_teams.db() as session:
        refusals = session.execute(select(col(AuditEvent.what)).where(
            col(AuditEvent.actor) == NORTH_MENTOR, col(AuditEvent.action) == "refuse",
            col(AuditEvent.case_ref) == "KB").order_by(col(AuditEvent.id))).scalars().all()
    assert refusals == ["command:case-show", "command:decisions", "command:report",
                        "command:export", "command:hours"]
    assert two_teams.slack.shared_files == {}  # no report or export left for the DM


def test_the_app_home_shows_only_the_persons_team(two_teams: Bot) -> None:
    two_teams.driver.open_home(NORTH_MENTOR)
    home = block_text(two_teams.slack.wait_for("views.publish")[0].view["blocks"])
    assert "ZA" in home and "KB" not in home and "Beslutning om KB" not in home


def test_a_member_of_the_teams_channel_sees_its_cases_once_slack_has_said_so(
        two_teams: Bot) -> None:
    assert "*ZA*" not in roster_of(two_teams, CHANNEL_ONLY)
    two_teams.slack.channel_members[NORTH] = ["U0MENTOR", "U0CONSULT", CHANNEL_ONLY]
    assert refresh_team_members(two_teams.deps, two_teams.client) == {"Team Nord": 3,
                                                                     "Team Syd": 0}
    seen = roster_of(two_teams, CHANNEL_ONLY)
    assert "*ZA*" in seen and "*KB*" not in seen
    two_teams.slack.channel_members[NORTH] = ["U0MENTOR"]  # left the channel
    refresh_team_members(two_teams.deps, two_teams.client)
    assert "*ZA*" not in roster_of(two_teams, CHANNEL_ONLY)


def test_someone_an_operator_adds_sees_the_team_and_the_agenda_is_theirs(
        two_teams: Bot) -> None:
    assert "*KB*" not in roster_of(two_teams, NEWCOMER)
    with two_teams.db() as session:
        from sparbot.services.teams import get_team

        add_members(session=session, team=get_team(session=session, name="team syd"),
                    people=[f"<@{NEWCOMER}|ny>"])
    assert "*KB*" in roster_of(two_teams, NEWCOMER)
    agenda = said_to(two_teams, NEWCOMER, "dagsorden")  # in a DM: their team's meeting
    assert "Team Syd" in agenda and "ZA" not in agenda


def test_a_teams_admin_exports_its_whole_log_and_nothing_else(two_teams: Bot) -> None:
    assert "kun eksporteres af en administrator" in said_to(two_teams, NORTH_MENTOR,
                                                            "eksport format:csv")
    assert "Eksporten (1 linje)" in said_to(two_teams, SOUTH_ADMIN, "eksport format:csv")
    [upload] = two_teams.slack.uploads.values()
    rows = list(csv.reader(io.StringIO(upload.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["KB"]
    assert "Eksporten (2 linjer)" in said_to(two_teams, ADMIN, "eksport format:csv")
    with two_teams.db() as session:
        assert session.execute(select(func.count()).select_from(AuditEvent).where(
            col(AuditEvent.action) == "refuse", col(AuditEvent.what) == "command:export-all")
        ).scalar_one() == 1


def test_the_operator_names_a_teams_members_and_exports_one_team(
        database_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> tuple[int, str]:
        return invoke(database_url, *args)

    roster = tmp_path / "roster.csv"
    roster.write_text("ref,programme,purpose,start,weeks,mentor,company_consultant,"
                      "jobcenter_consultant,cadence,team\n"
                      "ZA,LFI,flex-job,2026-10-01,26,U0MENTOR,,,,\n", encoding="utf-8")
    assert run("import", "roster", str(roster))[0] == 0
    assert run("team", "add", "Team Syd", "--channel", SOUTH)[0] == 0
    code, output = run("team", "members", "team syd", "--add", "U0SOUTHBOSS", "--admin")
    assert code == 0 and "tilføjet U0SOUTHBOSS som admin" in output
    assert "U0SOUTHBOSS\toperator\tadmin" in output
    code, output = run("team", "members", "Team Syd", "--add", "not-a-person")
    assert code == 1 and "ikke en person" in output
    code, output = run("team", "members", "Team Syd", "--remove", "U0SOUTHBOSS")
    assert code == 0 and "Team Syd: 0 medlemmer" in output
    code, output = run("export", "decisions", "--team", "Team Syd")
    assert code == 0 and "0 linjer skrevet" in output
    code, output = run("export", "decisions", "--team", "Team Vest")
    assert code == 1 and "Jeg kender ikke et team, der hedder «Team Vest»" in output


def test_a_person_sees_which_teams_they_are_in_and_why(two_teams: Bot) -> None:
    mine = said_to(two_teams, SOUTH_ADMIN, "team")
    assert "*Dine teams*" in mine and "*Team Syd*" in mine and "Team Nord" not in mine
    assert "du er med via driften" in mine and "kan eksportere hele dets log" in mine
    north = said_to(two_teams, NORTH_MENTOR, "team")
    assert "*Team Nord* – <#C0NORTH> · 1 aktive sager · du er med via dine sager" in north
    assert "ikke med i noget team" in said_to(two_teams, NEWCOMER, "team")
    everyone = said_to(two_teams, ADMIN, "team")
    assert "*Alle teams*" in everyone and "Team Nord" in everyone and "Team Syd" in everyone


def test_without_teams_everyone_is_told_there_are_none(bot: Bot) -> None:
    bot.driver.command("team")
    assert "Der er ingen teams" in last_reply(bot)
