"""Every word exists in Danish and English, and user text is escaped for Slack."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sparbot.bot.agenda.posting import Outcome as PostOutcome
from sparbot.bot.render import Renderer, escape_mrkdwn, format_date
from sparbot.enums import Language, NudgeKind, OutboxStatus
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
    for group in ("purpose", "cadence", "placement", "outcome", "follow_up", "paid_answer",
                  "follow_up_cadence", "settles", "goal_status", "nudge_kind",
                  "outbox_status", "post_outcome"):
        labels = renderer.plain_env.get_template("labels.md.j2").module.LABELS[group]  # type: ignore[attr-defined]
        assert labels.keys() == da.plain_env.get_template("labels.md.j2").module.LABELS[  # type: ignore[attr-defined]
            group].keys()
    for group, values in (("nudge_kind", NudgeKind), ("outbox_status", OutboxStatus),
                          ("post_outcome", PostOutcome)):
        assert set(renderer.labels(group)) == {value.value for value in values}, group


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


# One set of facts for each reason the agenda gives, as its rule makes them.
_DAY = date(2026, 12, 1)
REASON_FACTS: dict[str, dict[str, object]] = {
    "carried-over": {"meeting": _DAY},
    "requested": {"text": "Praktikken stopper", "by": "U0MENTOR", "on": _DAY},
    "owner-away": {"role": "mentor", "who": "U0MENTOR", "until": _DAY},
    "away-ahead": {"role": "jobcenter", "who": "Jonas Berg", "from": _DAY, "to": _DAY,
                   "end": _DAY},
    "course-ending": {"end": _DAY, "week": 23, "weeks": 26},
    "placement-ending": {"workplace": "Netto", "end": _DAY, "kind": "company-internship"},
    "internship-length": {"workplace": "Netto", "start": _DAY, "weeks": 13, "limit": _DAY,
                          "passed": False, "week": 12},
    "decision-overdue": {"text": "Ring til lederen", "due": _DAY, "owner": "U0MENTOR"},
    "mentor-meeting-overdue": {"due": _DAY, "last": None},
    "follow-up-overdue": {"due": _DAY, "last": _DAY, "workplace": "Netto"},
    "attendance": {"kind": "low", "weeks": 3, "share": 42, "below": 75, "since": _DAY},
    "paid-hours": {"due": _DAY, "workplace": "Netto", "since": _DAY, "hours": "3×3",
                   "paid": 0},
    "hours-down": {"from": "3×3", "to": 6, "from_total": 9, "to_total": 6, "on": _DAY},
    "hours-flat": {"hours": "3×3", "total": 9, "since": _DAY, "weeks": 9},
    "new-case": {"start": _DAY},
    "placement-changed": {"kind": "own-shop", "workplace": "Butikken", "start": _DAY},
    "rotation": {"last": None},
}


@pytest.mark.parametrize("language", list(Language))
def test_every_reason_the_agenda_gives_is_worded(language: Language) -> None:
    from types import SimpleNamespace

    from sparbot.enums import ReasonCode

    assert set(REASON_FACTS) == {code.value for code in ReasonCode}
    renderer = Renderer(language)
    for code, facts in REASON_FACTS.items():
        text = renderer.text("agenda", "reason", r=SimpleNamespace(code=code, facts=facts))
        assert len(text.strip()) > 10, code
    for kind in ("no-show", "falling"):
        facts = {"kind": kind, "weeks": 2, "window": 4, "days": 3, "share": 56,
                 "from": 100, "to": 62}
        assert renderer.text("agenda", "reason", r=SimpleNamespace(code="attendance",
                                                                     facts=facts)).strip()
