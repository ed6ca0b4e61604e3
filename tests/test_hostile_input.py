"""Input a clumsy user or an intruder types, where a number, a person or a text is expected:
each gets a polite message saying what to type instead, changes nothing, and never ends in
"something went wrong" or an HTTP 500. Generated as matrices: every number field × every
spelling that is not a plain number; every text field of the forms × every control and
format character; every way a person is named × an id too long to be one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from sparbot.errors import UserError
from sparbot.models import Placement
from sparbot.parsing import clean_text, whole_number
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_cli import invoke
from tests.test_entry_matrix import row_counts
from tests.test_slack_commands import block_text
from tests.test_slack_modals import CASE_FORM, open_case_form

INTERNAL = ("Noget gik galt", "Something went wrong")

# Not plain numbers, though Python's str.isdigit says yes to some (², ³, ١٣, １３).
NOT_NUMBERS = {"superscript two": "²", "superscript three": "³", "arabic-indic": "١٣",
               "full-width": "１３", "5,000 digits": "7" * 5000, "negative": "-3",
               "decimal": "13.5", "exponent": "1e3", "hexadecimal": "0x1A"}

# Where a person types a number, and the words the answer must hold.
NUMBER_COMMANDS = {
    "extension weeks": ("forlæng ZA {n}", "helt tal"),
    "decision weeks": ("beslut ZA Forlænges uger:{n}", "helt tal"),
    "roster page": ("sager {n}", "Skriv et tal"),
    "weekly hours": ("timer ZA {n}", "timetallet"),
    "attendance days met": ("fremmøde ZA mødt:{n} af:4", "antal dage"),
    "attendance days planned": ("fremmøde ZA mødt:3 af:{n}", "antal dage"),
    "attendance days sick": ("fremmøde ZA 2/4 syg:{n}", "antal dage"),
    "attendance week": ("fremmøde ZA uge:{n} 3/4", "ugenummer"),
}

# Hidden in a form's text: they must be dropped, never stored, never a 500.
HIDDEN = {"NUL": "\x00", "bell": "\x07", "escape": "\x1b", "zero-width space": "\u200b",
          "right-to-left override": "\u202e", "byte-order mark": "\ufeff",
          "C1 control": "\x85"}
CASE_TEXT_FIELDS = ("programme", "jobcenter-name")


@pytest.fixture
def case_za(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))


def answer_to(bot: Bot, text: str) -> str:
    response = bot.driver.command(text)
    assert response.status == 200
    bot.idle()
    replies = bot.slack.calls_to("response_url")
    assert replies, f"{text[:40]!r}: no answer"
    said = "\n".join(block_text(call.blocks) + str(call.args.get("text") or "")
                     for call in replies)
    bot.slack.clear()
    return said


@pytest.mark.parametrize("where", sorted(NUMBER_COMMANDS))
def test_a_number_that_is_not_plain_digits_is_refused_with_what_to_type(
        bot: Bot, engine: Engine, case_za: None, where: str) -> None:
    template, expected = NUMBER_COMMANDS[where]
    before = row_counts(engine)
    for spelling, typed in NOT_NUMBERS.items():  # one bot, every spelling
        if (where, spelling) == ("weekly hours", "decimal"):
            continue  # 13.5 hours a week is a number of hours
        said = answer_to(bot, template.format(n=typed))
        assert expected in said, (spelling, said)
        assert not any(word in said for word in INTERNAL), (spelling, said)
        assert len(said) < 1000, spelling  # 5,000 digits are not quoted back
        assert row_counts(engine) == before, spelling


def test_the_case_forms_weeks_refuse_what_is_not_a_number_in_the_field(
        bot: Bot, engine: Engine) -> None:
    view = open_case_form(bot)
    before = row_counts(engine)
    for spelling, typed in NOT_NUMBERS.items():
        response = bot.driver.submit(view, {**CASE_FORM, "weeks": typed})
        assert response.status == 200, spelling
        assert "helt tal" in response.json()["errors"]["weeks"], spelling
        assert row_counts(engine) == before, spelling


def test_the_decision_forms_weeks_refuse_what_is_not_a_number(bot: Bot, engine: Engine,
                                                               case_za: None) -> None:
    bot.driver.command("beslut")
    view = bot.slack.wait_for("views.open")[0].view
    before = row_counts(engine)
    for spelling in NOT_NUMBERS.values():
        answer = bot.driver.submit(view, {"ref": "ZA", "decision-text": "Forlæng",
                                          "category": "extension",
                                          "extension-weeks": spelling}).json()
        assert "helt tal" in answer["errors"]["extension-weeks"], answer
    assert row_counts(engine) == before


@pytest.mark.parametrize("field", CASE_TEXT_FIELDS)
def test_hidden_characters_in_a_forms_text_are_dropped_before_it_is_stored(
        bot: Bot, field: str) -> None:
    view = open_case_form(bot)
    for number, (hidden, char) in enumerate(sorted(HIDDEN.items())):
        ref = f"LB{chr(ord('A') + number)}"
        response = bot.driver.submit(view, {**CASE_FORM, "ref": ref,
                                            field: f"Træ{char}desten"})
        assert response.status == 200 and response.body == "", (hidden, response.body)
        bot.idle()
        bot.slack.clear()
        bot.driver.command(f"sag {ref}")
        card = block_text(bot.slack.wait_for("response_url")[0].blocks)
        assert "Trædesten" in card and char not in card, hidden


def test_an_owner_that_cannot_be_a_slack_user_is_refused_as_not_a_person(
        bot: Bot, engine: Engine, case_za: None) -> None:
    before = row_counts(engine)
    for owner in ("U" + "A" * 4000, "<@U" + "B" * 40 + ">", "U0ÆØÅ123"):
        said = answer_to(bot, f"beslut ZA Indhent erklæring ansvarlig:{owner}")
        assert "ikke en person" in said, said
        assert not any(word in said for word in INTERNAL) and len(said) < 1000, said
        assert row_counts(engine) == before


def test_a_forms_person_that_cannot_be_a_slack_user_is_refused_in_the_field(
        bot: Bot, engine: Engine) -> None:
    view = open_case_form(bot)
    before = row_counts(engine)
    response = bot.driver.submit(view, {**CASE_FORM, "mentor": "U" + "9" * 41})
    assert response.status == 200
    assert "ikke en person" in json.dumps(response.json(), ensure_ascii=False)
    assert row_counts(engine) == before


@pytest.mark.parametrize("name,content,words", [
    ("windows-1252", "ref;programme;purpose;start;mentor\nZA;Tr\u00e6desten;job;2026-11-02;"
     "U0MENTOR\n".encode("cp1252"), "1 sag importeret. Filen blev læst som CSV i "
                                     "Windows-1252"),
    ("neither", b"ref,programme,purpose,start,mentor\nZA,Tr\x81desten,job,2026-11-02,"
     b"U0MENTOR\n", "linje 2: linjen har tegn, der hverken er UTF-8 eller Windows-1252"),
    ("a NUL byte", b"ref,programme,purpose,start,mentor\nZA,Tr\x00desten,job,2026-11-02,"
     b"U0MENTOR\n", "1 sag importeret"),
    ("a zip that is no workbook", b"PK\x03\x04not really a workbook",
     "linje 1: filen ligner et Excel-regneark"),
    ("a mentor id of 41", ("ref,programme,purpose,start,mentor\nZA,LFI,job,2026-11-02,U"
                           + "7" * 40 + "\n").encode(), "linje 2:"),
])
def test_a_roster_file_that_is_not_clean_names_its_line_and_never_a_traceback(
        database_url: str, tmp_path: Path, name: str, content: bytes, words: str) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_bytes(content)
    code, output = invoke(database_url, "import", "roster", str(roster_file))
    assert words in output, output
    assert "Traceback" not in output and "Error" not in output
    assert code == (0 if "importeret" in words else 1)


def test_the_number_policy_itself() -> None:
    assert whole_number(" 13 ", error="not_a_number") == 13
    for spelling in NOT_NUMBERS.values():
        with pytest.raises(UserError) as refused:
            whole_number(spelling, error="not_a_number", field="weeks")
        assert refused.value.field == "weeks"
        assert len(str(refused.value.params["text"])) <= 60
    assert clean_text("a\x00b\u200bc\u202ed\r\ne\tf") == "abcd\r\ne\tf"


def test_hidden_characters_in_a_placements_workplace_are_dropped(bot: Bot,
                                                                 case_za: None) -> None:
    bot.driver.command("praktik ZA")
    view = bot.slack.wait_for("views.open")[0].view
    start = weeks_ago(TODAY, 2).isoformat()
    response = bot.driver.submit(view, {
        "kind": "company-internship", "start": start,
        "workplace": "Pleje" + "".join(HIDDEN.values()) + "hjemmet"})
    assert response.status == 200 and response.body == "", response.body
    bot.idle()
    with bot.db() as session:
        assert session.exec(select(Placement)).one().workplace == "Plejehjemmet"
