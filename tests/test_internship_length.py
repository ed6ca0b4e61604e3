"""A company internship nearing its longest without a new assessment is raised two
meetings ahead, with the jobcenter; the length is set per programme; a decision answers it
for a while."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from sparbot.config import Settings
from sparbot.enums import DecisionCategory, PlacementKind, ReasonCode
from sparbot.services import decisions
from sparbot.services.agenda import AgendaEntry, build_agenda
from sparbot.services.agenda_rules import AgendaRules
from sparbot.services.decisions import DecisionCreate
from sparbot.services.internship_length import InternshipLimits, parse_limits
from sparbot.services.meetings import MeetingPlan, MeetingRules
from tests.factories import MENTOR, make_case, placement

MEETING = date(2026, 12, 1)


def entry(session: Session, day: date = MEETING,
          rules: AgendaRules | None = None) -> AgendaEntry | None:
    agenda = build_agenda(session=session, plan=MeetingPlan(day, day, None),
                          rules=MeetingRules(), agenda_rules=rules or AgendaRules())
    return next((item for item in agenda.items + agenda.not_reached if item.ref == "ZA"),
                None)


def codes(found: AgendaEntry | None) -> list[ReasonCode]:
    return found.codes if found else []


def internship_since(session: Session, weeks_before: int,
                     kind: PlacementKind = PlacementKind.COMPANY_INTERNSHIP) -> date:
    start = MEETING - timedelta(weeks=weeks_before)
    make_case(session, "ZA", start=start - timedelta(weeks=2))
    placement(session, "ZA", kind, "Netto", start, today=start)
    return start


def test_flagged_two_meetings_ahead_and_with_the_jobcenter(session: Session) -> None:
    start = internship_since(session, 11)  # 13 weeks reached on 5 Jan: 2 meetings ahead
    assert ReasonCode.INTERNSHIP_LENGTH not in codes(entry(session, MEETING - timedelta(days=7)))
    found = entry(session)
    assert found is not None and ReasonCode.INTERNSHIP_LENGTH in found.codes
    facts = dict(next(facts for code, facts in found.reasons
                      if code is ReasonCode.INTERNSHIP_LENGTH))
    assert facts == {"workplace": "Netto", "start": start, "weeks": 13,
                     "limit": start + timedelta(weeks=13), "passed": False, "week": 12}
    assert found.needs_jobcenter
    later = entry(session, start + timedelta(weeks=14))  # passed, and still raised
    assert later is not None and ReasonCode.INTERNSHIP_LENGTH in later.codes


def test_only_a_company_internship_and_by_its_programmes_length(session: Session) -> None:
    internship_since(session, 12, kind=PlacementKind.OWN_SHOP)
    assert ReasonCode.INTERNSHIP_LENGTH not in codes(entry(session))


def test_the_programmes_own_length(session: Session) -> None:
    internship_since(session, 12)  # the factory's programme: "Trædesten til job"
    longer = AgendaRules(internship=InternshipLimits(
        weeks=13, by_programme=parse_limits("Trædesten til job=26, LFI=8")))
    assert ReasonCode.INTERNSHIP_LENGTH not in codes(entry(session, rules=longer))
    assert ReasonCode.INTERNSHIP_LENGTH in codes(entry(session))


def test_a_decision_answers_it_until_its_date(session: Session) -> None:
    internship_since(session, 12)
    decisions.record_decision(session=session, actor=MENTOR, today=MEETING, data=DecisionCreate(
        ref="ZA", text="Praktikken forlænges til 26 uger: E er tæt på løntimer",
        category=DecisionCategory.INTERNSHIP, settled_until=MEETING + timedelta(weeks=8)))
    assert ReasonCode.INTERNSHIP_LENGTH not in codes(entry(session, MEETING + timedelta(days=7)))
    assert ReasonCode.INTERNSHIP_LENGTH in codes(entry(session, MEETING + timedelta(weeks=9)))


def test_the_setting_is_read_and_a_wrong_one_says_so() -> None:
    settings = Settings(_env_file=None, SPARBOT_INTERNSHIP_WEEKS="8",
                        SPARBOT_INTERNSHIP_WEEKS_BY_PROGRAMME="LFI=26")
    rules = settings.agenda_rules().internship
    assert (rules.weeks_for("LFI"), rules.weeks_for("lfi "), rules.weeks_for("Andet")) == (
        26, 26, 8)
    with pytest.raises(ValueError, match="programme=weeks"):
        Settings(_env_file=None, SPARBOT_INTERNSHIP_WEEKS_BY_PROGRAMME="LFI:26")
