"""The digest's buttons, absences (`/spar fravær`) and each person's own nudge settings
(`/spar påmindelser`)."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from sparbot.bot.delivery import send_now
from sparbot.bot.deps import Deps
from sparbot.bot.followups.commands import FollowUpForm
from sparbot.bot.followups.handlers import open_follow_up_form
from sparbot.bot.forms import read_state
from sparbot.bot.ids import BlockId
from sparbot.bot.invocation import Invocation
from sparbot.bot.kit import build_text_message
from sparbot.bot.metadata import DismissContext, EmailContext, NudgeRef
from sparbot.bot.nudges import blocks as build
from sparbot.bot.nudges.commands import Away, NudgeSettings
from sparbot.bot.replies import message_place, reply_text, send_dm
from sparbot.errors import UserError
from sparbot.mail import MailNotConfigured, send_email
from sparbot.privacy import CprNumberRefused, ensure_no_cpr
from sparbot.services import absences, contact, digests, outbox, roster
from sparbot.services.access import Role
from sparbot.services.people import PersonRef, resolve_person

DIGEST_EDIT = "digest-edit"  # the outbox's kind: a digest's line changed in place
SNOOZE_DAYS = 7
DISMISS_DAYS = 28


def record_absence(deps: Deps, command: Away, call: Invocation) -> None:
    """One's own absence (anyone on a case, the jobcenter consultant too), or, for staff,
    someone else's (`for:`: a jobcenter consultant outside Slack, by e-mail)."""
    if command.for_whom is not None and call.actor is not None and \
            call.actor.role not in (Role.STAFF, Role.ADMIN):
        raise UserError("away_for_others")
    with deps.session() as session:
        slack_id, email = command.for_whom or (call.user_id, None)
        person = resolve_person(session=session, ref=PersonRef(slack_user_id=slack_id,
                                                               email=email))
        stand_in = resolve_person(session=session, ref=PersonRef(
            slack_user_id=command.stand_in)) if command.stand_in else None
        absence = absences.record_absence(session=session, person_id=person.id or 0,
                                          starts_on=command.starts, ends_on=command.ends,
                                          actor=call.user_id, today=deps.clock.today(),
                                          stand_in_id=stand_in.id if stand_in else None)
        if command.for_whom is None and stand_in is None:
            text = deps.renderer.text("nudges", "away_recorded",
                                      **{"from": absence.starts_on, "to": absence.ends_on})
        else:
            text = deps.renderer.text("nudges", "away_recorded_for", person=person,
                                      stand_in=stand_in, **{"from": absence.starts_on,
                                                            "to": absence.ends_on})
    reply_text(call.respond, text)


def nudge_settings(deps: Deps, command: NudgeSettings, call: Invocation) -> None:
    with deps.session() as session:
        person = resolve_person(session=session, ref=PersonRef(slack_user_id=call.user_id))
        preference = absences.set_preference(session=session, person_id=person.id or 0,
                                             send_at=command.send_at, paused=command.paused,
                                             default_send_at=deps.settings.nudge_time)
        send_at, paused = preference.send_at, preference.paused
    reply_text(call.respond, deps.renderer.text("nudges", "settings", send_at=send_at,
                                                paused=paused))


def handle_nudge_follow_up_action(deps: Deps, action: dict[str, Any], call: Invocation
                                  ) -> None:
    """The digest's "Registrér opfølgning": the follow-up form for the nudge's case."""
    ref = NudgeRef.model_validate_json(action["value"]).ref
    open_follow_up_form(deps, FollowUpForm(ref=ref), call)


def handle_nudge_snooze_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                               client: WebClient) -> None:
    subject = NudgeRef.model_validate_json(action["value"]).subject
    until = deps.clock.today() + timedelta(days=SNOOZE_DAYS)
    channel, message = message_place(body)
    blocks = build.replace_actions(message.get("blocks", []), action["block_id"],
                                   deps.renderer.text("nudges", "snoozed", until=until,
                                                      user_id=body["user"]["id"]))
    with deps.session() as session:
        person = resolve_person(session=session,
                                ref=PersonRef(slack_user_id=body["user"]["id"]))
        digests.suppress(session=session, person_id=person.id or 0, subject=subject,
                        until=until)
        edited = outbox.queue_edit(session=session, kind=DIGEST_EDIT, channel=channel,
                                   ts=message["ts"], text=message.get("text", ""),
                                   blocks=blocks, clicked_by=body["user"]["id"])
    send_now(deps, client, edited)


