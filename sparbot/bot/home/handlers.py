"""The App Home: each person's own cases and what is due for them."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from sparbot.bot.deps import Deps
from sparbot.bot.home.blocks import build_home_view
from sparbot.services import decisions, roster
from sparbot.services.access import Role
from sparbot.services.audit import AuditAction, audit
from sparbot.services.due import due_for_person
from sparbot.services.figures import Figures, compute_figures
from sparbot.services.figures_sql import By, Selection
from sparbot.services.people import find_person_by_slack_id
from sparbot.services.team_members import administered_team_ids

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
        figures = admins_figures(deps, session, user_id)
    view = build_home_view(user_id, snapshots, due, today, deps.renderer, actions, offers,
                           figures)
    client.views_publish(user_id=user_id, view=view)


def admins_figures(deps: Deps, session: Session, user_id: str) -> Figures | None:
    """The results for an admin's App Home: the deployment's for its admins, their teams'
    for a team's admins; nobody else's home has them."""
    if deps.settings.access().role_of(user_id) is Role.ADMIN:
        teams = None
    else:
        teams = administered_team_ids(session=session, user_id=user_id)
        if not teams:
            return None
    return compute_figures(session=session, selection=Selection(
        today=deps.clock.today(), team_ids=teams, by=By.NONE))


def handle_app_home_opened_event(deps: Deps, event: dict[str, Any], client: WebClient,
                                 offers: frozenset[str]) -> None:
    if event.get("tab", "home") == "home":
        publish_home(deps, client, event["user"], offers)
