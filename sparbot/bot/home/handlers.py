"""The App Home: each person's own cases and what is due for them."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from sparbot.bot.deps import Deps
from sparbot.bot.home.blocks import build_home_view
from sparbot.services import decisions, roster
from sparbot.services.audit import AuditAction, audit
from sparbot.services.due import due_for_person
from sparbot.services.people import find_person_by_slack_id

HOME_CASES_LOADED = 500


def publish_home(deps: Deps, client: WebClient, user_id: str,
                 offers: frozenset[str] | None = None) -> None:
    today = deps.clock.today()
    with deps.session() as session:
        person = find_person_by_slack_id(session=session, slack_user_id=user_id)
        snapshots = []
        due = []
        actions = []
        if person is not None and person.id is not None:
            actions = decisions.open_actions_for(session=session, person_id=person.id)
            page = roster.list_roster(session=session, person_id=person.id,
                                      page_size=HOME_CASES_LOADED)
            snapshots = page.snapshots
            due = due_for_person(snapshots, person.id, today)
            audit(session=session, actor=user_id, action=AuditAction.READ, what="home",
                  refs=[snapshot.case.ref for snapshot in snapshots])
    view = build_home_view(user_id, snapshots, due, today, deps.renderer, actions, offers)
    client.views_publish(user_id=user_id, view=view)


def handle_app_home_opened_event(deps: Deps, event: dict[str, Any], client: WebClient,
                                 offers: frozenset[str]) -> None:
    if event.get("tab", "home") == "home":
        publish_home(deps, client, event["user"], offers)
