"""CPR numbers (Danish personal ids) never enter the bot.

A CPR number is DDMMYY followed by four digits. We refuse any such run of digits whose first
six form a plausible date, whether or not the modulus-11 check digit holds (it has not been
required since 2007), however it is written: the text is normalised first (NFKC, so
full-width and superscript digits are digits; every kind of dash a dash and every kind of
space a space; control and format characters such as a NUL or a zero-width space removed),
and the parts may be separated as people and word processors separate them
(`10.01.85-1345`, `10 01 85 1345`, `100185 - 1345`, `100185/1345`, `100185_1345`).
Dates (`01.12.2026`), phone numbers (`21 43 65 87`) and hours (`3x3`) have too few digits.
Where the spellings overlap, refusing is the safe mistake: a phone number in pairs followed
by a dash and a year on the same line (`20 01 01 00 – 2000`) reads as `010100-2000`, and is
refused. A line break ends a number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad\u2043"
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SEPARATOR = r"[ .\-/_:]"
# The date's parts joined alike (`100185`, `10.01.85`, `10 01 85`: not `01 01.01`, which is
# the end of one date and the start of another); between the date and the four digits, a
# few separators with spaces around (`100185 - 1345`).
_CPR = re.compile(rf"(?<!\d)(?P<day>\d{{2}})(?P<joint>{_SEPARATOR}?)(?P<month>\d{{2}})"
                  rf"(?P=joint)\d{{2}} *{_SEPARATOR}{{0,2}} *\d{{4}}(?!\d)")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned


def normalised(text: str) -> str:
    """The text as the CPR detector reads it."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for char in text:
        if char in _DASHES:
            out.append("-")
        elif char in _LINE_BREAKS:  # a CPR number is written on one line
            out.append("\n")
        elif char.isspace():
            out.append(" ")
        elif unicodedata.category(char) not in _INVISIBLE:
            out.append(char)
    return "".join(out)


class CprNumberRefused(ValueError):
    """Raised when input holds something that looks like a CPR number. Never carries it."""

    def __init__(self) -> None:
        super().__init__("input holds a CPR number")


def contains_cpr(text: str) -> bool:
    if text.isascii() and sum(char.isdigit() for char in text) < 10:
        return False  # the common case, answered without normalising
    text = normalised(text)
    position = 0
    while (match := _CPR.search(text, position)) is not None:
        day, month = int(match.group("day")), int(match.group("month"))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
        position = match.start() + 1  # a match may begin inside one that was not
    return False


def ensure_no_cpr(*texts: str | None) -> None:
    if any(text and contains_cpr(text) for text in texts):
        raise CprNumberRefused()


def strings_in(value: Any) -> Iterable[str]:
    """Every string inside a JSON-like value (for scanning whole Slack payloads)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def payload_contains_cpr(value: Any) -> bool:
    return any(contains_cpr(text) for text in strings_in(value))
