"""The sparring meeting end to end: the agenda on request, posted once on schedule (also
with two replicas racing), one message per case, attendance and items ticked off."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from sparbot.bot.agenda.posting import Outcome, PostResult, post_weekly_agenda
from sparbot.bot.app import make_deps
from sparbot.clock import FixedClock
from sparbot.config import Settings
from sparbot.enums import FollowUpKind, PlacementKind
from sparbot.models import AgendaItem, AgendaRequest, Meeting, OutboxMessage
from tests.conftest import TEAM_CHANNEL, TODAY, Bot
from tests.factories import follow_up, make_case, placement, weeks_ago
from tests.test_slack_commands import block_text, last_reply

CPH = ZoneInfo("Europe/Copenhagen")
# The clock stands at Tuesday 24 Nov 10:00, as the meeting starts: the next is 1 December,
# its agenda due on Monday 30 November at 14:00.
NEXT_MEETING = date(2026, 12, 1)
POSTING = datetime(2026, 11, 30, 14, 0, tzinfo=CPH)


def sole(results: list[PostResult]) -> PostResult:
    """With no teams, the weekly job posts the deployment's own agenda alone."""
    [result] = results
    return result


def team(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "EM", start=weeks_ago(TODAY, 23))  # ends within 4 weeks
        make_case(session, "ZA", start=weeks_ago(TODAY, 10))
        placement(session, "ZA", PlacementKind.COMPANY_INTERNSHIP, "Plejehjemmet Solbakken",
                  weeks_ago(TODAY, 9), today=TODAY)
        make_case(session, "LBW", start=weeks_ago(TODAY, 5))
        follow_up(session, "LBW", FollowUpKind.MENTOR_MEETING, TODAY, today=TODAY)


def channel_posts(bot: Bot) -> list[dict[str, object]]:
    return [call.args for call in bot.slack.calls_to("chat.postMessage")
            if call.args.get("channel") == TEAM_CHANNEL and not call.args.get("thread_ts")]


def test_the_agenda_on_request_with_a_case_asked_for(bot: Bot) -> None:
    team(bot)
    bot.driver.command('dagsorden tilføj LBW Praktikken stopper – hvad nu?')
    assert "LBW er sat på dagsordenen til mødet tirsdag 1. dec 2026" in last_reply(bot)
    bot.driver.command("dagsorden")
    reply = bot.slack.wait_for("response_url", 2)[1]
    assert reply.blocks[0]["text"]["text"] == \
        "Dagsorden: sparringsmøde tirsdag 1. dec 2026 kl. 10:00"
    text = block_text(reply.blocks)
    assert text.index("*1. LBW*") < text.index("*2. EM*")
    assert "Ønsket af <@U0MENTOR>: «Praktikken stopper – hvad nu?»" in text
    assert "Forløbet slutter" in text and ":classical_building:" in text
    assert bot.slack.calls_to("chat.postMessage") == []  # only the asker saw it


def test_posting_now_sends_one_message_per_case_and_only_once(bot: Bot) -> None:
    team(bot)
    bot.driver.command("dagsorden post")
    assert f"Dagsordenen er sendt til <#{TEAM_CHANNEL}>" in last_reply(bot)
    posts = channel_posts(bot)
    overview, items = posts[0], posts[1:]
    assert "Dagsorden: sparringsmøde tirsdag 1. dec 2026" in block_text(overview["blocks"])  # type: ignore[arg-type]
    assert [block_text(item["blocks"]).split("*")[1] for item in items] == [  # type: ignore[arg-type]
        "1. EM", "2. ZA"]
    em = block_text(items[0]["blocks"])  # type: ignore[arg-type]
    assert "Mentor <@U0MENTOR> · virksomhedskonsulent <@U0CONSULT>" in em
    assert "Skriv beslutninger i tråden" in em
    bot.driver.command("dagsorden post")
    assert "allerede sendt" in last_reply(bot, 2)
    assert len(channel_posts(bot)) == 3
    with bot.db() as session:
        meeting = session.exec(select(Meeting)).one()
        rows = session.exec(select(AgendaItem).order_by(AgendaItem.position)).all()  # type: ignore[arg-type]
    assert meeting.status == "posted" and meeting.held_on == NEXT_MEETING
    assert all(row.thread_ts for row in rows if row.reached)


