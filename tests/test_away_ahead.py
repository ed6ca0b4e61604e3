"""Absence known ahead: anyone on a case, the jobcenter consultant too, records an absence;
the last meeting before it flags the cases ending, or with a deadline of theirs, while they
are away; the 6- and 4-week digests say so; a stand-in gets the absent person's nudges, and
the absent person none."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.enums import NudgeKind, Purpose, ReasonCode
from sparbot.models import Absence
from sparbot.services import absences, decisions, roster
from sparbot.services.agenda import Agenda, build_agenda
from sparbot.services.decisions import DecisionCreate
from sparbot.services.meetings import MeetingPlan, MeetingRules
from sparbot.services.nudges import plan_digests
from sparbot.services.people import PersonRef, find_person_by_slack_id, resolve_person
from tests.conftest import Bot, running_bot
from tests.factories import CONSULTANT, MENTOR
from tests.test_slack_commands import block_text, last_reply
from tests.test_slack_nudges import digests_to, sweep

CPH = ZoneInfo("Europe/Copenhagen")
JOBCENTER = "U0JOBCENTER"
STAND_IN = "U0STANDIN"
MEETING = date(2026, 12, 1)  # a Tuesday; the absence begins before the next, 8 December
AWAY_FROM, AWAY_TO = date(2026, 12, 7), date(2026, 12, 31)


def case(session: Session, ref: str, start: date, weeks: int = 26) -> None:
    roster.add_case(session=session, actor=MENTOR, data=roster.CaseCreate(
        ref=ref, programme="LFI", purpose=Purpose.FLEX_JOB, start_date=start,
        booked_weeks=weeks, mentor=PersonRef(slack_user_id=MENTOR),
        company_consultant=PersonRef(slack_user_id=CONSULTANT),
        jobcenter_consultant=PersonRef(slack_user_id=JOBCENTER)))


def person_id(session: Session, slack_id: str) -> int:
    found = find_person_by_slack_id(session=session, slack_user_id=slack_id)
    assert found is not None and found.id is not None
    return found.id


def agenda_on(session: Session, day: date) -> Agenda:
    return build_agenda(session=session, plan=MeetingPlan(day, day, None), rules=MeetingRules())


def away_lines(agenda: Agenda, ref: str) -> list[dict[str, object]]:
    return [facts for item in agenda.items + agenda.not_reached if item.ref == ref
            for code, facts in item.reasons if code is ReasonCode.AWAY_AHEAD]


def the_team(session: Session) -> None:
    case(session, "ZA", start=date(2026, 6, 23))  # 26 weeks: ends 21 Dec, in the absence
    case(session, "ZB", start=date(2026, 9, 1))  # ends in March: not in it
    absences.record_absence(session=session, person_id=person_id(session, JOBCENTER),
                            starts_on=AWAY_FROM, ends_on=AWAY_TO, actor=JOBCENTER,
                            today=date(2026, 11, 20))


def test_the_meeting_before_the_absence_flags_the_courses_ending_during_it(
        session: Session) -> None:
    the_team(session)
    agenda = agenda_on(session, MEETING)
    [line] = away_lines(agenda, "ZA")
    assert line == {"role": "jobcenter", "who": JOBCENTER, "from": AWAY_FROM, "to": AWAY_TO,
                    "end": date(2026, 12, 21)}
    za = next(item for item in agenda.items if item.ref == "ZA")
    assert za.needs_jobcenter  # to be decided with the jobcenter, before it goes
    assert away_lines(agenda, "ZB") == []
    # A meeting further ahead of the absence does not, nor one once it has begun.
    assert away_lines(agenda_on(session, date(2026, 11, 24)), "ZA") == []
    assert away_lines(agenda_on(session, date(2026, 12, 8)), "ZA") == []


def test_an_action_due_during_its_owners_absence_is_flagged(session: Session) -> None:
    case(session, "ZB", start=date(2026, 9, 1))
    decisions.record_decision(session=session, actor=MENTOR, today=date(2026, 11, 20),
                              data=DecisionCreate(ref="ZB", text="Indhent lægeerklæring",
                                                  owners=[PersonRef(slack_user_id=MENTOR)],
                                                  due=date(2026, 12, 14)))
    absences.record_absence(session=session, person_id=person_id(session, MENTOR),
                            starts_on=date(2026, 12, 4), ends_on=date(2026, 12, 18),
                            actor=MENTOR, today=date(2026, 11, 20))
    [line] = away_lines(agenda_on(session, MEETING), "ZB")
    assert (line["role"], line["due"], line["text"]) == (
        "mentor", date(2026, 12, 14), "Indhent lægeerklæring")


def digest_for(session: Session, day: date) -> dict[str, list[tuple[NudgeKind, str, object]]]:
    now = datetime.combine(day, datetime.min.time(), CPH).replace(hour=9)
    return {digest.person.slack_user_id or "": [
        (nudge.kind, nudge.case.ref, nudge.facts.get("for")) for nudge in digest.nudges]
        for digest in plan_digests(session=session, now=now)}


def test_a_stand_in_gets_the_absent_persons_nudges_and_the_absent_person_none(
        session: Session) -> None:
    case(session, "ZB", start=date(2026, 9, 1))  # its mentor meeting is overdue
    before = digest_for(session, date(2026, 12, 7))
    assert any(kind is NudgeKind.MENTOR_MEETING for kind, _, _ in before[MENTOR])
    absences.record_absence(session=session, person_id=person_id(session, MENTOR),
                            starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 11),
                            actor=MENTOR, today=date(2026, 12, 4),
                            stand_in_id=resolve_person(
                                session=session, ref=PersonRef(slack_user_id=STAND_IN)).id)
    during = digest_for(session, date(2026, 12, 7))
    assert MENTOR not in during
    assert [(kind, ref) for kind, ref, _ in during[STAND_IN]] == [
        (kind, ref) for kind, ref, _ in before[MENTOR]]
    assert all(getattr(stood_for, "slack_user_id", None) == MENTOR
               for _, _, stood_for in during[STAND_IN])
    assert MENTOR in digest_for(session, date(2026, 12, 14))  # back: their own again


def test_the_course_ending_digest_says_the_jobcenter_is_away_then(session: Session) -> None:
    the_team(session)
    now = datetime(2026, 11, 24, 9, 0, tzinfo=CPH)  # ZA ends 21 Dec: the 4-week nudge
    [ending] = [nudge for digest in plan_digests(session=session, now=now)
                for nudge in digest.nudges if nudge.kind is NudgeKind.COURSE_ENDING
                and nudge.person.slack_user_id == MENTOR]
    away = ending.facts["away"]
    assert away["person"].slack_user_id == JOBCENTER
    assert (away["from"], away["to"]) == (AWAY_FROM, AWAY_TO)


# --- through Slack ------------------------------------------------------------------------


@pytest.fixture
def with_jobcenter(db: SessionFactory, engine: Engine, slack: FakeSlack,
                   clock: FixedClock) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF=f"{MENTOR},{CONSULTANT}",
                     SPARBOT_JOBCENTER_USERS=JOBCENTER) as bot:
        yield bot


def test_the_jobcenter_consultant_records_an_absence_and_the_agenda_flags_it(
        with_jobcenter: Bot) -> None:
    bot = with_jobcenter
    with bot.db() as session:
        case(session, "ZA", start=date(2026, 6, 23))  # ends 21 Dec
    bot.driver.command("fravær 7/12 31/12", user_id=JOBCENTER)
    assert "fraværende 7. dec 2026 – 31. dec 2026" in last_reply(bot)
    bot.driver.command("dagsorden", user_id=MENTOR)  # the coming meeting: 1 December
    text = block_text(bot.slack.wait_for("response_url", 2)[1].blocks)
    assert "Dagsorden: sparringsmøde tirsdag 1. dec 2026" in text
    assert ("Jobcenterkonsulent <@U0JOBCENTER> er væk 7. dec–31. dec; forløbet slutter "
            "21. dec 2026: beslut før fraværet, eller find en stedfortræder") in text


def test_staff_record_a_jobcenter_consultants_absence_by_e_mail_with_a_stand_in(
        with_jobcenter: Bot) -> None:
    bot = with_jobcenter
    bot.driver.command("fravær 7/12 31/12 for:jonas@jobcenter.dk stedfortræder:<@U0STANDIN>")
    said = last_reply(bot)
    assert "jonas@jobcenter.dk er registreret som fraværende 7. dec 2026 – 31. dec 2026" \
        in said
    assert "<@U0STANDIN> er stedfortræder" in said
    bot.driver.command("fravær 7/12 31/12 for:<@U0MENTOR>", user_id=JOBCENTER)
    assert "Kun medarbejdere kan registrere fravær for andre" in last_reply(bot, 2)
    with bot.db() as session:
        assert len(session.exec(select(Absence)).all()) == 1


def test_the_stand_ins_digest_says_whose_items_they_are(with_jobcenter: Bot) -> None:
    bot = with_jobcenter
    with bot.db() as session:
        case(session, "ZB", start=date(2026, 9, 1))  # its mentor meeting is overdue
    bot.driver.command("fravær 24/11 27/11 stedfortræder:<@U0STANDIN>", user_id=MENTOR)
    assert "<@U0STANDIN> er stedfortræder og får påmindelserne imens" in last_reply(bot)
    sweep(bot)
    assert digests_to(bot, MENTOR) == []
    [digest] = digests_to(bot, STAND_IN)
    assert "Mentorsamtale med *ZB* er forfalden" in digest
    assert "Du er stedfortræder for <@U0MENTOR>, som er væk" in digest
