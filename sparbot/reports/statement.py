"""The provider's status statement for the jobcenter, drafted from what is recorded: each
section's sentences, with dates, in the deployment's language. Nothing is invented: a
section with no data says so, and the caseworker edits the rest in Word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from sparbot.bot.render import Renderer
from sparbot.enums import CaseStatus, FollowUpKind
from sparbot.services.attendance import share_of
from sparbot.services.report import CaseReport, gather_case_report

SECTIONS = ("course", "placements", "hours", "attendance", "goals", "accommodations",
            "follow_ups", "decisions", "outcome")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[str]  # each a sentence or a short paragraph
    empty: bool  # nothing recorded: its one line says so


@dataclass(frozen=True)
class Statement:
    ref: str
    title: str
    intro: str
    sections: list[Section]


def draft_statement(*, session: Session, ref: str, today: date,
                    renderer: Renderer) -> Statement:
    report = gather_case_report(session=session, ref=ref, today=today)
    return build_statement(report, renderer)


def build_statement(report: CaseReport, renderer: Renderer) -> Statement:
    def say(name: str, **context: object) -> str:
        return renderer.plain("statement", name, **context)

    snapshot = report.snapshot
    case = snapshot.record
    found: dict[str, list[str]] = {key: [] for key in SECTIONS}
    found["course"].append(say(
        "course", s=snapshot, mentor=snapshot.mentor.readable,
        consultant=snapshot.company_consultant.readable if snapshot.company_consultant
        else None))
    for placement in snapshot.placements:
        view = report.agreements.get(placement.id or 0)
        found["placements"].append(say("placement", p=placement,
                                       tasks=view.agreement.tasks if view else None))
        if view is not None:
            for line in view.goals:
                found["goals"].append(say("goal", g=line.goal, workplace=placement.workplace,
                                          sub=False))
                found["goals"] += [say("goal", g=sub, workplace=placement.workplace, sub=True)
                                   for sub in line.sub_goals]
            if view.agreement.accommodations:
                found["accommodations"].append(say(
                    "accommodation", workplace=placement.workplace,
                    text=view.agreement.accommodations))
    found["hours"] = [say("hours", h=entry) for entry in snapshot.hours
                      if entry.effective_from <= report.today]
    weeks = [week for week in snapshot.attendance if week.week_start <= report.today]
    if weeks:
        share = share_of(weeks)
        found["attendance"].append(say(
            "attendance", weeks=len(weeks), first=weeks[0].week_start,
            last=weeks[-1].week_start, attended=sum(week.attended_days for week in weeks),
            planned=sum(week.planned_days for week in weeks),
            percent=None if share is None else round(share * 100),
            sick=sum(week.sick_days for week in weeks),
            no_show=sum(week.no_show_days for week in weeks)))
        found["attendance"] += [say("attendance_week", w=week) for week in weeks]
    meetings = [item for item in snapshot.follow_up_records()
                if item.kind is FollowUpKind.MENTOR_MEETING]
    if meetings:
        found["follow_ups"].append(say("mentor_meetings", count=len(meetings),
                                       first=meetings[0].held_on, last=meetings[-1].held_on))
    found["follow_ups"] += [say("workplace_follow_up", f=item)
                            for item in snapshot.follow_up_records()
                            if item.kind is FollowUpKind.WORKPLACE]
    found["decisions"] = [say("decision", d=view.decision) for view in report.decisions
                          if not view.cancelled]
    found["decisions"] += [say("extension", e=extension) for extension in snapshot.extensions]
    if case.status is CaseStatus.CLOSED and case.outcome and case.closed_on:
        found["outcome"].append(say("closed", on=case.closed_on, outcome=case.outcome))
    else:
        found["outcome"].append(say("running", week=snapshot.week_number(report.today),
                                    weeks=snapshot.total_weeks, today=report.today))
    nothing = say("nothing")
    return Statement(
        ref=case.ref, title=say("title", ref=case.ref), intro=say("intro", today=report.today),
        sections=[Section(key, say("section", key=key), lines or [nothing], not lines)
                  for key, lines in found.items()])
