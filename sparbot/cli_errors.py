"""How the operators' CLI says a user's mistake: the bot's own polite message, on stderr,
and exit 1, having changed nothing (the caller's transaction is left by the exception)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from sparbot.enums import Language

err = Console(stderr=True)


@contextmanager
def mistakes_said(language: Language) -> Iterator[None]:
    """A UserError (or a CPR number, said without repeating it) inside the block becomes the
    message in `language` and exit 1."""
    from sparbot.bot.render import Renderer
    from sparbot.errors import UserError
    from sparbot.privacy import CprNumberRefused

    try:
        yield
    except UserError as error:
        err.print(Renderer(language).text("errors", error.key, **error.params), markup=False)
        raise typer.Exit(1) from None
    except CprNumberRefused:
        err.print(Renderer(language).text("errors", "cpr_refused"), markup=False)
        raise typer.Exit(1) from None
