"""Only the configured staff, jobcenter consultants and admins get anything from the bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from sparbot.clock import FixedClock
from sparbot.db import SessionFactory
from sparbot.devtools.fake_slack import FakeSlack
from sparbot.models import HoursEntry
from sparbot.services.access import Access, Role
from tests.conftest import TODAY, Bot, running_bot
from tests.factories import make_case, weeks_ago
from tests.test_slack_commands import block_text, last_reply


@pytest.fixture
def guarded(db: SessionFactory, engine: Engine, slack: FakeSlack, clock: FixedClock
            ) -> Iterator[Bot]:
    with running_bot(db, engine, slack, clock, SPARBOT_STAFF="U0MENTOR,U0CONSULT",
                     SPARBOT_ADMINS="U0ADMIN", SPARBOT_JOBCENTER_USERS="U0JOBCENTER") as bot:
        with bot.db() as session:
            make_case(session, "ZA", start=weeks_ago(TODAY, 5))
        yield bot


def test_someone_not_on_the_staff_is_refused_and_shown_nothing(guarded: Bot) -> None:
    response = guarded.driver.command("sag ZA", user_id="U0STRANGER")
    assert response.status == 200
    assert "Du har ikke adgang til sparbot" in response.body
    assert "ZA" not in response.body
    guarded.driver.command("timer ZA 3", user_id="U0STRANGER")
    guarded.driver.open_home("U0STRANGER")
    home = guarded.slack.wait_for("views.publish")[0].view
    assert "Du har ikke adgang" in block_text(home["blocks"])
    assert guarded.slack.calls_to("response_url") == []
    with guarded.db() as session:
        assert session.exec(select(HoursEntry)).all() == []


def test_staff_and_admins_get_in(guarded: Bot) -> None:
    for count, user in enumerate(("U0MENTOR", "U0ADMIN"), start=1):
        guarded.driver.command("sag ZA", user_id=user)
        assert "ZA – uge 6 af 26" in last_reply(guarded, count)


def test_roles() -> None:
    access = Access(staff=frozenset({"U1"}), admins=frozenset({"U2"}),
                    jobcenter=frozenset({"U3"}))
    assert [access.role_of(user) for user in ("U1", "U2", "U3", "U4")] == [
        Role.STAFF, Role.ADMIN, Role.JOBCENTER, None]
    assert Access().role_of("U9") is Role.ADMIN  # nobody configured: open, with a warning


def test_a_jobcenter_consultant_sees_and_decides_on_their_own_cases_only(guarded: Bot) -> None:
    from sparbot.services import roster
    from sparbot.services.people import PersonRef

    with guarded.db() as session:
        roster.add_case(session=session, actor="U0MENTOR", data=roster.CaseCreate(
            ref="JC", programme="LFI", purpose="flex-job", start_date=weeks_ago(TODAY, 5),  # type: ignore[arg-type]
            mentor=PersonRef(slack_user_id="U0MENTOR"),
            jobcenter_consultant=PersonRef(slack_user_id="U0JOBCENTER")))
    guarded.driver.command("sag ZA", user_id="U0JOBCENTER")
    assert "Jeg kan ikke finde en sag med referencen «ZA»" in last_reply(guarded, 1)
    guarded.driver.command("sag JC", user_id="U0JOBCENTER")
    assert "JC – uge 6 af 26" in last_reply(guarded, 2)
    guarded.driver.command("sager", user_id="U0JOBCENTER")
    roster_text = last_reply(guarded, 3)
    assert "*JC*" in roster_text and "*ZA*" not in roster_text
    guarded.driver.command("timer JC 3", user_id="U0JOBCENTER")
    assert "Som jobcenterkonsulent kan du se og træffe beslutninger" in last_reply(guarded, 4)
    guarded.driver.command("eksport", user_id="U0JOBCENTER")
    assert "kun eksporteres af en administrator" in last_reply(guarded, 5)


def test_only_admins_export_everything(guarded: Bot) -> None:
    guarded.driver.command("eksport", user_id="U0MENTOR")
    assert "kun eksporteres af en administrator" in last_reply(guarded, 1)
    guarded.driver.command("eksport", user_id="U0ADMIN")
    assert "Eksporten (0 linjer) er sendt til dig" in last_reply(guarded, 2)