def test_the_scheduled_job_posts_at_its_hour_once_even_racing(bot: Bot) -> None:
    team(bot)
    assert sole(post_weekly_agenda(bot.deps, bot.client,
                              POSTING - timedelta(minutes=1))).outcome is Outcome.NOT_YET
    assert channel_posts(bot) == []
    outcomes: list[Outcome] = []

    def replica() -> None:  # another process: its own deps over the same database
        deps = make_deps(bot.deps.settings, bot.db, clock=FixedClock(POSTING))
        outcomes.append(sole(post_weekly_agenda(deps, bot.client, POSTING)).outcome)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([Outcome.POSTED, Outcome.ALREADY_POSTED])
    assert sole(post_weekly_agenda(bot.deps, bot.client,
                              POSTING + timedelta(hours=1))).outcome is Outcome.ALREADY_POSTED
    overviews = [post for post in channel_posts(bot)
                 if "Dagsorden:" in block_text(post["blocks"])]  # type: ignore[arg-type]
    assert len(overviews) == 1


def test_a_cancelled_meeting_is_announced_not_silent(bot: Bot) -> None:
    team(bot)
    settings = Settings(**{**bot.deps.settings.model_dump(by_alias=True),
                           "SPARBOT_CLOSURE_DAYS": "2026-12-01",
                           "SPARBOT_HOLIDAY_POLICY": "cancel"})
    deps = make_deps(settings, bot.db, clock=FixedClock(POSTING))
    result = sole(post_weekly_agenda(deps, bot.client, POSTING))
    assert result.outcome is Outcome.CANCELLATION_POSTED
    [post] = channel_posts(bot)
    assert "Sparringsmødet tirsdag 1. dec 2026 er aflyst (lukkedag)" in \
        block_text(post["blocks"])  # type: ignore[arg-type]


def test_jobcenter_absent_flags_the_items_that_need_it(bot: Bot) -> None:
    team(bot)
    bot.driver.command("dagsorden post")
    bot.slack.wait_for("response_url")
    overview_call = next(call for call in bot.slack.calls_to("chat.postMessage")
                         if "Dagsorden:" in block_text(call.blocks))
    absent = next(element for block in overview_call.blocks if block["type"] == "actions"
                  for element in block["elements"] if element["action_id"] == "jobcenter-absent")
    bot.driver.click("jobcenter-absent", absent["value"], message=overview_call.message,
                     user_id="U0JOBCENTER")
    update = bot.slack.wait_for("chat.update")[0]
    assert update.args["ts"] == overview_call.response["ts"]
    text = block_text(update.blocks)
    assert "deltager ikke (markeret af <@U0JOBCENTER>)" in text
    assert "find en stedfortræder før mødet: EM" in text
    flagged = bot.slack.wait_for("chat.postMessage", 4)[-1]
    assert flagged.args["thread_ts"] == overview_call.response["ts"]
    with bot.db() as session:
        assert session.exec(select(Meeting)).one().jobcenter_present is False


def test_ticking_an_item_off_updates_it_and_keeps_it_off_the_next_agenda(bot: Bot) -> None:
    team(bot)
    bot.driver.command("dagsorden post")
    bot.slack.wait_for("response_url")
    item_call = next(call for call in bot.slack.calls_to("chat.postMessage")
                     if block_text(call.blocks).startswith("*1. EM*"))
    done = next(element for block in item_call.blocks if block["type"] == "actions"
                for element in block["elements"]
                if element["action_id"] == "agenda-item-discussed")
    bot.driver.click("agenda-item-discussed", done["value"], message=item_call.message)
    update = bot.slack.wait_for("chat.update")[0]
    assert "Behandlet – markeret af <@U0MENTOR>" in block_text(update.blocks)
    assert all(block["type"] != "actions" for block in update.blocks)
    with bot.db() as session:
        discussed = session.exec(select(AgendaItem).where(AgendaItem.discussed)).all()
        assert len(discussed) == 1
        assert session.exec(select(AgendaRequest)).all() == []


