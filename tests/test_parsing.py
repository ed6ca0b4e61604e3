"""What people type: dates, weekly hours, quoted words, people."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sparbot.errors import UserError
from sparbot.parsing import (
    format_hours,
    parse_date,
    parse_hours,
    parse_person,
    split_options,
    split_words,
)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-03", date(2026, 11, 3)),
    ("3/11", date(2026, 11, 3)),
    ("3.11.2026", date(2026, 11, 3)),
    ("3-11-26", date(2026, 11, 3)),
    ("3. nov", date(2026, 11, 3)),
    ("3 november 2025", date(2025, 11, 3)),
    ("i dag", TODAY),
    ("i går", date(2026, 11, 23)),
    ("yesterday", date(2026, 11, 23)),
    ("5/1", date(2027, 1, 5)),  # early January is next year, seen from late November
    ("1/6", date(2026, 6, 1)),  # June is this year's, not next year's
])
def test_dates_in_the_forms_people_write(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["31/2", "i overmorgen", "2026-13-01", "nov", ""])
def test_impossible_dates_say_what_to_write(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_date(text, today=TODAY)
    assert caught.value.key == "bad_date"


@pytest.mark.parametrize(("text", "total", "pattern"), [
    ("6", 6.0, None), ("6,5", 6.5, None), ("6.5", 6.5, None), ("2x2.5", 5.0, "2×2,5"),
    ("3 x 5", 15.0, "3×5"), ("3×4,5", 13.5, "3×4,5"), ("0", 0.0, None), ("2x3t", 6.0, "2×3"),
])
def test_hours_in_the_forms_people_write(text: str, total: float, pattern: str | None) -> None:
    hours = parse_hours(text)
    assert (hours.total, hours.pattern) == (total, pattern)


@pytest.mark.parametrize(("text", "key"), [
    ("61", "hours_out_of_range"), ("8x3", "bad_hours"), ("-3", "bad_hours"),
    ("tre", "bad_hours"), ("3x25", "bad_hours"), ("nan", "bad_hours"),
])
def test_impossible_hours_are_refused(text: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_hours(text)
    assert caught.value.key == key


def test_hours_are_written_the_danish_way() -> None:
    assert [format_hours(value) for value in (2.5, 3.0, 21.5, 0.25)] == [
        "2,5", "3", "21,5", "0,25"]


def test_quoted_words_stay_together_with_slacks_smart_quotes() -> None:
    words = split_words('praktik ZA virksomhed "Café Havnen" kontakt: “Sara Kim” tlf:1234')
    # The space after "kontakt:" is kept in the word (prose can be told from an option)...
    assert words == ["praktik", "ZA", "virksomhed", "Café Havnen", "kontakt: Sara Kim",
                     "tlf:1234"]
    # ...and the option's value is the same either way.
    assert split_options(words, {"kontakt": "contact", "tlf": "phone"})[1] == {
        "contact": "Sara Kim", "phone": "1234"}
    assert split_words("opfølgning ZA dato:i går") == ["opfølgning", "ZA", "dato:i går"]


def test_people_as_slack_escapes_them_or_as_email() -> None:
    assert parse_person("<@U012ABCDE|mette>") == ("U012ABCDE", None)
    assert parse_person("U012ABCDE") == ("U012ABCDE", None)
    assert parse_person("Jonas@Kommune.dk") == (None, "jonas@kommune.dk")
    assert parse_person("<mailto:jonas@kommune.dk|jonas@kommune.dk>") == (
        None, "jonas@kommune.dk")
    with pytest.raises(UserError):
        parse_person("Jonas")


@given(st.text(max_size=60))
def test_parsers_only_ever_raise_user_errors(text: str) -> None:
    for parse in (lambda: parse_hours(text), lambda: parse_date(text, today=TODAY)):
        with contextlib.suppress(UserError):
            parse()
    assert isinstance(split_words(text), list)
