"""Staff and jobcenter consultants, found or created from a Slack id or an e-mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, func, select

from sparbot.errors import UserError
from sparbot.models import NudgePreference, Person
from sparbot.parsing import MAX_EMAIL, SLACK_USER_ID
from sparbot.privacy import contains_cpr, ensure_no_cpr

log = logging.getLogger(__name__)
MAX_NAME = 200


@dataclass(frozen=True)
class PersonRef:
    """Who someone is, as given in input: a Slack user, or a name and/or e-mail."""

    slack_user_id: str | None = None
    name: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        """Every person given to the bot (a command, a form, a file, the CLI) is checked
        here: a Slack id is one, a name and an e-mail fit where they are kept."""
        if not (self.slack_user_id or self.name or self.email):
            raise UserError("bad_person", text="")
        if self.slack_user_id is not None and not SLACK_USER_ID.fullmatch(self.slack_user_id):
            raise UserError("bad_person", text=self.slack_user_id)
        if self.email is not None and (len(self.email) > MAX_EMAIL or "@" not in self.email):
            raise UserError("bad_email", text=self.email)
        if self.name is not None and len(self.name) > MAX_NAME:
            raise UserError("text_too_long", maximum=MAX_NAME)


def resolve_person(*, session: Session, ref: PersonRef) -> Person:
    ensure_no_cpr(ref.name, ref.email)
    person: Person | None = None
    if ref.slack_user_id:
        person = session.exec(
            select(Person).where(Person.slack_user_id == ref.slack_user_id)).first()
    elif ref.email:
        person = session.exec(select(Person).where(Person.email == ref.email.lower())).first()
    if person is None:
        person = Person(slack_user_id=ref.slack_user_id, name=ref.name,
                        email=ref.email.lower() if ref.email else None)
        session.add(person)
        session.flush()
    elif ref.name and not person.name:
        person.name = ref.name
    return person


def find_person_by_slack_id(*, session: Session, slack_user_id: str) -> Person | None:
    return session.exec(select(Person).where(Person.slack_user_id == slack_user_id)).first()


def people_by_id(*, session: Session, ids: Iterable[int | None]) -> dict[int | None, Person]:
    """The people with these ids, in one query (ids that are None are skipped)."""
    wanted = {person_id for person_id in ids if person_id is not None}
    if not wanted:
        return {}
    return {person.id: person for person in session.exec(
        select(Person).where(col(Person.id).in_(wanted)))}


def name_from_slack(user: dict[str, Any]) -> str | None:
    """The name a person goes by in Slack: their full name, else their display name."""
    profile = user.get("profile") or {}
    for name in (profile.get("real_name"), user.get("real_name"),
                 profile.get("display_name"), user.get("name")):
        if isinstance(name, str) and name.strip() and not contains_cpr(name):
            return name.strip()[:MAX_NAME]
    return None


def record_slack_profile(*, session: Session, person_id: int, user: dict[str, Any] | None,
                         now: datetime) -> Person | None:
    """What Slack said about a person: their name (kept for exports, the PDF and the CLI;
    Slack messages mention them), their Slack account when they were known by e-mail, or
    that Slack cannot reach them (no account, or deactivated). None if they are gone."""
    person = session.get(Person, person_id)
    if person is None:
        return None
    person.slack_checked_at = now
    if user is None or user.get("deleted"):
        person.unreachable = True
        return person
    person.unreachable = False
    name = name_from_slack(user)
    if name and (person.slack_user_id is not None or not person.name):
        person.name = name  # a Slack user's own name; a name the team typed is kept
    email = (user.get("profile") or {}).get("email")
    if isinstance(email, str) and not person.email and len(email) <= MAX_EMAIL:
        person.email = email.lower()
    user_id = str(user.get("id") or "")
    if person.slack_user_id is None and SLACK_USER_ID.fullmatch(user_id):
        taken = find_person_by_slack_id(session=session, slack_user_id=user_id)
        if taken is None:
            person.slack_user_id = user_id  # known by e-mail: now linked, and nudged
        else:  # the same person twice, by e-mail and by Slack: one, with all of both
            return merge_person(session=session, duplicate=person, into=taken)
    return person


def merge_person(*, session: Session, duplicate: Person, into: Person) -> Person:
    """Fold `duplicate` into `into`: every row that names the duplicate (cases, placements,
    actions, absences, digests, preferences; any table with a key to person) names `into`
    instead, what `into` lacks of name and e-mail is taken over, and the duplicate goes.
    Where `into` already has the one row a person may have (a day's digest, the nudge
    settings), its own is kept."""
    assert duplicate.id is not None and into.id is not None
    old, new = duplicate.id, into.id
    session.flush()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if not any(key.column.table.name == "person" for key in column.foreign_keys):
                continue
            if table.name == "digest":
                taken_days = sa.select(table.c.day).where(table.c.person_id == new)
                session.execute(sa.delete(table).where(
                    table.c.person_id == old, table.c.day.in_(taken_days)))
            elif table.name == "nudge_preference" and session.get(NudgePreference,
                                                                   new) is not None:
                session.execute(sa.delete(table).where(table.c.person_id == old))
            session.execute(sa.update(table).where(column == old).values({column.name: new}))
    name, email = duplicate.name, duplicate.email
    session.delete(duplicate)
    session.flush()
    into.name = into.name or name
    into.email = into.email or email
    session.flush()
    session.expire_all()  # the rows changed beneath the session's objects
    log.info("person %s was person %s by e-mail: merged", new, old)
    return into


def reachable_in_slack(person: Person | None) -> bool:
    """Whether the bot can send them anything: a Slack user Slack has not disowned."""
    return person is not None and bool(person.slack_user_id) and not person.unreachable


@dataclass(frozen=True)
class PersonLine:
    person: Person
    as_mentor: int  # active cases
    as_consultant: int
    as_jobcenter: int

    @property
    def status(self) -> str:
        """in-slack, unreachable (Slack cannot find them), or not-checked (not asked yet)."""
        if self.person.unreachable:
            return "unreachable"
        if self.person.slack_user_id and self.person.slack_checked_at is not None:
            return "in-slack"
        return "not-checked" if self.person.slack_checked_at is None else "unreachable"


def list_people(*, session: Session, unreachable_only: bool = False) -> list[PersonLine]:
    """Everyone the bot knows, with their active cases by role; `unreachable_only`: those
    the bot cannot send anything (Slack cannot find them, or they have no Slack account),
    who have a role on an active case."""
    from sparbot.enums import CaseStatus
    from sparbot.models import Case

    counts: dict[int, list[int]] = {}
    for position, column in enumerate((Case.mentor_id, Case.company_consultant_id,
                                       Case.jobcenter_consultant_id)):
        for person_id, count in session.exec(
                select(col(column), func.count()).where(Case.status == CaseStatus.ACTIVE,
                                                        col(column).is_not(None))
                .group_by(col(column))):
            counts.setdefault(int(person_id or 0), [0, 0, 0])[position] = int(count)
    lines = [PersonLine(person, *counts.get(person.id or 0, [0, 0, 0]))
             for person in session.exec(select(Person).order_by(
                 col(Person.name), col(Person.email), col(Person.id)))]
    if unreachable_only:
        lines = [line for line in lines if not reachable_in_slack(line.person)
                 and (line.as_mentor or line.as_consultant or line.as_jobcenter)]
    return lines


def count_unreachable(*, session: Session) -> int:
    """The people on active cases whom Slack cannot reach (`list_people`'s unreachable), in
    one count: /healthz asks every half minute."""
    from sparbot.enums import CaseStatus
    from sparbot.models import Case

    on_active = sa.exists().where(col(Case.status) == CaseStatus.ACTIVE, sa.or_(
        col(Case.mentor_id) == col(Person.id), col(Case.company_consultant_id) == col(Person.id),
        col(Case.jobcenter_consultant_id) == col(Person.id)))
    return int(session.exec(select(func.count()).select_from(Person).where(
        sa.or_(col(Person.slack_user_id).is_(None), col(Person.unreachable).is_(True)),
        on_active)).one())
