"""The command parser fuzzed with Hypothesis: whatever people type, only a polite UserError
comes back, and no CPR number ever reaches the database."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from sparbot.bot.app import declared_entries
from sparbot.bot.changing import apply_change
from sparbot.bot.followups.commands import LogFollowUp
from sparbot.bot.followups.handlers import apply_follow_up
from sparbot.bot.hours import commands as hours
from sparbot.bot.hours import handlers as hours_changes
from sparbot.bot.render import Renderer
from sparbot.enums import Language
from sparbot.errors import UserError
from sparbot.privacy import CprNumberRefused, contains_cpr
from sparbot.services import roster
from tests.factories import make_case

TODAY = date(2026, 11, 24)
parse_command = declared_entries().parse  # every subject's words and parsers
CHANGES: dict[type, Any] = {  # every command that changes a case, with what applies it
    hours.RecordHours: hours_changes.apply_hours,
    hours.StartPlacement: hours_changes.apply_placement_start,
    hours.EndPlacement: hours_changes.apply_placement_end,
    hours.Extend: hours_changes.apply_extension, hours.Close: hours_changes.apply_closing,
    LogFollowUp: apply_follow_up}
RENDERER = Renderer(Language.DA)
WORDS = ["sag", "sager", "timer", "praktik", "opfølgning", "forlæng", "afslut", "hjælp",
         "dagsorden", "beslut", "beslutninger", "eksport", "fravær", "påmindelser", "ZA",
         "3x3", "2x2,5", "lønnet:3", "fra:1/12", "til:31/2", "løn:ja", "kontakt:", "ny",
         "virksomhed", "butik", "slut", "mentor", "13", "fleksjob", "<!channel>", "<@U0X|x>",
         "010190-1234", "0101901234", "“", '"', "i går", "frist:i morgen", "uger:x", "—"]
ARGS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12),
                          st.from_regex(r"[0-9]{1,2}(x[0-9](,5)?)?", fullmatch=True),
                          st.from_regex(r"(fra|dato|til|lønnet|løn|kontakt|tlf|note):"
                                        r"[0-9a-zæøå/ ,.-]{0,12}", fullmatch=True)),
                max_size=6).map(" ".join)
COMMANDS = st.one_of(ARGS, st.tuples(
    st.sampled_from(["timer ZA", "praktik ZA virksomhed", "praktik ZA butik", "praktik ZA",
                     "opfølgning ZA", "opfølgning ZA arbejdsplads", "forlæng ZA",
                     "afslut ZA", "beslut ZA"]), ARGS).map(" ".join))


@settings(max_examples=400, deadline=None)
@given(COMMANDS)
def test_the_parser_only_ever_says_what_to_type(words: str) -> None:
    with contextlib.suppress(UserError, CprNumberRefused):
        parse_command(words, today=TODAY)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(COMMANDS)
@example("praktik ZA virksomhed \x00")  # a NUL byte: PostgreSQL cannot store one
def test_changes_from_any_text_leave_no_cpr_and_nothing_half_written(
        session: Session, words: str) -> None:
    if roster.find_active_case(session=session, ref="ZA", team_id=None) is None:
        make_case(session, "ZA", start=date(2026, 9, 1))
    try:
        command = parse_command(words, today=TODAY)
        apply = CHANGES.get(type(command))
        if apply is not None:
            with session.begin_nested():  # as each request's own transaction
                apply_change(session=session, command=command,  # type: ignore[type-var]
                             actor="U0FUZZ", today=TODAY, renderer=RENDERER, apply=apply)
    except (UserError, CprNumberRefused):
        pass
    for table in SQLModel.metadata.sorted_tables:
        for column in table.c:
            if column.type.python_type is str:
                rows = session.execute(text(
                    f'SELECT "{column.name}" FROM "{table.name}"')).scalars()
                assert not any(value and contains_cpr(value) for value in rows), \
                    (table.name, column.name)
