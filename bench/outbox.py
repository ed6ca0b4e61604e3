"""The outbox's cost, printed by `python -m bench`: `/spar beslut` from request to reply
(the decision saved, its message queued and sent) beside the same decision saved and
posted directly; and a sweep draining queued messages beside as many direct posts."""

from __future__ import annotations

import statistics
import time
from datetime import date

from sqlalchemy import Engine

from bench.pool import TrackedPool
from sparbot.db import SessionFactory

Figure = tuple[str, str, str]


def outbox_figures(sessions: SessionFactory, label: str, today: date,
                   queued: int = 1000) -> list[Figure]:
    """What the outbox costs a person and a replica: `/spar beslut` round trips beside the
    same decision saved and posted straight away; a sweep of `queued` messages beside as
    many posts made directly."""
    from sparbot.bot.app import create_bolt_app, make_deps
    from sparbot.bot.decisions import blocks as decision_blocks
    from sparbot.bot.delivery import sweep_outbox
    from sparbot.bot.replies import fallback_text
    from sparbot.bot.server import EVENTS_PATH, BackgroundServer, build_wsgi_app
    from sparbot.config import Settings
    from sparbot.devtools.driver import SlackDriver
    from sparbot.devtools.fake_slack import FakeSlack
    from sparbot.services import decisions, outbox
    from sparbot.services.people import PersonRef

    figures: list[Figure] = []
    channel = "C0BENCHTEAM"
    with FakeSlack(validate_reference=False) as slack:
        slack.private_channels.add(channel)
        settings = Settings(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="bench",
                            SLACK_API_URL=slack.api_url, SPARBOT_STAFF="U0MENTOR",
                            SPARBOT_CHANNEL=channel, _env_file=None)
        deps = make_deps(settings, sessions)
        pool = TrackedPool(max_workers=32)
        app = create_bolt_app(deps, listener_executor=pool)
        server = BackgroundServer(build_wsgi_app(app, sessions_engine(sessions))).start()
        try:
            driver = SlackDriver(f"http://127.0.0.1:{server.port}{EVENTS_PATH}", "bench",
                                 slack)
            rounds, reads = [], []
            for number in range(100):
                started = time.perf_counter()
                driver.command(f"beslut C00001 Bench-beslutning {number} ansvarlig:<@U0MENTOR>")
                slack.wait_for("response_url", 2 * number + 1, timeout=60)
                rounds.append(time.perf_counter() - started)
                pool.wait_idle()
                started = time.perf_counter()  # the same path, writing nothing
                driver.command("sag C00001")
                slack.wait_for("response_url", 2 * number + 2, timeout=60)
                reads.append(time.perf_counter() - started)
                pool.wait_idle()
            direct = []
            for number in range(100):
                started = time.perf_counter()
                with sessions() as session:
                    view = decisions.record_decision(
                        session=session, actor="U0MENTOR", today=today,
                        data=decisions.DecisionCreate(
                            ref="C00001", text=f"Direkte {number}",
                            owners=[PersonRef(slack_user_id="U0MENTOR")]))
                message = decision_blocks.build_decision_message(view, deps.renderer)
                app.client.chat_postMessage(channel=channel, text=fallback_text(message),
                                            blocks=[block.to_dict() for block in message])
                direct.append(time.perf_counter() - started)
            rounds.sort()
            reads.sort()
            direct.sort()
            figures.append((f"{label}: /spar beslut, request to reply (median, p99)",
                            f"{statistics.median(rounds) * 1000:.1f} / "
                            f"{rounds[98] * 1000:.1f} ms",
                            f"/spar sag request to reply {statistics.median(reads) * 1000:.1f}"
                            f" ms; a decision saved and posted directly, no request, "
                            f"{statistics.median(direct) * 1000:.1f} ms"))
            blocks = [block.to_dict() for block in
                      decision_blocks.build_decision_message(view, deps.renderer)]
            with sessions() as session:
                for _ in range(queued):
                    outbox.enqueue(session=session, kind="bench", channel_id=channel,
                                   text="bench", blocks=blocks)
            slack.clear()
            drained = sweep_outbox(deps, app.client)
            assert drained.sent == queued, drained
            started = time.perf_counter()
            for _ in range(queued):
                app.client.chat_postMessage(channel=channel, text="bench", blocks=blocks)
            posting = time.perf_counter() - started
            figures.append((f"{label}: outbox sweep draining {queued:,} queued messages",
                            f"{drained.seconds:.2f} s ({queued / drained.seconds:.0f}/s)",
                            f"{queued:,} direct posts {posting:.2f} s "
                            f"({queued / posting:.0f}/s); Slack's own limit is about 1 "
                            "message a second a channel"))
        finally:
            server.stop()
            app.listener_runner.listener_executor.shutdown(wait=True)
    return figures


def sessions_engine(sessions: SessionFactory) -> Engine:
    with sessions() as session:
        return session.get_bind().engine
