"""/spar end to end: signed requests in, what the fake Slack received out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from sparbot.enums import FollowUpKind, PlacementKind
from sparbot.models import Case, Extension, FollowUp, HoursEntry, Placement
from tests.conftest import TODAY, Bot
from tests.factories import make_case, placement, weeks_ago


def block_text(blocks: list[dict[str, Any]]) -> str:
    """All the text a person would read in a list of blocks."""
    parts: list[str] = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        for element in block.get("elements", []) + block.get("fields", []):
            if isinstance(element, dict) and "text" in element:
                text = element["text"]
                parts.append(text["text"] if isinstance(text, dict) else text)
        accessory = block.get("accessory")
        if accessory and isinstance(accessory.get("text"), dict):
            parts.append(accessory["text"]["text"])
    return "\n".join(parts)


def last_reply(bot: Bot, count: int = 1) -> str:
    calls = bot.slack.wait_for("response_url", count)
    return block_text(calls[count - 1].blocks)


def test_help_is_danish_and_names_every_command(bot: Bot) -> None:
    response = bot.driver.command("hjælp")
    assert response.status == 200
    text = last_reply(bot)
    assert "sparbot – sådan bruger du mig" in text
    for command in ("/spar sag ny", "/spar sager", "/spar praktik", "/spar timer",
                    "/spar opfølgning", "/spar forlæng", "/spar afslut", "/spar dagsorden",
                    "/spar beslut", "/spar beslutninger", "/spar eksport", "/spar rapport",
                    "/spar deltagere"):
        assert command in text


def test_empty_command_shows_help(bot: Bot) -> None:
    bot.driver.command("")
    assert "sådan bruger du mig" in last_reply(bot)


def test_unknown_subcommand_says_what_to_type(bot: Bot) -> None:
    bot.driver.command("sagerne")
    assert "Jeg kender ikke kommandoen «sagerne»" in last_reply(bot)
    assert "/spar hjælp" in last_reply(bot)


def test_show_case_gives_week_end_people_placement_and_hours(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 8))
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Plejehjemmet Solbakken",
                  weeks_ago(TODAY, 3), today=TODAY)
    bot.driver.command("timer ZA 2x2,5 fra:" + weeks_ago(TODAY, 6).isoformat())
    bot.driver.command("timer ZA 3x3 lønnet:3")
    bot.slack.wait_for("response_url", 2)
    bot.driver.command("sag za")
    reply = bot.slack.wait_for("response_url", 3)[2]
    header = reply.blocks[0]
    assert header["type"] == "header"
    assert header["text"]["text"] == "ZA – uge 9 af 26"
    text = block_text(reply.blocks)
    assert "<@U0MENTOR>" in text and "<@U0CONSULT>" in text
    assert "Jens Jobcenter" in text
    assert "virksomhedspraktik hos Plejehjemmet Solbakken" in text
    assert "3×3 t praktik + 3 lønnede = 12 t/uge" in text
    assert "13. okt: 2×2,5 → 24. nov: 3×3+3L" in text  # the hours history
    assert "Registrér timer" in text


def test_unknown_case_names_similar_references(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 2))
    bot.driver.command("sag ZB")
    text = last_reply(bot)
    assert "Jeg kan ikke finde en sag med referencen «ZB»" in text
    assert "/spar sager" in text


def test_hours_in_the_forms_people_write(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    for count, words in enumerate(["2x2.5", "3 x 5", "6", "6,5", "9 lønnet:3"], start=1):
        bot.driver.command(f"timer ZA {words}")
        bot.slack.wait_for("response_url", count)
    with bot.db() as session:
        entries = session.exec(select(HoursEntry).order_by(col(HoursEntry.id))).all()
    assert [(entry.internship_hours, entry.paid_hours) for entry in entries] == [
        (5.0, 0.0), (15.0, 0.0), (6.0, 0.0), (6.5, 0.0), (9.0, 3.0)]
    assert entries[0].pattern == "2×2,5"


def test_impossible_hours_are_refused_and_nothing_is_stored(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
    bot.driver.command("timer ZA 70")
    assert "mellem 0 og 60" in last_reply(bot)
    bot.driver.command("timer ZA tre")
    assert "Jeg kan ikke læse timetallet «tre»" in last_reply(bot, 2)
    with bot.db() as session:
        assert session.exec(select(HoursEntry)).all() == []


def test_placement_by_command_ends_the_previous_one(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 12))
    bot.driver.command(f"praktik ZA butik Genbrugsbutikken fra:{weeks_ago(TODAY, 10)}")
    bot.slack.wait_for("response_url", 1)
    bot.driver.command('praktik ZA virksomhed Plejehjemmet Solbakken kontakt:"Bente Holm" '
                       "tlf:12345678")
    text = last_reply(bot, 2)
    assert "virksomhedspraktik hos Plejehjemmet Solbakken" in text
    assert "Den tidligere praktik hos Genbrugsbutikken er afsluttet" in text
    with bot.db() as session:
        rows = session.exec(select(Placement).order_by(col(Placement.start_date))).all()
    assert rows[0].end_date == TODAY - timedelta(days=1)
    assert rows[1].contact_name == "Bente Holm" and rows[1].contact_phone == "12345678"
    bot.driver.command("praktik ZA slut")
    assert "praktikken hos Plejehjemmet Solbakken slutter" in last_reply(bot, 3)


def test_follow_up_records_paid_hours_answer(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 12))
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Solbakken",
                  weeks_ago(TODAY, 9), today=TODAY)
    bot.driver.command('opfølgning ZA arbejdsplads løn:senere næste:1/12 '
                       'note:"Lederen vil vente til nytår"')
    assert "opfølgning på arbejdspladsen" in last_reply(bot)
    bot.driver.command("opfølgning ZA mentor dato:i går")
    bot.slack.wait_for("response_url", 2)
    bot.driver.command("sag ZA")
    case_view = block_text(bot.slack.wait_for("response_url", 3)[2].blocks)
    assert "*Seneste mentorsamtale:* 23. nov 2026" in case_view
    assert "*Seneste opfølgning:* 24. nov 2026 (løntimer drøftes igen senere)" in case_view
    with bot.db() as session:
        rows = session.exec(select(FollowUp).order_by(col(FollowUp.id))).all()
        current = session.exec(select(Placement)).one()
    assert [row.kind for row in rows] == [FollowUpKind.WORKPLACE, FollowUpKind.MENTOR_MEETING]
    assert rows[0].paid_hours == "later" and rows[0].note == "Lederen vil vente til nytår"
    assert rows[1].held_on == TODAY - timedelta(days=1)
    assert current.next_paid_hours_raise is not None
    assert current.next_paid_hours_raise.isoformat() == "2026-12-01"


def test_extend_and_close(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 24))
    bot.driver.command('forlæng ZA 13 begrundelse:"Afventer speciallægeerklæring"')
    text = last_reply(bot)
    assert "forlænget med 13 uger" in text and "i alt 39 uger" in text
    bot.driver.command("afslut ZA fleksjob")
    assert "afsluttet" in last_reply(bot, 2) and "fleksjob" in last_reply(bot, 2)
    bot.driver.command("timer ZA 3")
    assert "er afsluttet, så den kan ikke ændres" in last_reply(bot, 3)
    with bot.db() as session:
        case = session.exec(select(Case)).one()
        assert case.status == "closed" and case.outcome == "flex-job"
        assert session.exec(select(Extension)).one().reason == "Afventer speciallægeerklæring"


def test_english_subcommands_work_too(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    bot.driver.command("hours ZA 3x3 paid:1 from:yesterday")
    assert "3×3 t praktik + 1 lønnede" in last_reply(bot)
    bot.driver.command("case ZA")
    assert "ZA – uge 4 af 26" in last_reply(bot, 2)


def test_the_ack_comes_fast_and_empty(bot: Bot) -> None:
    response = bot.driver.command("sager")
    assert response.status == 200
    assert response.body == ""
    assert response.elapsed < 2.5
    assert "Der er ingen aktive sager endnu" in last_reply(bot)


def test_the_bot_speaks_english_when_configured(bot_en: Bot) -> None:
    with bot_en.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    bot_en.driver.command("case ZA")
    reply = bot_en.slack.wait_for("response_url")[0]
    assert reply.blocks[0]["text"]["text"] == "ZA – week 4 of 26"
    assert "*Last mentor meeting:* none yet" in block_text(reply.blocks)
    bot_en.driver.command("hours ZA ten")
    assert "I can't read the hours “ten”" in last_reply(bot_en, 2)
    bot_en.driver.command("sag ZA")  # Danish words work in English too
    assert "week 4 of 26" in last_reply(bot_en, 3)


def test_text_past_the_limits_is_refused_with_the_limit(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    bot.driver.command("opfølgning ZA mentor note:" + "x" * 2500)
    assert "Teksten er for lang. Hold den under 2000 tegn." in last_reply(bot)
    bot.driver.command("praktik ZA virksomhed " + "Solbakken " * 30)
    assert "Hold den under 200 tegn" in last_reply(bot, 2)
    with bot.db() as session:
        assert session.exec(select(FollowUp)).all() == []
        assert session.exec(select(Placement)).all() == []
