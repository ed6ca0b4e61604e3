"""The morning digest, its e-mail to the workplace and the form asking why a nudge is not
relevant."""


from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import ActionId, BlockId, CallbackId
from sparbot.bot.kit import (
    MESSAGE_BLOCKS_MAX,
    SECTION_TEXT_MAX,
    button,
    clip,
    context,
    header,
    text_input,
)
from sparbot.bot.metadata import (
    DismissContext,
    EmailContext,
    NudgeRef,
)
from sparbot.bot.render import Renderer, escape_mrkdwn
from sparbot.enums import NudgeKind
from sparbot.models import Placement
from sparbot.parsing import format_hours
from sparbot.services.case_refs import case_token
from sparbot.services.nudges import Nudge
from sparbot.services.snapshots import AnyPlacement, CaseSnapshot

DIGEST_ITEMS_MAX = 20  # two blocks an item, within 50 a message


def email_draft(placement: AnyPlacement, snapshot: CaseSnapshot | None, today: date,
                renderer: Renderer) -> tuple[str, str]:
    """The ready e-mail to the workplace's contact: subject and body, in Danish by default."""
    hours = snapshot.hours_on(today) if snapshot else None
    pattern = (hours.pattern or format_hours(hours.internship_hours)) + " t" if hours else None
    subject = renderer.plain("email", "subject", workplace=placement.workplace)
    body = renderer.plain("email", "body", contact=placement.contact_name,
                          workplace=placement.workplace, hours=pattern,
                          paid=hours.paid_hours if hours else 0)
    return subject, body


def _mailto(nudge: Nudge, today: date, renderer: Renderer) -> str:
    placement = nudge.facts["placement"]
    subject, body = email_draft(placement, nudge.snapshot, today, renderer)
    url = (f"mailto:{quote(placement.contact_email, safe='@.')}"
           f"?subject={quote(subject)}&body={quote(body)}")
    return f"<{url}|{renderer.plain('email', 'mailto_label')}>"


def build_digest(nudges: Sequence[Nudge], today: date, renderer: Renderer, *,
                 can_email: bool = False) -> list[Block]:
    """The morning DM (its first block carries the outbox's marker once queued)."""
    blocks: list[Block] = [
        header(renderer.plain("nudges", "title", day=today, count=len(nudges))),
        context(renderer.text("nudges", "intro")),
    ]
    for index, nudge in enumerate(nudges[:DIGEST_ITEMS_MAX]):
        text = renderer.text("nudges", "item", n=nudge, today=today)
        workplace: Placement | None = (nudge.facts.get("placement") if nudge.kind.value in
                                       ("workplace-followup", "paid-hours") else None)
        email = workplace.contact_email if workplace is not None else None
        if workplace is not None and (workplace.contact_name or workplace.contact_phone):
            text += "\n" + renderer.text("nudges", "contact", p=workplace)
        if email and not can_email:
            text += " · " + _mailto(nudge, today, renderer)
        if nudge.facts.get("for") is not None:
            text += "\n" + renderer.text("nudges", "stand_in_for", person=nudge.facts["for"],
                                          why=nudge.facts.get("why", "away"))
        blocks.append(SectionBlock(block_id=f"nudge-{index}",
                                   text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX))))
        value = NudgeRef(subject=nudge.subject, ref=case_token(nudge.case),
                         action_id=nudge.facts.get("action_id")).dump()
        if nudge.facts.get("action_id"):
            first = button(renderer.plain("ui", "button_done"), ActionId.DECISION_ACTION_DONE,
                           str(nudge.facts["action_id"]), primary=True)
        elif nudge.kind is NudgeKind.ATTENDANCE_MISSING:
            first = button(renderer.plain("ui", "button_attendance"), ActionId.ATTENDANCE_ADD,
                           case_token(nudge.case), primary=True)
        elif nudge.kind.value == "course-ending":
            first = button(renderer.plain("ui", "button_decide"), ActionId.DECISION_ADD,
                           case_token(nudge.case), primary=True)
        else:
            first = button(renderer.plain("ui", "button_follow_up"), ActionId.NUDGE_FOLLOW_UP,
                           value, primary=True)
        elements = [
            first,
            button(renderer.plain("ui", "button_snooze"), ActionId.NUDGE_SNOOZE, value),
            button(renderer.plain("ui", "button_dismiss"), ActionId.NUDGE_DISMISS, value),
        ]
        if email and can_email:
            elements.insert(1, button(renderer.plain("ui", "button_send_email"),
                                      ActionId.CONTACT_EMAIL, value))
        blocks.append(ActionsBlock(block_id=f"nudge-actions-{index}", elements=elements))
    if len(nudges) > DIGEST_ITEMS_MAX:
        blocks.append(context(renderer.text("nudges", "more",
                                            count=len(nudges) - DIGEST_ITEMS_MAX)))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_email_modal(renderer: Renderer, metadata: EmailContext, *, subject: str,
                      body: str) -> View:
    blocks: list[Block] = [
        context(renderer.plain("ui", "field_email_to") + ": " + escape_mrkdwn(metadata.to)),
        text_input(renderer, BlockId.EMAIL_SUBJECT, "field_email_subject", initial=subject,
                    max_length=200),
        text_input(renderer, BlockId.EMAIL_BODY, "field_email_body", initial=body,
                    multiline=True, max_length=3000, hint="hint_email_body"),
    ]
    return View(type="modal", callback_id=CallbackId.CONTACT_EMAIL.value,
                title=PlainTextObject(text=clip(renderer.plain("ui", "modal_email"), 24)),
                submit=PlainTextObject(text=renderer.plain("ui", "button_send")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(), blocks=blocks)


def build_dismiss_modal(renderer: Renderer, metadata: DismissContext) -> View:
    return View(type="modal", callback_id=CallbackId.NUDGE_DISMISS.value,
                title=PlainTextObject(text=renderer.plain("ui", "modal_dismiss")),
                submit=PlainTextObject(text=renderer.plain("ui", "submit")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(),
                blocks=[text_input(renderer, BlockId.REASON, "field_dismiss_reason",
                                    hint="hint_dismiss_reason", multiline=True,
                                    max_length=500)])


def replace_actions(blocks: Sequence[dict[str, Any]], block_id: str,
                    text: str) -> list[dict[str, Any]]:
    """A message's blocks with one actions block replaced by a line of context."""
    return [context(text).to_dict() if block.get("block_id") == block_id else block
            for block in blocks]
