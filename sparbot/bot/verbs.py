"""What a `/spar` command asks for: one value per subcommand and form."""

from __future__ import annotations

from enum import StrEnum


class Verb(StrEnum):
    HELP = "help"
    CASE_SHOW = "case-show"
    CASE_ADD = "case-add"
    ROSTER = "roster"
    TEAMS = "teams"  # the teams you work in
    PLACEMENT_FORM = "placement-form"
    PLACEMENT_START = "placement-start"
    PLACEMENT_END = "placement-end"
    PLACEMENT_CADENCE = "placement-cadence"
    HOURS_FORM = "hours-form"
    HOURS = "hours"
    FOLLOW_UP_FORM = "follow-up-form"
    FOLLOW_UP = "follow-up"
    EXTEND = "extend"
    CLOSE = "close"
    AGENDA_SHOW = "agenda-show"
    AGENDA_ADD = "agenda-add"
    AGENDA_POST = "agenda-post"
    JOBCENTER_ATTENDANCE = "attendance"  # the jobcenter at the meeting (its old value kept)
    ATTENDANCE_FORM = "attendance-form"  # a citizen's attendance in a week
    ATTENDANCE_LOG = "attendance-log"
    AGREEMENT_FORM = "agreement-form"
    AGREEMENT_SAVE = "agreement-save"  # the agreement's form submitted
    AGENDA_FORM = "agenda-form"
    DECIDE = "decide"
    DECISION_FORM = "decision-form"
    DECISIONS = "decisions"
    EXPORT = "export"  # one case's decision log
    EXPORT_ALL = "export-all"  # the whole log: admins
    REPORT = "report"
    STATEMENT = "statement"  # the status statement for the jobcenter, drafted
    FIGURES = "figures"  # the results figures: admins (a team's admins: their teams')
    AWAY = "away"
    NUDGE_SETTINGS = "nudge-settings"
