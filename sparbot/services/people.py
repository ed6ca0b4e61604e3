"""Staff and jobcenter consultants, found or created from a Slack id or an e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from sparbot.errors import UserError
from sparbot.models import Person
from sparbot.parsing import MAX_EMAIL, SLACK_USER_ID
from sparbot.privacy import ensure_no_cpr

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
