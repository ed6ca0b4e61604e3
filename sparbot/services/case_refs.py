"""A case named by a person: its reference (initials or a pseudonym), unique among the
active cases of one team, so two teams (two providers) may each have a "ZA". A reference
that more than one team holds is told apart by the team it is typed in, or by the team's
name after it ("ZA@nord"). Buttons and forms carry a case's own token ("#123"), never a
reference that another team might share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from sparbot.enums import CaseStatus
from sparbot.errors import UserError
from sparbot.models import Case, Team
from sparbot.privacy import ensure_no_cpr

TOKEN = "#"  # "#123": the case whose id is 123


def normalise_ref(ref: str) -> str:
    return ref.strip().casefold()


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def case_token(case: _HasId) -> str:
    """What a button or a form carries to name exactly this case."""
    return f"{TOKEN}{case.id}"


def find_active_case(*, session: Session, ref: str, team_id: int | None) -> Case | None:
    """The active case with this reference in one team (None: the deployment's own)."""
    team = col(Case.team_id).is_(None) if team_id is None else col(Case.team_id) == team_id
    return session.exec(select(Case).where(
        Case.ref_key == normalise_ref(ref), Case.status == CaseStatus.ACTIVE, team)).first()


def get_case(*, session: Session, ref: str, include_closed: bool = True,
             within: ColumnElement[bool] | None = None, prefer_team: int | None = None
             ) -> Case:
    """The case a person names: a token, or a reference (optionally `ZA@team`) among the
    active cases `within` keeps (those the person may see), the one in `prefer_team` (the
    team of the channel it was typed in) if several teams hold it; else, if allowed, the
    latest closed case with the reference.

    An unknown reference raises a UserError naming similar references the person may see;
    one that several teams hold, a UserError saying how to name the team."""
    ensure_no_cpr(ref)
    if ref.startswith(TOKEN) and ref[1:].isascii() and ref[1:].isdigit() and len(ref) < 12:
        found = session.exec(select(Case).where(Case.id == int(ref[1:]), *_within(within)))
        case = found.first()
        if case is None:
            raise UserError("unknown_case", ref=ref, suggestions=[])
        return case
    typed, _at, team_hint = ref.partition("@")
    conditions: list[ColumnElement[bool]] = [col(Case.ref_key) == normalise_ref(typed),
                                             *_within(within)]
    if team_hint.strip():
        conditions.append(col(Case.team_id).in_(select(Team.id).where(
            func.lower(Team.name).contains(team_hint.strip().lower(), autoescape=True))))
    active = list(session.exec(select(Case).where(Case.status == CaseStatus.ACTIVE,
                                                  *conditions)))
    if len(active) > 1 and prefer_team is not None:
        active = [case for case in active if case.team_id == prefer_team] or active
    if len(active) > 1:
        raise UserError("ambiguous_ref", ref=typed, teams=_team_names(session, active))
    if active:
        return active[0]
    case = session.exec(select(Case).where(*conditions).order_by(col(Case.id).desc())
                        ).first() if include_closed else None
    if case is None:
        raise UserError("unknown_case", ref=ref,
                        suggestions=similar_refs(session=session, ref=typed, within=within))
    return case


def get_active_case(*, session: Session, ref: str) -> Case:
    case = get_case(session=session, ref=ref)
    if case.status != CaseStatus.ACTIVE:
        raise UserError("case_closed", ref=case.ref)
    return case


def similar_refs(*, session: Session, ref: str,
                 within: ColumnElement[bool] | None = None) -> list[str]:
    """Up to five active references sharing the first two letters, among the cases the
    person may see. `%` and `_` are letters here, never wildcards."""
    key = normalise_ref(ref)[:2]
    if not key:
        return []
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = session.exec(select(Case.ref).where(
        Case.status == CaseStatus.ACTIVE, col(Case.ref_key).like(pattern, escape="\\"),
        *_within(within)).order_by(col(Case.ref_key)).limit(10))
    return list(dict.fromkeys(rows))[:5]  # a reference two teams hold, named once


def _team_names(session: Session, cases: Sequence[Case]) -> list[str]:
    ids = {case.team_id for case in cases}
    names = list(session.exec(select(Team.name).where(col(Team.id).in_(ids))
                              .order_by(Team.name)))
    return names + (["–"] if None in ids else [])


def _within(condition: ColumnElement[bool] | None) -> list[ColumnElement[bool]]:
    return [] if condition is None else [condition]
