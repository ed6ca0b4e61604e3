"""Slack misbehaving: rate limits and server errors are retried; a user is never left
without an answer, and nothing is done twice."""

from __future__ import annotations

from sqlmodel import select

from sparbot.models import Case
from tests.conftest import TODAY, Bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_modals import CASE_FORM, open_case_form


def test_a_rate_limited_confirmation_is_retried_and_sent_once(bot: Bot) -> None:
    view = open_case_form(bot)
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=1)
    assert bot.driver.submit(view, CASE_FORM).status == 200
    sent = bot.slack.wait_for("chat.postMessage", timeout=5)
    assert len(sent) == 1
    assert [call.method for call in bot.slack.calls].count("chat.postMessage!429") == 1
    with bot.db() as session:
        assert len(session.exec(select(Case)).all()) == 1


def test_a_server_error_on_the_app_home_is_retried(bot: Bot) -> None:
    with bot.db() as session:
        make_case(session, "ZA", start=weeks_ago(TODAY, 2))
    bot.slack.fail_next("views.publish", status=503)
    bot.driver.open_home("U0MENTOR")
    published = bot.slack.wait_for("views.publish", timeout=5)
    assert len(published) == 1


def test_a_failed_confirmation_dm_never_undoes_the_saved_change(bot: Bot) -> None:
    view = open_case_form(bot)
    bot.slack.fail_next("chat.postMessage", error="channel_not_found")
    assert bot.driver.submit(view, CASE_FORM).status == 200
    bot.slack.wait_for("chat.postMessage", timeout=5)
    with bot.db() as session:
        assert session.exec(select(Case)).one().ref == "LBW"


def test_a_form_that_cannot_open_tells_the_user(bot: Bot) -> None:
    bot.slack.fail_next("views.open", error="expired_trigger_id")
    bot.driver.command("sag ny")
    reply = bot.slack.wait_for("response_url")[0]
    assert "Noget gik galt hos mig" in str(reply.blocks)


def test_a_database_failing_mid_request_tells_the_user_and_writes_nothing(
        db: object, engine: object, slack: object, clock: object) -> None:
    from collections.abc import Iterator
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from sparbot.models import HoursEntry
    from tests.conftest import running_bot

    calls = {"count": 0}

    @contextmanager
    def flaky_sessions() -> Iterator[Session]:
        # The database goes away as the change is committed.
        with db() as session:  # type: ignore[operator]
            yield session
            calls["count"] += 1
            raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    with db() as session:  # type: ignore[operator]
        make_case(session, "ZA", start=weeks_ago(TODAY, 3))
    with running_bot(flaky_sessions, engine, slack, clock) as bot:  # type: ignore[arg-type]
        bot.driver.command("timer ZA 3x3")
        reply = bot.slack.wait_for("response_url")[0]
        assert "kan ikke få fat i min database lige nu, så intet blev gemt" in str(reply.blocks)
        assert calls["count"] == 2  # the replay guard (which lets it pass), then the command
    with db() as session:  # type: ignore[operator]
        from sqlmodel import select

        assert session.exec(select(HoursEntry)).all() == []
