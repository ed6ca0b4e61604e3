"""`/spar eksport` and `/spar rapport`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import DATE_KEYS, CaseCommand, Command, date_option, require_ref
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import split_options
from sparbot.services.exports import ExportFormat

EXPORT_FORMATS = ("csv", "xlsx", "md", "json")


@dataclass(frozen=True, kw_only=True)
class _LogFile:
    """A decision log as a file: its format, between two dates."""

    fmt: ExportFormat = ExportFormat.XLSX
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, kw_only=True)
class ExportAll(_LogFile, Command):
    """The whole decision log (or the asker's teams')."""

    verb = Verb.EXPORT_ALL


@dataclass(frozen=True, kw_only=True)
class Export(_LogFile, CaseCommand):
    """One case's decision log."""

    verb = Verb.EXPORT


@dataclass(frozen=True, kw_only=True)
class Report(CaseCommand):
    verb = Verb.REPORT


def parse_export(rest: list[str], today: date) -> Export | ExportAll:
    keys = {**DATE_KEYS, "format": "format", "formát": "format"}
    positional, options = split_options(rest, keys)
    fmt = options.get("format", "xlsx").lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise UserError("bad_export_format", text=fmt, known=list(EXPORT_FORMATS))
    date_from = date_option(options, ("from",), today)
    date_to = date_option(options, ("to",), today)
    if positional:
        return Export(ref=positional[0], fmt=ExportFormat(fmt), date_from=date_from,
                      date_to=date_to)
    # The whole log: admins (and a team's admins, their teams') only.
    return ExportAll(fmt=ExportFormat(fmt), date_from=date_from, date_to=date_to)


@dataclass(frozen=True, kw_only=True)
class StatementDraft(CaseCommand):
    verb = Verb.STATEMENT


def parse_statement(rest: list[str], today: date) -> StatementDraft:
    ref, _rest = require_ref(rest, "/spar udtalelse ZA")
    return StatementDraft(ref=ref)


def parse_report(rest: list[str], today: date) -> Report:
    ref, _rest = require_ref(rest, "/spar rapport ZA")
    return Report(ref=ref)
