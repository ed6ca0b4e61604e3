"""`/spar eksport` and `/spar rapport`."""


from __future__ import annotations

from datetime import date

from sparbot.bot.grammar import DATE_KEYS, ParsedCommand, date_option, require_ref
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import (
    split_options,
)

EXPORT_FORMATS = ("csv", "xlsx", "md", "json")


def parse_export(rest: list[str], today: date) -> ParsedCommand:
    keys = {**DATE_KEYS, "format": "format", "formát": "format"}
    positional, options = split_options(rest, keys)
    fmt = options.get("format", "xlsx").lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise UserError("bad_export_format", text=fmt, known=list(EXPORT_FORMATS))
    verb = Verb.EXPORT if positional else Verb.EXPORT_ALL  # the whole log is for admins
    return ParsedCommand(verb, ref=positional[0] if positional else None, text=fmt,
                         day=date_option(options, ("from",), today),
                         end_day=date_option(options, ("to",), today))


def parse_report(rest: list[str], today: date) -> ParsedCommand:
    ref, _rest = require_ref(rest, "/spar rapport ZA")
    return ParsedCommand(Verb.REPORT, ref=ref)
