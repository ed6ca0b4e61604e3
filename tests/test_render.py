"""Every word exists in Danish and English, and user text is escaped for Slack."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sparbot.bot.render import Renderer, escape_mrkdwn, format_date
from sparbot.enums import Language
from sparbot.resources import resource_path

_MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\(([^)]*)\)")


def macros(language: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for path in sorted((resource_path("prompts") / language).glob("*.md.j2")):
        found[path.name] = {name: args.replace(" ", "")
                            for name, args in _MACRO.findall(path.read_text())}
    return found


def test_danish_and_english_say_the_same_things() -> None:
    assert macros("da") == macros("en")


@pytest.mark.parametrize("language", list(Language))
def test_every_label_is_translated(language: Language) -> None:
    renderer = Renderer(language)
    da = Renderer(Language.DA)
    for group in ("purpose", "cadence", "placement", "outcome", "follow_up", "paid_answer"):
        labels = renderer.plain_env.get_template("labels.md.j2").module.LABELS[group]  # type: ignore[attr-defined]
        assert labels.keys() == da.plain_env.get_template("labels.md.j2").module.LABELS[  # type: ignore[attr-defined]
            group].keys()


def test_values_are_escaped_and_mentions_only_from_ids() -> None:
    renderer = Renderer(Language.DA)
    text = renderer.text("errors", "unknown_case", ref="<!channel>", suggestions=[])
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert renderer.text("replies", "case_added", ref="ZA", end=date(2027, 5, 2),
                         user_id="U0MENTOR").count("<@U0MENTOR>") == 1
    forged = renderer.text("replies", "case_added", ref="ZA", end=date(2027, 5, 2),
                           user_id="U0X> <!here")
    assert "<!here" not in forged
    assert escape_mrkdwn("a & b <c>") == "a &amp; b &lt;c&gt;"


def test_dates_read_as_each_language_writes_them() -> None:
    assert format_date(date(2026, 11, 3), Language.DA) == "3. nov 2026"
    assert format_date(date(2026, 11, 3), Language.EN) == "3 Nov 2026"
