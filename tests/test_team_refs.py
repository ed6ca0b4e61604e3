"""Case references are unique per team: two providers may each have a "ZA". A person
names their own team's; someone who sees both is asked which (or names the team after
the reference, or types in the team's channel); buttons and forms carry the case itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from sparbot.bot.ids import ActionId
from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.errors import UserError
from sparbot.models import Case, Decision, HoursEntry
from sparbot.services import roster
from sparbot.services.people import PersonRef
from sparbot.services.teams import assign_cases, create_team, get_team
from tests.conftest import TODAY, Bot, running_bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import last_reply

NORTH, SOUTH = "C0NORTH", "C0SOUTH"
NORTH_MENTOR, SOUTH_MENTOR, ADMIN = "U0MENTOR", "U0SOUTHMENTOR", "U0ADMIN"


@pytest.fixture
def two_zas(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
            ) -> Iterator[Bot]:
    """Team Nord's ZA started 10 weeks ago, Team Syd's ZA 4 weeks ago."""
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF=f"{NORTH_MENTOR},{SOUTH_MENTOR}",
                     SPARBOT_ADMINS=ADMIN) as bot:
        with bot.db() as session:
            north = create_team(session=session, name="Team Nord", channel_id=NORTH)
            south = create_team(session=session, name="Team Syd", channel_id=SOUTH)
            for team, mentor, weeks in ((north, NORTH_MENTOR, 10), (south, SOUTH_MENTOR, 4)):
                roster.add_case(session=session, actor=mentor, team_id=team.id,
                                data=roster.CaseCreate(
                                    ref="ZA", programme="LFI", purpose="flex-job",  # type: ignore[arg-type]
                                    start_date=weeks_ago(TODAY, weeks),
                                    mentor=PersonRef(slack_user_id=mentor)))
        bot.slack.private_channels.update({NORTH, SOUTH})
        yield bot


def said(bot: Bot, text: str, user: str, channel: str = "D0DM") -> str:
    count = len(bot.slack.calls_to("response_url")) + 1
    bot.driver.command(text, user_id=user, channel_id=channel)
    return last_reply(bot, count)


def case_of(bot: Bot, team: str) -> Case:
    with bot.db() as session:
        team_id = get_team(session=session, name=team).id
        return session.exec(select(Case).where(Case.team_id == team_id)).one()


def test_each_team_has_its_own_za_and_each_person_names_their_own(two_zas: Bot) -> None:
    assert "ZA – uge 11 af 26" in said(two_zas, "sag ZA", NORTH_MENTOR)
    assert "ZA – uge 5 af 26" in said(two_zas, "sag za", SOUTH_MENTOR)
    said(two_zas, "timer ZA 3x3", NORTH_MENTOR)
    said(two_zas, "beslut ZA Praktik i Syd afprøves", SOUTH_MENTOR)
    north, south = case_of(two_zas, "Team Nord"), case_of(two_zas, "Team Syd")
    with two_zas.db() as session:
        assert [entry.case_id for entry in session.exec(select(HoursEntry))] == [north.id]
        assert [decision.case_id for decision in session.exec(select(Decision))] == [south.id]


def test_someone_who_sees_both_is_asked_which_and_can_say(two_zas: Bot) -> None:
    asked = said(two_zas, "sag ZA", ADMIN)
    assert "Flere teams har en sag med referencen «ZA»: Team Nord, Team Syd" in asked
    assert "`ZA@nord`" in asked
    assert "uge 5 af 26" in said(two_zas, "sag ZA", ADMIN, channel=SOUTH)  # the channel's
    assert "uge 11 af 26" in said(two_zas, "sag ZA@nord", ADMIN)
    assert "uge 5 af 26" in said(two_zas, "sag za@Syd", ADMIN)


def test_the_case_cards_buttons_and_forms_act_on_that_very_case(two_zas: Bot) -> None:
    said(two_zas, "sag ZA", SOUTH_MENTOR)
    card = two_zas.slack.calls_to("response_url")[-1].blocks
    value = next(element["value"] for block in card if block["type"] == "actions"
                 for element in block["elements"] if element["action_id"] == ActionId.HOURS_ADD)
    south = case_of(two_zas, "Team Syd")
    assert value == f"#{south.id}"
    two_zas.driver.click(ActionId.HOURS_ADD.value, value, user_id=SOUTH_MENTOR)
    form = two_zas.slack.wait_for("views.open")[0].view
    assert "ZA" in form["title"]["text"] and "#" not in form["title"]["text"]
    two_zas.driver.submit(form, {"hours": "2x2"}, user_id=SOUTH_MENTOR)
    two_zas.idle()
    with two_zas.db() as session:
        assert [entry.case_id for entry in session.exec(select(HoursEntry))] == [south.id]


def test_a_reference_is_free_in_another_team_but_not_twice_in_one(two_zas: Bot) -> None:
    with two_zas.db() as session:
        make_case(session, "ZA", start=TODAY)  # in no team: free there too
        north = get_team(session=session, name="Team Nord")
        with pytest.raises(UserError) as taken:
            roster.add_case(session=session, actor=NORTH_MENTOR, team_id=north.id,
                            data=roster.CaseCreate(ref="za", programme="LFI",
                                                   purpose="flex-job",  # type: ignore[arg-type]
                                                   start_date=TODAY,
                                                   mentor=PersonRef(slack_user_id=NORTH_MENTOR)))
        assert taken.value.key == "duplicate_ref"
        with pytest.raises(UserError) as moved:  # Syd's ZA cannot move into Nord
            assign_cases(session=session, team=north, refs=["ZA@syd"])
        assert moved.value.key == "duplicate_ref"


def test_an_export_of_one_za_holds_that_teams_decisions_only(two_zas: Bot) -> None:
    said(two_zas, "beslut ZA Nords beslutning", NORTH_MENTOR)
    said(two_zas, "beslut ZA Syds beslutning", SOUTH_MENTOR)
    assert "Eksporten (1 linje)" in said(two_zas, "eksport ZA format:csv", SOUTH_MENTOR)
    [upload] = two_zas.slack.uploads.values()
    assert b"Syds beslutning" in upload and b"Nords beslutning" not in upload
