"""People's names, as Slack knows them: asked once (users.info, users.lookupByEmail) and kept,
so exports, the PDF and the CLI show names at no Slack call per row; a person given by e-mail
is linked to their Slack account and nudged; one Slack cannot find is never silently
skipped: the operator sees them and their items reach the case's other owner."""

from __future__ import annotations

import io
import json
from datetime import date

from pypdf import PdfReader
from sqlmodel import select

from sparbot.bot.people_sync import refresh_people
from sparbot.enums import DecisionCategory, Purpose
from sparbot.models import DecisionAction, NudgePreference, Person
from sparbot.reports.case_pdf import case_report_pdf
from sparbot.services import decisions, roster
from sparbot.services.decisions import DecisionCreate
from sparbot.services.exports import ExportFilter, export_rows
from sparbot.services.people import PersonRef, find_person_by_slack_id
from sparbot.services.report import gather_case_report
from tests.conftest import TODAY, Bot
from tests.factories import CONSULTANT, MENTOR, make_case, weeks_ago
from tests.test_cli import invoke
from tests.test_slack_nudges import digests_to, sweep


def with_decisions(bot: Bot, count: int = 30) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        for number in range(count):
            decisions.record_decision(session=session, actor=MENTOR, today=TODAY,
                                      data=DecisionCreate(
                                          ref="ZA", text=f"Beslutning {number}",
                                          category=DecisionCategory.OTHER,
                                          owners=[PersonRef(slack_user_id=CONSULTANT)]))


def test_exports_and_the_report_show_names_at_no_slack_call_per_row(bot: Bot) -> None:
    with_decisions(bot)
    bot.slack.user_names.update({MENTOR: "Mette Madsen", CONSULTANT: "Karsten Kirk"})
    done = refresh_people(bot.deps, bot.client)
    asked = len(bot.slack.calls_to("users.info"))
    assert done.named == asked == 2  # the mentor and the consultant, once each
    bot.slack.clear()
    with bot.db() as session:
        rows = list(export_rows(session=session, selection=ExportFilter()))
        pdf = case_report_pdf(gather_case_report(session=session, ref="ZA", today=TODAY),
                              bot.deps.renderer)
    assert len(rows) == 30 and {row.owner for row in rows} == {"Karsten Kirk"}
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mette Madsen / Karsten Kirk" in " ".join(text.split())
    assert bot.slack.calls_to("users.info") == []  # names are kept: no call per row
    refresh_people(bot.deps, bot.client)  # checked today: not asked again
    assert bot.slack.calls_to("users.info") == []


def test_a_new_name_arrives_with_slacks_user_change_event(bot: Bot) -> None:
    with_decisions(bot, count=1)
    refresh_people(bot.deps, bot.client)
    bot.driver.user_change(MENTOR, "Mette Holm")
    bot.driver.user_change("U0STRANGER", "Nobody We Know")
    bot.idle()
    with bot.db() as session:
        mentor = find_person_by_slack_id(session=session, slack_user_id=MENTOR)
        assert mentor is not None and mentor.name == "Mette Holm"
        assert find_person_by_slack_id(session=session, slack_user_id="U0STRANGER") is None


def case_with_mentor_by_email(bot: Bot, email: str) -> None:
    with bot.db() as session:
        roster.add_case(session=session, actor=CONSULTANT, data=roster.CaseCreate(
            ref="ZA", programme="LFI", purpose=Purpose.FLEX_JOB,
            start_date=weeks_ago(TODAY, 10), mentor=PersonRef(email=email),
            company_consultant=PersonRef(slack_user_id=CONSULTANT)))


def test_a_mentor_given_by_e_mail_is_linked_to_slack_and_nudged(bot: Bot) -> None:
    case_with_mentor_by_email(bot, "mette@udbyder.example.dk")
    bot.slack.emails["mette@udbyder.example.dk"] = "U0METTE"
    done = refresh_people(bot.deps, bot.client)
    assert done.linked == 1
    with bot.db() as session:
        mette = session.exec(select(Person).where(
            Person.email == "mette@udbyder.example.dk")).one()
        assert mette.slack_user_id == "U0METTE" and mette.name == "Test U0METTE"
    sweep(bot)  # the mentor meeting is overdue: hers
    [digest] = digests_to(bot, "U0METTE")
    assert "Mentorsamtale med *ZA* er forfalden" in digest


