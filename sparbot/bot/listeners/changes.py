"""Apply a parsed change to a case (from a command or a modal) and say what happened."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from sparbot.bot.commands import ParsedCommand
from sparbot.bot.render import Renderer
from sparbot.bot.verbs import Verb
from sparbot.enums import FollowUpKind
from sparbot.parsing import format_hours
from sparbot.services import roster
from sparbot.services.audit import AuditAction, audit


def apply_change(*, session: Session, parsed: ParsedCommand, actor: str, today: date,
                 renderer: Renderer) -> str:
    assert parsed.ref is not None
    text = _apply(session=session, parsed=parsed, actor=actor, today=today, renderer=renderer)
    audit(session=session, actor=actor, action=AuditAction.CHANGE, what=parsed.verb.value,
          refs=[roster.get_case(session=session, ref=parsed.ref).ref])
    return text


def _apply(*, session: Session, parsed: ParsedCommand, actor: str, today: date,
           renderer: Renderer) -> str:
    assert parsed.ref is not None
    ref = parsed.ref
    if parsed.verb is Verb.HOURS:
        assert parsed.internship is not None and parsed.day is not None
        entry = roster.record_hours(session=session, ref=ref, internship=parsed.internship,
                                    paid=parsed.paid, effective_from=parsed.day, actor=actor,
                                    today=today)
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "hours_recorded", ref=case.ref,
                             internship=str(parsed.internship),
                             paid=format_hours(entry.paid_hours) if entry.paid_hours else None,
                             total=format_hours(entry.total),
                             effective_from=entry.effective_from)
    if parsed.verb is Verb.PLACEMENT_START:
        assert parsed.kind is not None and parsed.day is not None
        placement, ended = roster.start_placement(
            session=session, ref=ref, actor=actor, today=today,
            data=roster.PlacementCreate(
                kind=parsed.kind, workplace=parsed.workplace or "", start_date=parsed.day,
                end_date=parsed.end_day, contact_name=parsed.contact_name,
                contact_email=parsed.contact_email, contact_phone=parsed.contact_phone,
                next_paid_hours_raise=parsed.next_day,
                contact_slack_user_id=parsed.contact_slack_id))
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "placement_started", ref=case.ref,
                             kind=placement.kind, workplace=placement.workplace,
                             start=placement.start_date, ended=ended)
    if parsed.verb is Verb.PLACEMENT_END:
        assert parsed.end_day is not None
        placement = roster.end_placement(session=session, ref=ref, end_date=parsed.end_day,
                                         actor=actor)
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "placement_ended", ref=case.ref,
                             workplace=placement.workplace, end=placement.end_date)
    if parsed.verb is Verb.FOLLOW_UP:
        assert parsed.day is not None
        kind = parsed.follow_up_kind or FollowUpKind.MENTOR_MEETING
        follow_up = roster.log_follow_up(
            session=session, ref=ref, kind=kind, held_on=parsed.day,
            paid_hours=parsed.paid_answer, note=parsed.text,
            next_paid_hours_raise=parsed.next_day, actor=actor, today=today)
        case = roster.get_case(session=session, ref=ref)
        return renderer.text("replies", "follow_up_logged", ref=case.ref, kind=follow_up.kind,
                             held_on=follow_up.held_on, paid=follow_up.paid_hours)
    if parsed.verb is Verb.EXTEND:
        assert parsed.weeks is not None and parsed.day is not None
        snapshot = roster.extend_course(session=session, ref=ref, weeks=parsed.weeks,
                                        decided_on=parsed.day, reason=parsed.text, actor=actor)
        return renderer.text("replies", "extended", ref=snapshot.case.ref, weeks=parsed.weeks,
                             end=snapshot.end_date, total=snapshot.total_weeks)
    if parsed.verb is Verb.CLOSE:
        assert parsed.outcome is not None and parsed.day is not None
        case = roster.close_case(session=session, ref=ref, outcome=parsed.outcome,
                                 closed_on=parsed.day, actor=actor)
        return renderer.text("replies", "closed", ref=case.ref, outcome=parsed.outcome,
                             closed_on=case.closed_on)
    raise ValueError(f"not a change: {parsed.verb}")
