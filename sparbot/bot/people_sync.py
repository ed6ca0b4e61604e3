"""Who the bot's people are, asked of Slack (users.info; users.lookupByEmail for people
given by e-mail, which links them to their Slack account) and kept in the database, so that
exports, the PDF and the CLI show names and no request waits on Slack for them. Run by the
scheduler (the unchecked first, then each again after a day), by `sparbot people
--refresh`, and for one person at a time by Slack's `user_change` event."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import col, or_, select

from sparbot.bot.deps import Deps
from sparbot.models import Person
from sparbot.services.people import find_person_by_slack_id, record_slack_profile

log = logging.getLogger(__name__)

CHECK_AGAIN_AFTER = timedelta(days=1)
PER_RUN = 200  # users.info is Slack's tier 4 (100+ a minute); the job runs every 30 min
_NOT_FOUND = {"user_not_found", "users_not_found"}


@dataclass
class PeopleRefresh:
    checked: int = 0
    named: int = 0
    linked: int = 0  # known by e-mail, now by their Slack account too
    unreachable: list[int] = field(default_factory=list)  # person ids
    failed: int = 0  # Slack said something else: tried again at the next run


def refresh_people(deps: Deps, client: WebClient, *, now: datetime | None = None,
                   limit: int = PER_RUN) -> PeopleRefresh:
    """Ask Slack about the people never checked, then those checked longest ago (a day or
    more). No transaction is held open while Slack answers."""
    now = now or deps.clock.now()
    with deps.session() as session:
        due = [(person.id or 0, person.slack_user_id, person.email) for person in session.exec(
            select(Person).where(
                or_(col(Person.slack_user_id).is_not(None), col(Person.email).is_not(None)),
                or_(col(Person.slack_checked_at).is_(None),
                    col(Person.slack_checked_at) < now - CHECK_AGAIN_AFTER))
            .order_by(col(Person.slack_checked_at).is_not(None), col(Person.slack_checked_at),
                      col(Person.id))
            .limit(limit))]
    answers: list[tuple[int, dict[str, Any] | None]] = []
    result = PeopleRefresh()
    for person_id, slack_id, email in due:
        try:
            answer = (client.users_info(user=slack_id) if slack_id
                      else client.users_lookupByEmail(email=email or ""))
            answers.append((person_id, dict(answer.get("user") or {})))
        except SlackApiError as error:
            code = error.response.get("error")
            if code in _NOT_FOUND:
                answers.append((person_id, None))
            else:  # ratelimited past the client's retries, a token without the scope, …
                log.warning("Slack would not say who person %s is: %s", person_id, code)
                result.failed += 1
                if code in ("ratelimited", "missing_scope", "invalid_auth"):
                    break
    with deps.session() as session:
        for person_id, user in answers:
            before = session.get(Person, person_id)
            had_slack_id = before.slack_user_id if before else None
            person = record_slack_profile(session=session, person_id=person_id, user=user,
                                          now=now)
            if person is None:
                continue
            result.checked += 1
            if person.unreachable:
                result.unreachable.append(person_id)
            elif person.name:
                result.named += 1
            if had_slack_id is None and person.slack_user_id:
                result.linked += 1
    if result.unreachable:
        log.warning("Slack cannot reach %s of the bot's people: `sparbot people "
                    "--unreachable` lists them", len(result.unreachable))
    return result


def record_user_change(deps: Deps, user: dict[str, Any]) -> bool:
    """Slack's `user_change` event: a known person's new name, kept at once (no Slack call).
    People the bot does not know are not stored."""
    user_id = str(user.get("id") or "")
    with deps.session() as session:
        person = find_person_by_slack_id(session=session, slack_user_id=user_id) \
            if user_id else None
        if person is None or person.id is None:
            return False
        record_slack_profile(session=session, person_id=person.id, user=user,
                             now=deps.clock.now())
    return True