def test_a_person_known_twice_by_e_mail_and_by_slack_becomes_one(bot: Bot) -> None:
    with_decisions(bot, count=1)  # the consultant, by Slack id, owns an action on ZA
    with bot.db() as session:
        roster.add_case(session=session, actor=CONSULTANT, data=roster.CaseCreate(
            ref="EM", programme="LFI", purpose=Purpose.FLEX_JOB,
            start_date=weeks_ago(TODAY, 10), mentor=PersonRef(email="karsten@udbyder.dk"),
            company_consultant=PersonRef(slack_user_id=MENTOR)))
        by_mail = session.exec(select(Person).where(Person.email == "karsten@udbyder.dk")
                               ).one()
        assert by_mail.id is not None
        session.add(NudgePreference(person_id=by_mail.id, send_at="07:30"))
        session.commit()
    bot.slack.emails["karsten@udbyder.dk"] = CONSULTANT
    refresh_people(bot.deps, bot.client)
    with bot.db() as session:
        karsten = [person for person in session.exec(select(Person))
                   if person.slack_user_id == CONSULTANT
                   or person.email == "karsten@udbyder.dk"]
        assert len(karsten) == 1 and karsten[0].email == "karsten@udbyder.dk"
        em = roster.get_case(session=session, ref="EM")
        assert em.mentor_id == karsten[0].id  # his case, under his one row
        [action] = session.exec(select(DecisionAction)).all()
        assert action.owner_id == karsten[0].id  # and what he owned before
        preference = session.get(NudgePreference, karsten[0].id)
        assert preference is not None and preference.send_at == "07:30"
    sweep(bot)
    [digest] = digests_to(bot, CONSULTANT)
    assert "Mentorsamtale med *EM* er forfalden" in digest


def test_one_slack_cannot_find_is_listed_and_their_items_reach_the_other_owner(
        bot: Bot, database_url: str) -> None:
    case_with_mentor_by_email(bot, "vikar@udbyder.example.dk")
    done = refresh_people(bot.deps, bot.client)
    assert len(done.unreachable) == 1
    sweep(bot)
    [digest] = digests_to(bot, CONSULTANT)
    assert "Mentorsamtale med *ZA* er forfalden" in digest
    assert ("Du får den for vikar@udbyder.example.dk, som sparbot ikke kan nå i Slack"
            in digest)


def test_sparbot_people_lists_the_unreachable(database_url: str) -> None:
    from sparbot.db import make_engine, session_factory

    assert invoke(database_url, "db", "upgrade")[0] == 0
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        make_case(session, "ZA", start=date(2026, 10, 1), mentor=MENTOR)
        roster.add_case(session=session, actor=MENTOR, data=roster.CaseCreate(
            ref="ZB", programme="LFI", purpose=Purpose.FLEX_JOB, start_date=date(2026, 10, 1),
            mentor=PersonRef(slack_user_id=MENTOR),
            jobcenter_consultant=PersonRef(name="Jonas Berg", email="jobe@kommune.dk")))
        gone = find_person_by_slack_id(session=session, slack_user_id=CONSULTANT)
        assert gone is not None
        gone.unreachable, gone.slack_checked_at = True, None
    engine.dispose()
    code, output = invoke(database_url, "people", "--unreachable", "--json")
    assert code == 0, output
    listed = {(row["slack_user_id"], row["email"], row["status"]) for row in json.loads(output)}
    assert listed == {(CONSULTANT, None, "unreachable"),  # Slack said: no such user
                      (None, "jobe@kommune.dk", "not-checked"),  # not asked yet
                      (None, "jj@kommune.dk", "not-checked")}  # the factory's jobcenter
    code, output = invoke(database_url, "people")
    assert code == 0 and MENTOR in output and "mentor 2" in output


def test_the_health_report_counts_the_unreachable(bot: Bot) -> None:
    import urllib.request

    case_with_mentor_by_email(bot, "vikar@udbyder.example.dk")
    refresh_people(bot.deps, bot.client)
    url = bot.driver.events_url.replace("/slack/events", "/healthz")
    with urllib.request.urlopen(url, timeout=5) as answer:  # the bot on loopback
        health = json.loads(answer.read())
    assert health["people_unreachable"] == 1
