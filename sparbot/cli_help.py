"""The CLI's --help in the deployment's language. The English texts written in the code are
the source; prompts/<lang>/cli_help.md.j2 gives each command's and option's words in another
language, keyed by where they stand ("export decisions --from"). One walk over the command
tree puts them in place, and the same walk lists what a catalogue lacks (a test reads it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
import typer.rich_utils

from sparbot.config import SettingsError, load_settings
from sparbot.enums import Language

# Typer's own words around the help (panel titles, the default and the required marks),
# which it reads at the time the help is shown. Click's "Usage:" and "--help" stay English.
_TYPER_WORDS = {"ARGUMENTS_PANEL_TITLE": "(arguments)", "OPTIONS_PANEL_TITLE": "(options)",
                "COMMANDS_PANEL_TITLE": "(commands)", "DEFAULT_STRING": "(default)",
                "REQUIRED_LONG_STRING": "(required)", "ABORTED_TEXT": "(aborted)",
                "ERRORS_PANEL_TITLE": "(error)"}


def help_language() -> Language:
    """The deployment's language; Danish when the settings cannot be read (then `--help`
    still answers, and the command itself says what is wrong with them)."""
    try:
        return load_settings().language
    except SettingsError:
        return Language.DA


def catalogue(language: Language) -> dict[str, str] | None:
    """The texts for `language`, or None where the code's English is the text."""
    if language is Language.EN:
        return None
    from sparbot.bot.render import Renderer

    module = Renderer(language).plain_env.get_template("cli_help.md.j2").module
    return dict(module.HELP)  # type: ignore[attr-defined]


def texts_of(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every command and parameter with words of its own, by key: the command's path, then
    the path and the option's long name (or the argument's name in capitals)."""
    yield path, command
    for param in command.params:
        key = (max(param.opts, key=len) if param.param_type_name == "option"
               else param.name.upper())
        yield f"{path} {key}".strip(), param
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from texts_of(sub, f"{path} {name}".strip())


def localized(app: typer.Typer, language: Language) -> Any:
    """The app's command tree with its help in `language`."""
    command = typer.main.get_command(app)
    texts = catalogue(language)
    if texts is None:
        return command
    for key, item in texts_of(command):
        if key in texts:
            item.help = texts[key]
            if hasattr(item, "short_help"):
                item.short_help = None  # the first line of the new help, not the English
    for constant, key in _TYPER_WORDS.items():
        setattr(typer.rich_utils, constant, texts[key])
    return command


def missing_texts(app: typer.Typer, language: Language) -> list[str]:
    """What `language`'s catalogue lacks, and what it holds that no command has any more."""
    texts = catalogue(language)
    if texts is None:
        return []
    keys = {key for key, item in texts_of(typer.main.get_command(app)) if item.help}
    keys |= set(_TYPER_WORDS.values())
    return sorted((keys - texts.keys()) | (texts.keys() - keys))
