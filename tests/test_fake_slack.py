"""The fake Slack itself: it must refuse what Slack would refuse, or the other tests prove
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from sparbot.devtools.fake_slack import FakeSlack


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def client(fake: FakeSlack, **kwargs: object) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url, **kwargs)  # type: ignore[arg-type]


def test_it_refuses_more_than_50_blocks_and_overlong_sections() -> None:
    with FakeSlack() as fake:
        with pytest.raises(SlackApiError) as caught:
            client(fake).chat_postMessage(channel="C1", text="x",
                                          blocks=[section("x")] * 51)
        assert caught.value.response["error"] == "invalid_blocks"
        with pytest.raises(SlackApiError):
            client(fake).chat_postMessage(channel="C1", text="x", blocks=[section("x" * 3001)])
        with pytest.raises(SlackApiError):
            client(fake).chat_postMessage(channel="C1", text="x", blocks=[
                {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}])
        assert len(fake.problems) == 3
        assert fake.calls_to("chat.postMessage") == []


def test_it_refuses_a_home_view_of_more_than_100_blocks() -> None:
    with FakeSlack() as fake:
        with pytest.raises(SlackApiError):
            client(fake).views_publish(user_id="U1", view={
                "type": "home", "blocks": [section("x")] * 101})
        client(fake).views_publish(user_id="U1", view={"type": "home",
                                                       "blocks": [section("x")] * 100})
        assert len(fake.calls_to("views.publish")) == 1
        fake.problems.clear()


def test_it_answers_429_with_retry_after_and_the_client_waits() -> None:
    with FakeSlack() as fake:
        fake.fail_next("chat.postMessage", status=429, retry_after=1)
        web = client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
        answer = web.chat_postMessage(channel="C1", text="hej")
        assert answer["ok"] is True
        limited, posted = fake.calls[0], fake.calls[1]
        assert limited.method == "chat.postMessage!429" and posted.method == "chat.postMessage"
        assert posted.at - limited.at >= 0.9


def test_it_answers_ok_false_like_slack() -> None:
    with FakeSlack() as fake:
        fake.fail_next("views.open", error="expired_trigger_id")
        with pytest.raises(SlackApiError) as caught:
            client(fake).views_open(trigger_id="1.2.3", view={
                "type": "modal", "title": {"type": "plain_text", "text": "x"},
                "blocks": [section("x")]})
        assert caught.value.response["error"] == "expired_trigger_id"


def test_it_checks_calls_against_slacks_published_spec_when_present() -> None:
    with FakeSlack() as fake:
        if fake.reference is None:
            pytest.skip("../shared/slack-reference is absent: the spec layer is skipped")
        with pytest.raises(SlackApiError):
            client(fake).api_call("chat.postMessagee", json={"channel": "C1", "text": "x"})
        with pytest.raises(SlackApiError):  # a block type Slack does not have
            client(fake).chat_postMessage(channel="C1", text="x",
                                          blocks=[{"type": "banner", "text": "x"}])
        assert any("not a Slack Web API method" in problem for problem in fake.problems)
        fake.problems.clear()
