"""`sparbot demo`: fictional cases that look like real courses, shown as the team would see
them in Slack, with no Slack account and no server. The real bot answers real signed
requests; a fake Slack on loopback records what it sends; the terminal shows it."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Console
from sqlmodel import Session, SQLModel

from sparbot.bot.app import create_bolt_app, make_deps
from sparbot.bot.nudges.sending import send_due_nudges
from sparbot.bot.people_sync import refresh_people
from sparbot.bot.server import EVENTS_PATH, BackgroundServer, build_wsgi_app
from sparbot.clock import Clock
from sparbot.config import Settings
from sparbot.db import make_engine, session_factory
from sparbot.devtools.driver import SlackDriver
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.devtools.terminal import show
from sparbot.enums import (
    Cadence,
    DecisionCategory,
    FollowUpCadence,
    FollowUpKind,
    GoalStatus,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)
from sparbot.parsing import parse_hours
from sparbot.services import decisions, roster
from sparbot.services.agreements import AgreementInput, save_agreement, set_goal_statuses
from sparbot.services.attendance import AttendanceInput, record_attendance, week_of
from sparbot.services.decisions import DecisionCreate
from sparbot.services.people import PersonRef

MENTOR = "U0DEMOMETTE"
CONSULTANT = "U0DEMOKARSTEN"
MENTOR_2 = "U0DEMOAHMED"
NAMES = {MENTOR: "Mette (mentor)", CONSULTANT: "Karsten (virksomhedskonsulent)",
         MENTOR_2: "Ahmed (mentor)", "U0SPARBOT": "sparbot"}
FULL_NAMES = {MENTOR: "Mette Madsen", CONSULTANT: "Karsten Kirk", MENTOR_2: "Ahmed Ali"}
SIGNING_SECRET = "demo-signing-secret"


def build_demo_roster(session: Session, today: date) -> None:
    """Five courses as they really run: hours up and down, shop then company, an extension,
    an overdue follow-up, a course about to run out, and one closed with an outcome."""

    def ago(weeks: int, days: int = 0) -> date:
        return today - timedelta(weeks=weeks, days=days)

    def case(ref: str, programme: str, purpose: Purpose, start: date, mentor: str,
             cadence: Cadence = Cadence.WEEKLY, weeks: int = 26) -> None:
        roster.add_case(session=session, actor=mentor, data=roster.CaseCreate(
            ref=ref, programme=programme, purpose=purpose, start_date=start,
            booked_weeks=weeks, cadence=cadence, mentor=PersonRef(slack_user_id=mentor),
            company_consultant=PersonRef(slack_user_id=CONSULTANT),
            jobcenter_consultant=PersonRef(name="Jonas Berg (Jobcenter)",
                                           email="jobe@jobcenter.example.dk")))

    def hours(ref: str, text: str, start: date, paid: str | None = None) -> None:
        roster.record_hours(session=session, ref=ref, internship=parse_hours(text),
                            paid=parse_hours(paid) if paid else None, effective_from=start,
                            actor=MENTOR, today=today)

    def place(ref: str, kind: PlacementKind, workplace: str, start: date,
              contact: str | None = None, phone: str | None = None,
              cadence: FollowUpCadence = FollowUpCadence.MONTHLY) -> None:
        roster.start_placement(session=session, ref=ref, actor=CONSULTANT, today=today,
                               data=roster.PlacementCreate(kind=kind, workplace=workplace,
                                                           start_date=start,
                                                           contact_name=contact,
                                                           contact_phone=phone,
                                                           follow_up_cadence=cadence))

    def attended(ref: str, weeks_back: int, days: int, of: int, *, sick: int = 0,
                 no_show: int = 0) -> None:
        record_attendance(session=session, ref=ref, actor=MENTOR, today=today,
                          data=AttendanceInput(week_of(today) - timedelta(weeks=weeks_back),
                                               planned=of, attended=days, sick=sick,
                                               no_show=no_show))

    def met(ref: str, kind: FollowUpKind, on: date,
            paid: PaidHoursAnswer = PaidHoursAnswer.NOT_RAISED) -> None:
        roster.log_follow_up(session=session, ref=ref, kind=kind, held_on=on, paid_hours=paid,
                             actor=MENTOR, today=today)

    # ZA: the own shop, then a company internship that nobody has asked to pay for.
    case("ZA", "Trædesten til job", Purpose.ORDINARY_EMPLOYMENT, ago(15), MENTOR)
    place("ZA", PlacementKind.OWN_SHOP, "Genbrugsbutikken", ago(14))
    hours("ZA", "2x1,5", ago(14))
    hours("ZA", "2x2,5", ago(11))
    place("ZA", PlacementKind.COMPANY_INTERNSHIP, "Plejehjemmet Solbakken", ago(7),
          contact="Bente Holm", phone="21 43 65 87")
    hours("ZA", "3x3", ago(7))
    met("ZA", FollowUpKind.WORKPLACE, ago(5), PaidHoursAnswer.NOT_RAISED)
    decisions.record_decision(session=session, actor=MENTOR, today=ago(2), data=DecisionCreate(
        ref="ZA", text="Drøft løntimer med lederen på Solbakken – 3 af de 9 timer?",
        category=DecisionCategory.PAID_HOURS, owners=[PersonRef(slack_user_id=CONSULTANT)],
        due=ago(1)))
    for week in (4, 3, 2):
        met("ZA", FollowUpKind.MENTOR_MEETING, ago(week, 1))
    # The agreement with Solbakken: tasks, goals (one reached), accommodations.
    agreement = save_agreement(session=session, ref="ZA", actor=CONSULTANT, today=today,
                               data=AgreementInput(
        tasks="Hjælpe i køkkenet og dække bord til frokost",
        goals="Møde stabilt 3 dage om ugen\n- Møde til tiden\n- Melde afbud før kl. 8\n"
              "Servere for beboerne",
        hours_plan="3×3 nu; 3×4 når fremmødet er stabilt; løntimer drøftes i januar",
        accommodations="Ingen tunge løft; en pause hver time",
        next_paid_hours_talk=ago(-6), follows_up=PersonRef(slack_user_id=CONSULTANT)))
    case_id = agreement.placement.case_id
    set_goal_statuses(session=session, case_id=case_id, today=today, statuses={
        goal.id or 0: GoalStatus.REACHED for goal in agreement.all_goals
        if goal.text == "Møde til tiden"})
    # Attendance logged week by week at Solbakken; last week's is not logged yet.
    for weeks_back, days in ((6, 3), (5, 3), (4, 2), (3, 3), (2, 3)):
        attended("ZA", weeks_back, days, 3, sick=3 - days)

    # LBW: sick-listed, extended once; hours stepped up to 21,5 and back down to 15.
    case("LBW", "Sygemeldte", Purpose.RETENTION, ago(28), MENTOR_2)
    decisions.record_decision(session=session, actor=MENTOR_2, today=ago(3), data=DecisionCreate(
        ref="LBW", text="Forlænges 13 uger: afventer speciallægeerklæring før fleksjobvurdering",
        category=DecisionCategory.EXTENSION, extension_weeks=13, jobcenter_agreed=True,
        jobcenter_owner=True, due=ago(-2)))
    place("LBW", PlacementKind.HYBRID, "Byggemarkedet Nord", ago(20), contact="Per Lund")
    hours("LBW", "3x4,5", ago(20))
    hours("LBW", "3x5", ago(14))
    hours("LBW", "21,5", ago(9), paid="3")
    hours("LBW", "15", ago(4), paid="3")
    met("LBW", FollowUpKind.WORKPLACE, ago(2), PaidHoursAnswer.LATER)
    met("LBW", FollowUpKind.MENTOR_MEETING, ago(0, 3))

    # EM: the course runs out in three weeks with no decision, and follow-up is overdue.
    case("EM", "LFI", Purpose.FLEX_JOB, ago(23), MENTOR)
    place("EM", PlacementKind.COMPANY_INTERNSHIP, "Café Havnen", ago(12), contact="Sara Kim",
          cadence=FollowUpCadence.WEEKLY)
    hours("EM", "3x4,5", ago(12))
    met("EM", FollowUpKind.WORKPLACE, ago(7))
    met("EM", FollowUpKind.MENTOR_MEETING, ago(1))
    # ... and stays away from the café without notice: raised at the meeting.
    attended("EM", 4, 3, 3)
    attended("EM", 3, 2, 3, sick=1)
    attended("EM", 2, 1, 3, no_show=2)
    attended("EM", 1, 2, 3, no_show=1)

    # Zara: new, every second week, the first small steps in the bike workshop.
    case("Zara", "LFI", Purpose.WORK_CAPACITY, ago(3), MENTOR, cadence=Cadence.BIWEEKLY)
    place("Zara", PlacementKind.OWN_SHOP, "Cykelværkstedet", ago(3))
    hours("Zara", "1x3", ago(3))
    hours("Zara", "2x2", ago(1))

    # ML: closed into a flex job at the internship company ("fleks på fleks").
    case("ML", "Trædesten til job", Purpose.FLEX_JOB, ago(30), MENTOR_2)
    place("ML", PlacementKind.COMPANY_INTERNSHIP, "Vognmand Hansen", ago(25))
    hours("ML", "3x3", ago(25))
    roster.close_case(session=session, ref="ML", outcome=Outcome.FLEX_JOB, closed_on=ago(2),
                      actor=MENTOR_2)


def run_demo(*, database_url: str, clock: Clock, console: Console) -> None:
    engine = make_engine(database_url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    sessions = session_factory(engine)
    today = clock.today()
    with sessions() as session:
        build_demo_roster(session, today)

    with FakeSlack() as slack:
        settings = Settings(SLACK_BOT_TOKEN="xoxb-demo", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                            SLACK_API_URL=slack.api_url, _env_file=None)
        deps = make_deps(settings, sessions, clock=clock)
        app = create_bolt_app(deps)
        # The people's names, as the scheduler asks Slack for them: the CLI and the
        # exports read them from the database (Slack messages mention the users).
        slack.user_names.update(FULL_NAMES)
        refresh_people(deps, app.client)
        server = BackgroundServer(build_wsgi_app(app, engine,
                                                 signing_secret=SIGNING_SECRET)).start()
        driver = SlackDriver(f"http://127.0.0.1:{server.port}{EVENTS_PATH}",
                             SIGNING_SECRET, slack)
        console.print(f"[bold]sparbot demo[/bold] – {today:%d.%m.%Y}: fem opdigtede forløb, "
                      "sådan som teamet ser dem i Slack.\n")
        try:
            steps = [("sager", MENTOR), ("sag ZA", MENTOR), ("sag LBW", MENTOR_2),
                     ("dagsorden", MENTOR), ("beslutninger", MENTOR)]
            for count, (words, user) in enumerate(steps, start=1):
                driver.command(words, user_id=user)
                title = f"/spar {words}"
                reply = slack.wait_for("response_url", count)[count - 1]
                show(console, f"{title}  (kun synlig for dig)", reply.blocks, NAMES)
            for count, user in enumerate((MENTOR, CONSULTANT), start=1):
                driver.open_home(user)
                home = slack.wait_for("views.publish", count)[count - 1]
                show(console, f"App Home – {NAMES[user]}", home.view["blocks"], NAMES)
            morning = clock.now().replace(hour=9, minute=0)
            result = send_due_nudges(deps, app.client, morning, pace=lambda _seconds: None)
            for digest in result.sent:
                user = digest.person.slack_user_id or ""
                [post] = [call for call in slack.calls_to("chat.postMessage")
                          if call.args.get("channel") == user]
                show(console, f"Direkte besked kl. 9 til {NAMES.get(user, user)}", post.blocks,
                     NAMES)
            if not result.sent:
                console.print("[dim]I dag er ikke en arbejdsdag: ingen påmindelser.[/dim]")
            # The results, as an admin asks for them (nobody is configured: all are admins).
            files_before = len(slack.calls_to("files.completeUploadExternal"))
            driver.command("tal efter:alle", user_id=MENTOR)
            slack.wait_for("files.completeUploadExternal", files_before + 1, timeout=30)
            summary = [call for call in slack.calls_to("chat.postMessage")
                       if call.args.get("channel") == MENTOR and call.blocks
                       and call.blocks[0].get("type") == "header"][-1]
            show(console, f"/spar tal efter:alle  (direkte besked til {NAMES[MENTOR]}, "
                          "med PDF'en)", summary.blocks, NAMES)
        finally:
            server.stop()
            app.listener_runner.listener_executor.shutdown(wait=True)
            engine.dispose()
    console.print("\nDemo-sagerne ligger i [green]sparbot-demo.db[/green]. Prøv selv: "
                  "[green]DATABASE_URL=sqlite:///sparbot-demo.db sparbot agenda show --json"
                  "[/green] eller [green]… sparbot people[/green]. README.md forklarer "
                  "opsætningen i Slack.")
