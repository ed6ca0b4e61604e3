"""`/spar fremmøde`: a citizen's attendance in a week, in one line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sparbot.bot.agenda.commands import JobcenterAttendance, parse_jobcenter_attendance
from sparbot.bot.grammar import NO, YES, CaseCommand, require_ref
from sparbot.bot.verbs import Verb
from sparbot.errors import UserError
from sparbot.parsing import split_options, whole_number
from sparbot.services.attendance import AttendanceInput, default_week, week_numbered

USAGE = "/spar fremmøde ZA mødt:3 af:4"
KEYS = {
    "uge": "week", "week": "week",
    "mødt": "attended", "moedt": "attended", "attended": "attended", "met": "attended",
    "af": "planned", "of": "planned", "planlagt": "planned", "planned": "planned",
    "syg": "sick", "sick": "sick",
    "udeblevet": "no_show", "udeblev": "no_show", "noshow": "no_show", "absent": "no_show",
    "gået": "left_early", "gaaet": "left_early", "tidligt": "left_early",
    "left": "left_early", "early": "left_early",
    "note": "note",
}  # fmt: skip
_SHARE = re.compile(r"([0-9]{1,3})/([0-9]{1,3})")  # "3/4": met 3 of 4
_OF = {"af", "of", "ud", "out"}


@dataclass(frozen=True, kw_only=True)
class AttendanceForm(CaseCommand):
    verb = Verb.ATTENDANCE_FORM


@dataclass(frozen=True, kw_only=True)
class LogAttendance(CaseCommand):
    """Days planned and met in a week, and why days were missed."""

    verb = Verb.ATTENDANCE_LOG
    data: AttendanceInput


def _days(text: str, field: str) -> int:
    return whole_number(text, error="bad_days", field=field)


def parse_attendance(rest: list[str], today: date) -> AttendanceForm | LogAttendance:
    ref, rest = require_ref(rest, USAGE)
    positional, options = split_options(rest, KEYS)
    if not positional and not options:
        return AttendanceForm(ref=ref)
    attended, planned = options.get("attended"), options.get("planned")
    words = [word.lower() for word in positional]
    note_words = list(positional)
    if words:
        share = _SHARE.fullmatch(words[0])
        if share:  # "3/4"
            attended, planned = share.group(1), share.group(2)
            note_words = positional[1:]
        elif len(words) >= 3 and words[1] in _OF:  # "3 af 4"
            attended, planned = positional[0], positional[2]
            note_words = positional[3:]
    if attended is None or planned is None:
        raise UserError("usage", usage=USAGE)
    week_text = options.get("week")
    week = week_numbered(_week_number(week_text), today) if week_text else default_week(today)
    return LogAttendance(ref=ref, data=AttendanceInput(
        week_start=week, planned=_days(planned, "planned"),
        attended=_days(attended, "attended"),
        sick=_days(options["sick"], "sick") if "sick" in options else 0,
        no_show=_days(options["no_show"], "no-show") if "no_show" in options else 0,
        left_early=_days(options["left_early"], "left-early") if "left_early" in options else 0,
        note=options.get("note") or (" ".join(note_words) or None)))


def _week_number(text: str) -> int:
    return whole_number(text, error="bad_week", field="week")


def parse_attendance_word(rest: list[str], today: date
                          ) -> AttendanceForm | LogAttendance | JobcenterAttendance:
    """The English "attendance" serves both: about the jobcenter at the meeting
    (`attendance jobcenter no`), else a citizen's attendance (`attendance ZA 3/4`)."""
    first = rest[0].lower() if rest else ""
    if first in ("jobcenter", "jobcentret") or first in YES or first in NO:
        return parse_jobcenter_attendance(rest, today)
    return parse_attendance(rest, today)
