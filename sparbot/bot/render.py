"""The words the bot says: Jinja templates under prompts/<lang>/, rendered to Slack mrkdwn.

Every value interpolated into a template is escaped for mrkdwn (& < >), so user text can
never ping @channel, mention someone or forge a link. Mentions and links are made only by
the filters below, from validated ids.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from sparbot.enums import Language
from sparbot.parsing import format_hours
from sparbot.resources import resource_path

_MONTHS = {
    Language.DA: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                  "nov", "dec"],
    Language.EN: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                  "Nov", "Dec"],
}
_WEEKDAYS = {
    Language.DA: ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    Language.EN: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday"],
}
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def escape_mrkdwn(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return escape_mrkdwn(str(value))


class Renderer:
    """Renders templates and the short messages (macros) of one language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.env = _environment(language, escape=True)
        self.plain_env = _environment(language, escape=False)

    def text(self, template: str, name: str, /, **context: Any) -> str:
        """Call macro `name` of prompts/<lang>/<template>.md.j2 (mrkdwn, values escaped)."""
        return _call_macro(self.env, template, name, context)

    def plain(self, template: str, name: str, /, **context: Any) -> str:
        """The same for plain_text fields (labels, buttons): nothing is escaped there,
        since Slack shows plain text literally and it can mention nobody."""
        return _call_macro(self.plain_env, template, name, context)

    def label(self, group: str, value: str) -> str:
        """A fixed word for an enum value, e.g. label("purpose", "flex-job") → "fleksjob"."""
        labels = self.plain_env.get_template("labels.md.j2").module.LABELS  # type: ignore[attr-defined]
        return str(labels[group][value])

    def render(self, template: str, /, **context: Any) -> str:
        return self.env.get_template(f"{template}.md.j2").render(**context).strip()

    def labels(self, group: str) -> dict[str, str]:
        labels = self.plain_env.get_template("labels.md.j2").module.LABELS  # type: ignore[attr-defined]
        return dict(labels[group])

    def date(self, day: date | None, *, year: bool = True) -> str:
        return format_date(day, self.language, year=year)


def weekday_name(weekday: int, language: Language) -> str:
    """Monday is 0, as date.weekday() counts."""
    return _WEEKDAYS[language][weekday]


def format_date(day: date | None, language: Language, *, year: bool = True) -> str:
    if day is None:
        return "–"
    month = _MONTHS[language][day.month - 1]
    text = f"{day.day}. {month}" if language is Language.DA else f"{day.day} {month}"
    return f"{text} {day.year}" if year else text


def mention(user_id: str | None) -> Markup:
    if user_id and _USER_ID.fullmatch(user_id):
        return Markup(f"<@{user_id}>")
    return Markup("")


def _call_macro(env: Environment, template: str, name: str, context: dict[str, Any]) -> str:
    module = env.get_template(f"{template}.md.j2").module
    macro = getattr(module, name, None)
    if macro is None:
        raise KeyError(f"{template}.md.j2 has no macro {name!r}")
    return str(macro(**context)).strip()


def channel_link(channel_id: str | None) -> Markup:
    if channel_id and _CHANNEL_ID.fullmatch(channel_id):
        return Markup(f"<#{channel_id}>")
    return Markup("")


def who(person: Any) -> Markup:
    """A person as Slack shows them: a mention for staff, else their name or e-mail."""
    if person is None:
        return Markup("–")
    if getattr(person, "slack_user_id", None):
        return mention(person.slack_user_id)
    return Markup(escape_mrkdwn(person.name or person.email or "?"))


@lru_cache(maxsize=8)
def _environment(language: Language, *, escape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_path("prompts") / language.value)),
        undefined=StrictUndefined,
        finalize=_finalize if escape else (lambda value: "" if value is None else value),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["mention"] = mention
    env.filters["who"] = who
    env.filters["channel"] = channel_link
    env.filters["hours"] = lambda value: format_hours(float(value))
    env.filters["dato"] = lambda day: format_date(day, language)
    env.filters["kort_dato"] = lambda day: format_date(day, language, year=False)
    env.filters["md"] = lambda text: Markup(str(text))  # already-rendered mrkdwn
    env.filters["ugedag"] = lambda day: _WEEKDAYS[language][day.weekday()]
    env.filters["uge"] = lambda day: day.isocalendar()[1]  # the ISO week number
    env.filters["ugeslut"] = lambda monday: monday + timedelta(days=6)  # its Sunday
    return env
