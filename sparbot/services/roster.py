"""The case roster: cases, their people, placements, hours, follow-ups, extensions, closing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from sparbot.enums import (
    Cadence,
    CaseStatus,
    FollowUpCadence,
    FollowUpKind,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)
from sparbot.errors import UserError
from sparbot.models import (
    REF_MAX,
    TEXT_MAX,
    Case,
    Extension,
    FollowUp,
    HoursEntry,
    Placement,
)
from sparbot.parsing import WeeklyHours
from sparbot.privacy import ensure_no_cpr
from sparbot.services.case_refs import case_token as case_token
from sparbot.services.case_refs import find_active_case as find_active_case
from sparbot.services.case_refs import get_active_case as get_active_case
from sparbot.services.case_refs import get_case as get_case
from sparbot.services.case_refs import normalise_ref as normalise_ref
from sparbot.services.case_refs import similar_refs as similar_refs
from sparbot.services.hours_runs import restamp_case
from sparbot.services.people import PersonRef, resolve_person
from sparbot.services.snapshots import CaseSnapshot, load_snapshots

# Words that are subcommands can never be a case reference ("/spar sag ny" adds a case).
RESERVED_REFS = frozenset({"ny", "new", "add", "mine", "alle", "all", "hjælp", "help"})
_REF = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüÉé][\wÆØÅæøå.\-]*")


def validate_ref(ref: str) -> str:
    ref = ref.strip()
    ensure_no_cpr(ref)
    if not ref or len(ref) > REF_MAX or not _REF.fullmatch(ref):
        raise UserError("bad_ref", field="ref", text=ref, maximum=REF_MAX)
    if normalise_ref(ref) in RESERVED_REFS:
        raise UserError("reserved_ref", field="ref", text=ref)
    return ref


def _clean_text(text: str | None, *, field: str, maximum: int = TEXT_MAX) -> str | None:
    if text is None:
        return None
    text = text.strip()
    ensure_no_cpr(text)
    if len(text) > maximum:
        raise UserError("text_too_long", field=field, maximum=maximum)
    return text or None


@dataclass(frozen=True)
class CaseCreate:
    ref: str
    programme: str
    purpose: Purpose
    start_date: date
    mentor: PersonRef
    booked_weeks: int = 26
    company_consultant: PersonRef | None = None
    jobcenter_consultant: PersonRef | None = None
    cadence: Cadence = Cadence.WEEKLY


def add_case(*, session: Session, data: CaseCreate, actor: str | None,
             team_id: int | None = None) -> Case:
    """A new case in a team (None: the deployment's own); its reference must be free among
    that team's active cases."""
    ref = validate_ref(data.ref)
    programme = _clean_text(data.programme, field="programme", maximum=200)
    if not programme:
        raise UserError("missing_programme", field="programme")
    if not 1 <= data.booked_weeks <= 260:
        raise UserError("bad_weeks", field="weeks", text=str(data.booked_weeks))
    if find_active_case(session=session, ref=ref, team_id=team_id) is not None:
        raise UserError("duplicate_ref", field="ref", ref=ref)
    case = Case(
        ref=ref,
        ref_key=normalise_ref(ref),
        programme=programme,
        purpose=data.purpose,
        start_date=data.start_date,
        booked_weeks=data.booked_weeks,
        cadence=data.cadence,
        mentor_id=_person_id(session, data.mentor),
        company_consultant_id=_person_id(session, data.company_consultant),
        jobcenter_consultant_id=_person_id(session, data.jobcenter_consultant),
        created_by=actor,
        team_id=team_id,
    )
    session.add(case)
    session.flush()
    return case


def _person_id(session: Session, ref: PersonRef | None) -> int:
    if ref is None:
        return None  # type: ignore[return-value]
    person = resolve_person(session=session, ref=ref)
    assert person.id is not None
    return person.id


def snapshot(*, session: Session, case: Case) -> CaseSnapshot:
    return load_snapshots(session, [case])[0]


@dataclass(frozen=True)
class RosterPage:
    snapshots: list[CaseSnapshot]
    page: int
    pages: int
    total: int


def list_roster(*, session: Session, page: int = 1, page_size: int = 25,
                person_id: int | None = None, include_closed: bool = False,
                within: ColumnElement[bool] | None = None) -> RosterPage:
    """Active cases (optionally one person's, or those meeting `within`: a team's), by
    reference, a page at a time."""
    conditions: list[ColumnElement[bool]] = [] if within is None else [within]
    if not include_closed:
        conditions.append(col(Case.status) == CaseStatus.ACTIVE)
    if person_id is not None:
        conditions.append(or_(col(Case.mentor_id) == person_id,
                              col(Case.company_consultant_id) == person_id,
                              col(Case.jobcenter_consultant_id) == person_id))
    total = session.exec(select(func.count()).select_from(Case).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    cases = session.exec(select(Case).where(*conditions).order_by(col(Case.ref_key), col(Case.id))
                         .offset((page - 1) * page_size).limit(page_size)).all()
    return RosterPage(load_snapshots(session, cases), page, pages, total)


def record_hours(*, session: Session, ref: str, internship: WeeklyHours,
                 paid: WeeklyHours | None, effective_from: date, actor: str | None,
                 today: date) -> HoursEntry:
    case = get_active_case(session=session, ref=ref)
    _check_within_course(case, effective_from, today)
    entry = HoursEntry(case_id=case.id, effective_from=effective_from,  # type: ignore[arg-type]
                       internship_hours=internship.total,
                       paid_hours=paid.total if paid else 0.0,
                       pattern=internship.pattern, recorded_by=actor)
    session.add(entry)
    session.flush()
    assert case.id is not None
    restamp_case(session, case.id)
    return entry


def _check_within_course(case: Case, day: date, today: date) -> None:
    if day < case.start_date:
        raise UserError("date_before_start", field="from", ref=case.ref, start=case.start_date)
    if (day - today).days > 366:
        raise UserError("date_too_far", field="from")


@dataclass(frozen=True)
class PlacementCreate:
    kind: PlacementKind
    workplace: str
    start_date: date
    end_date: date | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    next_paid_hours_raise: date | None = None
    contact_slack_user_id: str | None = None
    follow_up_cadence: FollowUpCadence = FollowUpCadence.MONTHLY


def start_placement(*, session: Session, ref: str, data: PlacementCreate, actor: str | None,
                    today: date) -> tuple[Placement, Placement | None]:
    """Start a placement; the placement before it (open, or agreed to end later) ends the
    day before.

    Returns the new placement and the one it ended, if any.
    """
    case = get_active_case(session=session, ref=ref)
    workplace = _clean_text(data.workplace, field="workplace", maximum=200)
    if not workplace:
        raise UserError("missing_workplace", field="workplace")
    _check_within_course(case, data.start_date, today)
    if data.end_date is not None and data.end_date < data.start_date:
        raise UserError("end_before_start", field="end")
    contact_phone = _clean_text(data.contact_phone, field="contact-phone", maximum=40)
    if contact_phone and not re.fullmatch(r"[+\d][\d \-]{5,}", contact_phone):
        raise UserError("bad_phone", field="contact-phone", text=contact_phone)
    contact_email = _clean_text(data.contact_email, field="contact-email", maximum=254)
    if contact_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", contact_email):
        raise UserError("bad_email", field="contact-email", text=contact_email)
    ended: Placement | None = None
    # The placement it follows: one still open, or one whose agreed end lies on or after
    # the new start (it ends the day before, so that no two placements overlap).
    previous = session.exec(select(Placement).where(
        Placement.case_id == case.id,
        col(Placement.end_date).is_(None) | (col(Placement.end_date) >= data.start_date),
        Placement.start_date < data.start_date).order_by(col(Placement.start_date).desc())).first()
    if previous is not None:
        previous.end_date = date.fromordinal(data.start_date.toordinal() - 1)
        ended = previous
    if data.contact_slack_user_id:  # the supervisor in Slack gets the workplace's nudges
        resolve_person(session=session, ref=PersonRef(slack_user_id=data.contact_slack_user_id))
    placement = Placement(
        case_id=case.id,  # type: ignore[arg-type]
        kind=data.kind, workplace=workplace, start_date=data.start_date,
        end_date=data.end_date,
        contact_name=_clean_text(data.contact_name, field="contact-name", maximum=200),
        contact_email=contact_email, contact_phone=contact_phone,
        contact_slack_user_id=data.contact_slack_user_id,
        next_paid_hours_raise=data.next_paid_hours_raise,
        follow_up_cadence=data.follow_up_cadence, recorded_by=actor)
    session.add(placement)
    session.flush()
    return placement, ended


def placement_on(session: Session, case_id: int, day: date) -> Placement | None:
    """The case's placement in force on a day (the latest begun, if two overlap)."""
    return session.exec(select(Placement).where(
        Placement.case_id == case_id, Placement.start_date <= day,
        or_(col(Placement.end_date).is_(None), col(Placement.end_date) >= day))
        .order_by(col(Placement.start_date).desc())).first()


def set_follow_up_cadence(*, session: Session, ref: str, cadence: FollowUpCadence,
                          today: date) -> Placement:
    """How often the placement in force today is followed up at the workplace."""
    case = get_active_case(session=session, ref=ref)
    current = placement_on(session, case.id or 0, today)
    if current is None:
        raise UserError("no_open_placement", ref=case.ref)
    current.follow_up_cadence = cadence
    session.flush()
    return current


def end_placement(*, session: Session, ref: str, end_date: date, actor: str | None) -> Placement:
    case = get_active_case(session=session, ref=ref)
    current = session.exec(select(Placement).where(
        Placement.case_id == case.id, col(Placement.end_date).is_(None))
        .order_by(col(Placement.start_date).desc())).first()
    if current is None:
        raise UserError("no_open_placement", ref=case.ref)
    if end_date < current.start_date:
        raise UserError("end_before_start", field="end")
    current.end_date = end_date
    return current


def log_follow_up(*, session: Session, ref: str, kind: FollowUpKind, held_on: date,
                  paid_hours: PaidHoursAnswer = PaidHoursAnswer.NOT_RAISED,
                  note: str | None = None, next_paid_hours_raise: date | None = None,
                  actor: str | None, today: date) -> FollowUp:
    case = get_active_case(session=session, ref=ref)
    _check_within_course(case, held_on, today)
    if held_on > today:
        raise UserError("date_in_future", field="held-on")
    placement = placement_on(session, case.id or 0, held_on)
    if kind == FollowUpKind.WORKPLACE and placement is None:
        raise UserError("no_placement_for_follow_up", ref=case.ref)
    follow_up = FollowUp(case_id=case.id, kind=kind, held_on=held_on,  # type: ignore[arg-type]
                         placement_id=placement.id if placement else None,
                         paid_hours=paid_hours, note=_clean_text(note, field="note"),
                         recorded_by=actor)
    if next_paid_hours_raise is not None and placement is not None:
        placement.next_paid_hours_raise = next_paid_hours_raise
    session.add(follow_up)
    session.flush()
    return follow_up


def extend_course(*, session: Session, ref: str, weeks: int, decided_on: date,
                  reason: str | None, actor: str | None) -> CaseSnapshot:
    case = get_active_case(session=session, ref=ref)
    if not 1 <= weeks <= 104:
        raise UserError("bad_extension_weeks", text=str(weeks))
    session.add(Extension(case_id=case.id, weeks=weeks, decided_on=decided_on,  # type: ignore[arg-type]
                          reason=_clean_text(reason, field="reason"), recorded_by=actor))
    session.flush()
    return snapshot(session=session, case=case)


def close_case(*, session: Session, ref: str, outcome: Outcome, closed_on: date,
               actor: str | None) -> Case:
    case = get_active_case(session=session, ref=ref)
    if closed_on < case.start_date:
        raise UserError("date_before_start", field="closed-on", ref=case.ref,
                        start=case.start_date)
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.closed_on = closed_on
    for placement in session.exec(select(Placement).where(
            Placement.case_id == case.id, col(Placement.end_date).is_(None))):
        placement.end_date = max(closed_on, placement.start_date)
    session.flush()
    return case
