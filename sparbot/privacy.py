"""CPR numbers (Danish personal ids) never enter the bot.

A CPR number is DDMMYY followed by four digits, with or without a dash or space. We refuse
any such run of digits whose first six form a plausible date, whether or not the modulus-11
check digit holds (it has not been required since 2007).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_CPR = re.compile(r"(?<![\d])(\d{2})(\d{2})(\d{2})[-‐–\s]?(\d{4})(?![\d])")


class CprNumberRefused(ValueError):
    """Raised when input holds something that looks like a CPR number. Never carries it."""

    def __init__(self) -> None:
        super().__init__("input holds a CPR number")


def contains_cpr(text: str) -> bool:
    for match in _CPR.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
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
