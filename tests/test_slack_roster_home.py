"""The roster (paginated, within Slack's limits) and the App Home."""

from __future__ import annotations

import json

from sparbot.enums import FollowUpKind, PlacementKind
from tests.conftest import TODAY, Bot
from tests.factories import OTHER_MENTOR, follow_up, make_case, placement, weeks_ago
from tests.test_slack_commands import block_text


def make_roster(bot: Bot, count: int, *, mentor_every: int = 1) -> None:
    with bot.db() as session:
        for number in range(count):
            mentor = "U0MENTOR" if number % mentor_every == 0 else OTHER_MENTOR
            make_case(session, f"C{number:04d}", start=weeks_ago(TODAY, number % 26),
                      mentor=mentor)


def test_a_roster_of_500_pages_within_slacks_limits(bot: Bot) -> None:
    make_roster(bot, 500)
    bot.driver.command("sager")
    first = bot.slack.wait_for("response_url")[0]
    assert first.blocks[0]["text"]["text"] == "Sagsliste (500 aktive)"
    assert "Side 1 af 20" in block_text(first.blocks)
    assert "*C0000*" in block_text(first.blocks) and "*C0025*" not in block_text(first.blocks)
    # Walk every page by its "Næste" button, as a person would.
    seen: set[str] = set()
    reply = first
    for page in range(2, 21):
        next_button = next(element for element in reply.blocks[-1]["elements"]
                       if element["text"]["text"] == "Næste →")
        assert json.loads(next_button["value"]) == {"page": page, "mine": False}
        bot.driver.click("roster-page", next_button["value"])
        reply = bot.slack.wait_for("response_url", page)[page - 1]
        assert reply.args["replace_original"] is True
        assert len(reply.blocks) <= 50
        seen.update(word.strip("*") for word in block_text(reply.blocks).split()
                    if word.startswith("*C"))
    assert "Side 20 af 20" in block_text(reply.blocks)
    assert len(seen) == 475 and "C0499" in seen
    assert bot.slack.problems == []


def test_my_cases_only(bot: Bot) -> None:
    make_roster(bot, 6, mentor_every=2)
    bot.driver.command("sager mine", user_id=OTHER_MENTOR)
    text = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "Dine sager (3 aktive)" in text
    assert "*C0001*" in text and "*C0000*" not in text


def test_someone_with_no_cases_is_told_what_to_do(bot: Bot) -> None:
    make_roster(bot, 2)
    bot.driver.command("sager mine", user_id="U0NEWBIE")
    text = block_text(bot.slack.wait_for("response_url")[0].blocks)
    assert "Du har ingen aktive sager" in text and "/spar sag ny" in text


def test_app_home_shows_own_cases_and_what_is_due(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        follow_up(session, "ZA", FollowUpKind.MENTOR_MEETING, weeks_ago(TODAY, 2),
                  today=TODAY)
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Plejehjemmet Solbakken",
                  weeks_ago(TODAY, 9), today=TODAY)
        make_case(session, "EM", start=weeks_ago(TODAY, 23))  # ends within 4 weeks
        make_case(session, "XX", start=weeks_ago(TODAY, 1), mentor=OTHER_MENTOR,
                  consultant=None)
    bot.driver.open_home("U0MENTOR")
    call = bot.slack.wait_for("views.publish")[0]
    assert call.args["user_id"] == "U0MENTOR"
    text = block_text(call.view["blocks"])
    assert "du har 2 aktive sager" in text
    assert "Mentorsamtale med ZA er forfalden (sidst 10. nov)" in text
    assert "Forløbet for EM slutter" in text
    assert "*ZA*" in text and "*EM*" in text and "*XX*" not in text
    # The company consultant sees the follow-up at the company and the paid-hours question.
    bot.driver.open_home("U0CONSULT")
    consultant = block_text(bot.slack.wait_for("views.publish", 2)[1].view["blocks"])
    assert "Opfølgning hos Plejehjemmet Solbakken for ZA er forfalden" in consultant
    assert "husk at drøfte løntimer hos Plejehjemmet Solbakken" in consultant


def test_app_home_case_button_opens_the_case(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    bot.driver.open_home("U0MENTOR")
    home = bot.slack.wait_for("views.publish")[0].view
    button = next(block["accessory"] for block in home["blocks"]
                  if block.get("accessory", {}).get("action_id") == "case-open")
    bot.driver.click("case-open", button["value"], in_view={**home, "id": "VHOME"})
    modal = bot.slack.wait_for("views.open")[0].view
    assert modal["title"]["text"] == "ZA – uge 11 af 26"
    assert "Trædesten til job" in block_text(modal["blocks"])


def test_app_home_for_a_newcomer(bot: Bot) -> None:
    bot.driver.open_home("U0NEWBIE")
    text = block_text(bot.slack.wait_for("views.publish")[0].view["blocks"])
    assert "Du står ikke på nogen aktive sager" in text
    assert "Intet forfaldent" in text
