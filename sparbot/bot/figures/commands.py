"""`/spar tal [2026] [fra:1/1] [til:30/6] [efter:kvartal|team|tilbud|alle]`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sparbot.bot.grammar import DATE_KEYS, Command, date_option
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import split_options
from sparbot.services.figures_sql import By

BY_WORDS = {"kvartal": By.QUARTER, "quarter": By.QUARTER, "team": By.TEAM,
            "tilbud": By.PROGRAMME, "programme": By.PROGRAMME, "program": By.PROGRAMME,
            "alle": By.NONE, "all": By.NONE, "none": By.NONE}


@dataclass(frozen=True, kw_only=True)
class Figures(Command):
    """The figures of the courses started in a period (all, without one)."""

    verb = Verb.FIGURES
    started_from: date | None = None
    started_to: date | None = None
    by: str = By.QUARTER


def parse_figures(rest: list[str], today: date) -> Figures:
    keys = {**DATE_KEYS, "efter": "by", "by": "by", "pr": "by", "per": "by"}
    positional, options = split_options(rest, keys)
    started_from = date_option(options, ("from",), today)
    started_to = date_option(options, ("to",), today)
    if positional:  # a year: the courses started in it
        year = positional[0]
        if len(positional) > 1 or not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise UserError("bad_figures_period", text=" ".join(positional))
        started_from, started_to = date(int(year), 1, 1), date(int(year), 12, 31)
    by = BY_WORDS.get(options.get("by", "kvartal").lower())
    if by is None:
        raise UserError("bad_figures_by", text=options["by"])
    return Figures(started_from=started_from, started_to=started_to, by=by)
