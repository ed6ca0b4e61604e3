"""The results figures: for the deployment's admins, and a team's admins (their teams')."""

from __future__ import annotations

from sparbot.bot.entries import Registry, Who, rule
from sparbot.bot.figures import commands, handlers
from sparbot.bot.verbs import Verb


def register(entries: Registry) -> None:
    entries.subcommand("tal", "resultater", "figures", "results", parse=commands.parse_figures)
    entries.command(Verb.FIGURES, example="tal 2026",
                    rule=rule(Who.ADMIN, Who.TEAM_ADMIN, refusal="figures_admins_only"))(
        handlers.figures_to_dm)