def test_a_long_agenda_splits_within_slacks_limits(bot: Bot) -> None:
    with bot.db() as session:
        for number in range(70):
            make_case(session, f"K{number:02d}", start=weeks_ago(TODAY, 24, days=number % 6))
    settings = Settings(**{**bot.deps.settings.model_dump(by_alias=True),
                           "SPARBOT_MEETING_MINUTES": "480", "SPARBOT_MINUTES_PER_CASE": "5"})
    deps = make_deps(settings, bot.db, clock=FixedClock(POSTING))
    assert sole(post_weekly_agenda(deps, bot.client, POSTING)).outcome is Outcome.POSTED
    posts = channel_posts(bot)
    assert len(posts) == 1 + 70
    assert "*70. K" in block_text(posts[0]["blocks"])  # type: ignore[arg-type]
    assert bot.slack.problems == []


def test_the_case_view_button_puts_a_case_on_the_agenda(bot: Bot) -> None:
    team(bot)
    bot.driver.command("sag ZA")
    buttons = bot.slack.wait_for("response_url")[0].blocks[-1]["elements"]
    agenda_button = next(b for b in buttons if b["action_id"] == "agenda-add")
    bot.driver.click("agenda-add", agenda_button["value"])
    view = bot.slack.wait_for("views.open")[0].view
    assert view["title"]["text"] == "Sæt ZA på dagsordenen"
    answer = bot.driver.submit(view, {"reason": ""}).json()
    assert answer["errors"]["reason"] == "Udfyld dette felt."
    bot.driver.submit(view, {"reason": "Lederen vil ansætte i fleksjob"})
    dm = bot.slack.wait_for("chat.postMessage")[0]
    assert "ZA er sat på dagsordenen til mødet tirsdag 1. dec 2026" in block_text(dm.blocks)
    with bot.db() as session:
        assert session.exec(select(AgendaRequest)).one().reason == \
            "Lederen vil ansætte i fleksjob"


def test_the_job_keeps_its_local_hour_across_the_change_to_winter_time(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=date(2026, 10, 20))
    # The meeting on Tuesday 27 October; summer time ended on Sunday the 25th.
    before = datetime(2026, 10, 26, 13, 59, tzinfo=CPH)
    assert before.utcoffset() == timedelta(hours=1)
    assert sole(post_weekly_agenda(bot.deps, bot.client, before)).outcome is Outcome.NOT_YET
    result = sole(post_weekly_agenda(bot.deps, bot.client, before + timedelta(minutes=1)))
    assert result.outcome is Outcome.POSTED and result.plan.held_on == date(2026, 10, 27)


def test_the_agenda_flags_a_jobcenter_consultant_who_is_away(bot: Bot) -> None:
    from sparbot.services import absences
    from sparbot.services.roster import get_case

    team(bot)
    with bot.db() as session:
        case = get_case(session=session, ref="EM")
        absences.record_absence(session=session, person_id=case.jobcenter_consultant_id or 0,
                                starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 11),
                                actor=None, today=TODAY)
        absences.record_absence(session=session, person_id=case.mentor_id,
                                starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 11),
                                actor=None, today=TODAY)
    bot.driver.command("dagsorden")
    text = last_reply(bot)
    assert "jobcenterkonsulenten er væk til 11. dec – find en stedfortræder" in text
    assert "Mentor <@U0MENTOR> er væk til 11. dec – skal en anden overtage opgaverne" in text