def handle_nudge_dismiss_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                                client: WebClient) -> None:
    """Held back at once; the form that opens asks why (kept with the suppression)."""
    channel, message = message_place(body)
    nudge = NudgeRef.model_validate_json(action["value"])
    subject = nudge.subject
    blocks = build.replace_actions(message.get("blocks", []), action["block_id"],
                                   deps.renderer.text("nudges", "dismissed", reason=None))
    with deps.session() as session:
        person = resolve_person(session=session,
                                ref=PersonRef(slack_user_id=body["user"]["id"]))
        suppression_id = digests.suppress(
            session=session, person_id=person.id or 0, subject=subject,
            until=deps.clock.today() + timedelta(days=DISMISS_DAYS))
        edited = outbox.queue_edit(session=session, kind=DIGEST_EDIT, channel=channel,
                                   ts=message["ts"], text=message.get("text", ""),
                                   blocks=blocks, clicked_by=body["user"]["id"])
    send_now(deps, client, edited)
    context = DismissContext(subject=subject, ref=nudge.ref, channel_id=channel,
                             message_ts=message["ts"], block_id=action["block_id"],
                             suppression_id=suppression_id)
    client.views_open(trigger_id=body["trigger_id"],
                      view=build.build_dismiss_modal(deps.renderer, context))


def handle_nudge_dismiss_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                    view: dict[str, Any]) -> None:
    context = DismissContext.model_validate_json(view["private_metadata"])
    reason = read_state(view).get(BlockId.REASON.value)
    if not reason:
        ack(response_action="errors", errors={
            BlockId.REASON.value: deps.renderer.text("errors", "missing_field")})
        return
    try:
        with deps.session() as session:
            digests.give_reason(session=session, suppression_id=context.suppression_id,
                               reason=reason)
    except UserError as error:
        ack(response_action="errors", errors={
            BlockId.REASON.value: deps.renderer.text("errors", error.key, **error.params)})
        return
    ack()


def handle_contact_email_action(deps: Deps, body: dict[str, Any], action: dict[str, Any],
                                client: WebClient) -> None:
    ref = NudgeRef.model_validate_json(action["value"]).ref
    today = deps.clock.today()
    with deps.session() as session:
        case = roster.get_active_case(session=session, ref=ref)
        snapshot = roster.snapshot(session=session, case=case)
    placement = snapshot.current_placement(today)
    if placement is None or placement.id is None or not placement.contact_email:
        return
    subject, text = build.email_draft(placement, snapshot, today, deps.renderer)
    context = EmailContext(ref=case.ref, case=roster.case_token(case),
                           placement_id=placement.id, to=placement.contact_email)
    client.views_open(trigger_id=body["trigger_id"], view=build.build_email_modal(
        deps.renderer, context, subject=subject, body=text))


def handle_contact_email_submission(deps: Deps, ack: Ack, body: dict[str, Any],
                                    view: dict[str, Any], client: WebClient) -> None:
    context = EmailContext.model_validate_json(view["private_metadata"])
    values = read_state(view)
    subject = values.get(BlockId.EMAIL_SUBJECT.value) or ""
    text = values.get(BlockId.EMAIL_BODY.value) or ""
    user_id = body["user"]["id"]
    try:
        ensure_no_cpr(subject, text)
        if not subject or not text:
            raise UserError("missing_field", field=BlockId.EMAIL_BODY.value)
        send_email(deps.settings, to=context.to, subject=subject, body=text)
    except CprNumberRefused:
        ack(response_action="errors", errors={
            BlockId.EMAIL_BODY.value: deps.renderer.text("errors", "cpr_refused")})
        return
    except UserError as error:
        ack(response_action="errors", errors={
            BlockId.EMAIL_BODY.value: deps.renderer.text("errors", error.key,
                                                         **error.params)})
        return
    except (OSError, smtplib.SMTPException, MailNotConfigured):
        ack(response_action="errors", errors={
            BlockId.EMAIL_BODY.value: deps.renderer.text("email", "failed")})
        return
    with deps.session() as session:
        case = roster.get_case(session=session, ref=context.lookup)
        contact.log_contact_message(session=session, case_id=case.id or 0,
                                    placement_id=context.placement_id, to=context.to,
                                    subject=subject, actor=user_id)
    ack()
    send_dm(client, user_id, build_text_message(
        deps.renderer.text("email", "sent", to=context.to, ref=context.ref)))
