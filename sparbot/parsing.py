"""Parsing what people type: dates, weekly hours, and command words.

Everything here is pure and raises UserError with a key saying what to type instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sparbot.enums import FollowUpCadence, PlacementKind
from sparbot.errors import UserError

MAX_WEEKLY_HOURS = 60.0

_MONTHS = {
    "jan": 1, "januar": 1, "january": 1,
    "feb": 2, "februar": 2, "february": 2,
    "mar": 3, "marts": 3, "march": 3,
    "apr": 4, "april": 4,
    "maj": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

_RELATIVE = {"idag": 0, "i dag": 0, "today": 0, "igår": -1, "i går": -1, "yesterday": -1,
             "imorgen": 1, "i morgen": 1, "tomorrow": 1}


def parse_date(text: str, *, today: date) -> date:
    """ISO (2026-11-03), Danish numeric (3/11, 3.11.2026, 3-11-26), 3. nov, i dag, i går.

    A day and month without a year means the nearest such date (within half a year).
    """
    raw = text.strip().lower().rstrip(".")
    if raw in _RELATIVE:
        return today + timedelta(days=_RELATIVE[raw])
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
            year, month, day = (int(part) for part in raw.split("-"))
            return date(year, month, day)
        numeric = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?", raw)
        if numeric:
            day, month = int(numeric.group(1)), int(numeric.group(2))
            return _with_year(day, month, numeric.group(3), today)
        named = re.fullmatch(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?(?:\s+(\d{4}))?", raw)
        if named and named.group(2) in _MONTHS:
            return _with_year(int(named.group(1)), _MONTHS[named.group(2)], named.group(3), today)
    except ValueError:
        raise UserError("bad_date", text=text) from None
    raise UserError("bad_date", text=text)


def _with_year(day: int, month: int, year_text: str | None, today: date) -> date:
    if year_text:
        year = int(year_text)
        return date(year + 2000 if year < 100 else year, month, day)
    candidates = [date(today.year + offset, month, day) for offset in (-1, 0, 1)
                  if _valid(today.year + offset, month, day)]
    if not candidates:
        raise ValueError("no such date")
    return min(candidates, key=lambda candidate: abs((candidate - today).days))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class WeeklyHours:
    total: float
    pattern: str | None  # "3×3" when written as days × hours

    def __str__(self) -> str:
        return self.pattern or format_hours(self.total)


_HOURS = r"[0-9]{1,3}(?:[.,][0-9]{1,2})?"  # ASCII digits: `²` and `١` are not hours


MAX_HOURS_TEXT = 16


def parse_hours(text: str) -> WeeklyHours:
    """'6', '6,5', '2x2.5', '3 x 5', '3×4,5' → weekly hours (0 to 60)."""
    raw = text.strip().lower().replace("t", "").replace("h", "").strip()
    if len(raw) > MAX_HOURS_TEXT:
        raise UserError("bad_hours", text=text)
    pattern = re.fullmatch(rf"([0-9]{{1,2}})\s*[x×*]\s*({_HOURS})", raw)
    if pattern:
        days, per_day = int(pattern.group(1)), _number(pattern.group(2))
        if not 1 <= days <= 7 or per_day > 24:
            raise UserError("bad_hours", text=text)
        hours = WeeklyHours(days * per_day, f"{days}×{format_hours(per_day)}")
    elif re.fullmatch(_HOURS, raw):
        hours = WeeklyHours(_number(raw), None)
    else:
        raise UserError("bad_hours", text=text)
    if not 0 <= hours.total <= MAX_WEEKLY_HOURS or math.isnan(hours.total):
        raise UserError("hours_out_of_range", text=text, maximum=int(MAX_WEEKLY_HOURS))
    return hours


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def format_hours(value: float) -> str:
    """Danish decimal comma, no trailing zeros: 2.5 → '2,5', 3.0 → '3'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


# Control characters (a NUL cannot even be stored in PostgreSQL) and the invisible format
# characters that hide what a text says (zero-width spaces, direction overrides, the
# byte-order mark). Tabs and line breaks stay; the zero-width joiner stays (emoji need it).
_CONTROL = dict.fromkeys(code for code in range(32) if chr(code) not in "\t\n\r")
_CONTROL.update(dict.fromkeys(range(0x7F, 0xA0)))
_CONTROL.update(dict.fromkeys([0xAD, 0x61C, 0x180E, 0x200B, 0x200C, 0x200E, 0x200F,
                               0xFEFF, *range(0x202A, 0x202F), *range(0x2060, 0x2070),
                               *range(0xFFF9, 0xFFFC)]))
_CONTROL.update({0x2028: "\n", 0x2029: "\n"})


def clean_text(text: str) -> str:
    """What a person typed, without control and invisible format characters; tabs and line
    breaks stay. Every way text comes in (commands, forms, files) passes through here."""
    return text.translate(_CONTROL)


MAX_NUMBER_DIGITS = 4  # no count a person types here (weeks, a page) needs more


def whole_number(text: str, *, error: str, field: str | None = None) -> int:
    """A count typed by a person: ASCII digits only (`²`, `١٣` and `１３` are not numbers
    here, though Python's isdigit says so), its length checked before it is parsed.
    `error` names the message saying what to type instead."""
    candidate = text.strip()
    if not candidate or len(candidate) > MAX_NUMBER_DIGITS or \
            not (candidate.isascii() and candidate.isdigit()):
        raise UserError(error, field=field, text=text)
    return int(candidate)


_QUOTES = {'"': '"', "“": "”", "„": "“", "”": "”", "«": "»"}