def test_the_agenda_is_never_posted_to_a_channel_that_is_not_private(bot: Bot) -> None:
    team(bot)
    bot.slack.private_channels.discard(TEAM_CHANNEL)
    settings = Settings(**{**bot.deps.settings.model_dump(by_alias=True),
                           "SPARBOT_ADMINS": "U0ADMIN"})
    deps = make_deps(settings, bot.db, clock=FixedClock(POSTING))
    result = sole(post_weekly_agenda(deps, bot.client, POSTING))
    assert result.outcome is Outcome.NOT_PRIVATE
    assert channel_posts(bot) == []
    [to_admin] = bot.slack.calls_to("chat.postMessage")
    assert to_admin.args["channel"] == "U0ADMIN"
    assert "er ikke en privat kanal" in to_admin.args["text"]
    with bot.db() as session:
        assert session.exec(select(Meeting)).all() == []


def test_slack_down_at_posting_time_is_queued_and_posted_once(bot: Bot) -> None:
    team(bot)
    bot.slack.fail_next("chat.postMessage", status=503, times=3)  # beyond the client's retries
    first = sole(post_weekly_agenda(bot.deps, bot.client, POSTING))
    assert (first.outcome, first.sent, first.total) == (Outcome.QUEUED, 0, 3)
    with bot.db() as session:  # recorded, and its messages queued: nothing is lost
        assert session.exec(select(Meeting)).one().status == "posting"
        assert len(session.exec(select(OutboxMessage)).all()) == 3
    later = POSTING + timedelta(minutes=10)  # the job's next run
    assert sole(post_weekly_agenda(bot.deps, bot.client, later)).outcome is Outcome.POSTED
    assert sole(post_weekly_agenda(bot.deps, bot.client, later)).outcome is Outcome.ALREADY_POSTED
    posts = channel_posts(bot)
    assert [block_text(post["blocks"]).count("Dagsorden:")  # type: ignore[arg-type]
            for post in posts] == [1, 0, 0]  # the overview once, then its two cases
    with bot.db() as session:
        assert session.exec(select(Meeting)).one().status == "posted"
        assert all(item.thread_ts for item in session.exec(select(AgendaItem)) if item.reached)


def test_who_attends_typed_as_the_meeting_begins_is_about_that_meeting(bot: Bot) -> None:
    """Issue 17's bug: `/spar deltagere jobcenter ja` at 10:02, two minutes into the
    meeting, marked next week's."""
    team(bot)
    for moment, meeting_day in (
            (datetime(2026, 11, 24, 10, 2, tzinfo=CPH), date(2026, 11, 24)),
            (datetime(2026, 11, 24, 16, 30, tzinfo=CPH), date(2026, 11, 24)),
            (datetime(2026, 11, 25, 9, 0, tzinfo=CPH), date(2026, 12, 1))):
        bot.clock.instant = moment
        bot.driver.command("deltagere jobcenter ja")
        bot.idle()
        with bot.db() as session:
            marked = [meeting.regular_date for meeting in session.exec(select(Meeting))
                      if meeting.jobcenter_present]
        assert marked[-1] == meeting_day, (moment, marked)
        assert date(2026, 12, 1) not in marked or meeting_day == date(2026, 12, 1)


def test_the_course_end_line_counts_the_week_as_the_heading_and_the_digest_do(
        bot: Bot) -> None:
    """Issue 17's bug: the course-end line said "uge 26 af 26" (the week the course ends)
    while the item's heading said the week the meeting is in."""
    team(bot)
    bot.driver.command("dagsorden")
    text = block_text(bot.slack.wait_for("response_url")[0].blocks)
    item = text[text.index("*1. EM* · "):]
    heading_week = item.split("uge ", 1)[1].split(" af ")[0]
    assert heading_week == "25"  # EM's week at the meeting of 1 December
    assert "Forløbet slutter 14. dec 2026 (uge 25 af 26)" in item, item
    assert "(uge 26 af 26)" not in text