def split_words(text: str) -> list[str]:
    """Split command text on white space, keeping quoted phrases together (straight quotes,
    Slack's smart quotes, «»). `key:"a b"` gives the word `key:a b` and `key: "a b"` the
    word `key: a b` (the same option's value). An unclosed quote runs to the end."""
    words: list[str] = []
    current: list[str] = []
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char in _QUOTES:
            close = text.find(_QUOTES[char], index + 1)
            close = len(text) if close == -1 else close
            current.append(text[index + 1:close])
            quoted = True
            index = close + 1
            continue
        if char.isspace():
            if current:
                words.append("".join(current))
                current, quoted = [], False
        else:
            current.append(char)
        index += 1
    if current or quoted:
        words.append("".join(current))
    # "key: value" (a space after the colon) is one option, the space kept: a command whose
    # text is prose can tell "13 uger: praktik" from "uger:13". "i dag", "i går" one word.
    joined: list[str] = []
    for word in words:
        if joined and _continues(joined[-1], word):
            joined[-1] += " " + word
        else:
            joined.append(word)
    return joined


def _continues(previous: str, word: str) -> bool:
    """Whether a word belongs to the one before: a `key:`'s value, or "dag" after "i"."""
    if re.fullmatch(r"[^\s:]+:", previous):
        return True
    return bool(re.fullmatch(r"(.*: ?)?i", previous.lower())) and \
        word.lower() in ("dag", "går", "morgen")


def split_options(words: list[str], keys: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Separate `key:value` words (keys in Danish or English, mapped to one canonical name)
    from the positional words. An unknown key is an error, so typos never pass silently."""
    positional: list[str] = []
    options: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key and not key.startswith("<") and re.fullmatch(r"[a-zæøå]+", key.lower()):
            canonical = keys.get(key.lower())
            if canonical is None:
                raise UserError("unknown_option", option=key, known=sorted(set(keys)))
            options[canonical] = value.strip()
        else:
            positional.append(word)
    return positional, options


MAX_EMAIL = 254
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")  # what the database's varchar(32) holds
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,30})(?:\|[^>]{0,200})?>$")
_EMAIL = re.compile(r"^<?(?:mailto:)?([^@\s<>|]+@[^@\s<>|]+\.[a-z]{2,})(?:\|[^>]*)?>?$", re.I)


def parse_person(text: str) -> tuple[str | None, str | None]:
    """A Slack mention (<@U123|name>, as Slack escapes it), a bare user id, or an e-mail.

    Returns (slack_user_id, email); one of them is set.
    """
    word = text.strip()
    mention = _MENTION.match(word)
    if mention:
        return mention.group(1), None
    if len(word) <= 31 and re.fullmatch(r"[UW][A-Z0-9]{6,30}", word):
        return word, None
    email = _EMAIL.match(word) if len(word) <= MAX_EMAIL else None
    if email:
        return None, email.group(1).lower()
    raise UserError("bad_person", text=text)


# A placement's kind and its workplace follow-up cadence, in Danish and English: typed after
# /spar praktik, and in the roster import's columns.
PLACEMENT_WORDS = {
    "butik": PlacementKind.OWN_SHOP, "shop": PlacementKind.OWN_SHOP,
    "virksomhed": PlacementKind.COMPANY_INTERNSHIP, "company": PlacementKind.COMPANY_INTERNSHIP,
    "virksomhedspraktik": PlacementKind.COMPANY_INTERNSHIP,
    "løn": PlacementKind.PAID_HOURS, "løntimer": PlacementKind.PAID_HOURS,
    "paid": PlacementKind.PAID_HOURS,
    "hybrid": PlacementKind.HYBRID,
    "fleksjob": PlacementKind.FLEX_JOB, "fleks": PlacementKind.FLEX_JOB,
    "flexjob": PlacementKind.FLEX_JOB, "flex": PlacementKind.FLEX_JOB,
    "ansat": PlacementKind.EMPLOYMENT, "ansættelse": PlacementKind.EMPLOYMENT,
    "employed": PlacementKind.EMPLOYMENT, "employment": PlacementKind.EMPLOYMENT,
}  # fmt: skip


FOLLOW_UP_CADENCE_WORDS = {
    "ugentlig": FollowUpCadence.WEEKLY, "ugentligt": FollowUpCadence.WEEKLY,
    "uge": FollowUpCadence.WEEKLY, "hver-uge": FollowUpCadence.WEEKLY,
    "weekly": FollowUpCadence.WEEKLY,
    "hver-anden-uge": FollowUpCadence.BIWEEKLY, "hveranden": FollowUpCadence.BIWEEKLY,
    "14-dage": FollowUpCadence.BIWEEKLY, "14dage": FollowUpCadence.BIWEEKLY,
    "biweekly": FollowUpCadence.BIWEEKLY, "fortnightly": FollowUpCadence.BIWEEKLY,
    "månedlig": FollowUpCadence.MONTHLY, "månedligt": FollowUpCadence.MONTHLY,
    "maanedlig": FollowUpCadence.MONTHLY, "måned": FollowUpCadence.MONTHLY,
    "monthly": FollowUpCadence.MONTHLY,
}  # fmt: skip


def parse_cadence(text: str) -> FollowUpCadence:
    """How often the workplace is followed up, in Danish or English words; also the
    roster import's column."""
    found = FOLLOW_UP_CADENCE_WORDS.get(text.strip().lower().replace(" ", "-"))
    if found is None:
        try:
            return FollowUpCadence(text.strip().lower())
        except ValueError:
            raise UserError("bad_follow_up_cadence", field="follow-up-cadence", text=text) from None
    return found
