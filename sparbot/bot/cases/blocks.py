"""The case card, the case as a read-only modal, the roster and the new-case form."""


from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    HeaderBlock,
    PlainTextObject,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import ActionId, BlockId, CallbackId
from sparbot.bot.kit import (
    MESSAGE_BLOCKS_MAX,
    VIEW_BLOCKS_MAX,
    button,
    clip,
    context,
    date_input,
    header,
    modal,
    sections,
    select_input,
    text_input,
    user_input,
)
from sparbot.bot.metadata import (
    ModalContext,
    RosterPosition,
)
from sparbot.bot.render import Renderer
from sparbot.enums import Cadence, CaseStatus, Purpose
from sparbot.services.agreements import AgreementView
from sparbot.services.attendance import summarise
from sparbot.services.case_refs import case_token
from sparbot.services.due import DueItem
from sparbot.services.roster import RosterPage
from sparbot.services.snapshots import CaseSnapshot


def _case_body(snapshot: CaseSnapshot, today: date, due: Sequence[DueItem],
               renderer: Renderer, agreement: AgreementView | None = None,
               private: bool = False) -> list[Block]:
    """The case's facts; its placement agreement's accommodations only when `private`
    (an ephemeral reply, a modal, the App Home: never a channel post)."""
    parts = [
        renderer.text("case", "course", s=snapshot, today=today),
        renderer.text("case", "people", s=snapshot),
        renderer.text("case", "placements", s=snapshot, today=today),
        renderer.text("case", "hours", s=snapshot, today=today),
        renderer.text("case", "follow_ups", s=snapshot),
        renderer.text("case", "attendance", ref=snapshot.case.ref, a=summarise(
            snapshot.attendance, today=today, course_start=snapshot.case.start_date)),
    ]
    if agreement is not None:
        parts.append(renderer.text("case", "agreement", v=agreement, private=private))
    blocks: list[Block] = []
    for part in parts:
        blocks.extend(sections(part))
    if due:
        lines = [renderer.text("case", "due_title")]
        lines += [renderer.text("case", "due_line", item=item, today=today) for item in due]
        blocks.extend(sections("\n".join(lines)))
    return blocks


def _case_header(snapshot: CaseSnapshot, today: date, renderer: Renderer) -> HeaderBlock:
    if snapshot.record.status == CaseStatus.CLOSED:
        return header(renderer.plain("case", "closed_header", ref=snapshot.case.ref))
    return header(renderer.plain("case", "header", ref=snapshot.case.ref,
                                 week=snapshot.week_number(today), weeks=snapshot.total_weeks))


def build_case_message(snapshot: CaseSnapshot, today: date, due: Sequence[DueItem],
                       renderer: Renderer, offers: Collection[str] | None = None, *,
                       agreement: AgreementView | None = None, private: bool = False
                       ) -> list[Block]:
    """The case card; its buttons only those in `offers` (None: all), the ones the reader
    may use."""
    blocks: list[Block] = [_case_header(snapshot, today, renderer)]
    blocks += _case_body(snapshot, today, due, renderer, agreement, private)
    if snapshot.record.status == CaseStatus.ACTIVE:
        ref = case_token(snapshot.case)  # which case, whatever team holds its reference
        buttons = [button(renderer.plain("ui", label), action_id, ref) for label, action_id in (
            ("button_hours", ActionId.HOURS_ADD), ("button_follow_up", ActionId.FOLLOWUP_ADD),
            ("button_attendance", ActionId.ATTENDANCE_ADD),
            *((("button_agreement", ActionId.AGREEMENT_EDIT),)
              if snapshot.current_placement(today) is not None else ()),
            ("button_placement", ActionId.PLACEMENT_ADD),
            ("button_agenda_add", ActionId.AGENDA_ADD)) if offers is None or action_id in offers]
        if buttons:
            blocks.append(ActionsBlock(elements=buttons))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_case_modal(snapshot: CaseSnapshot, today: date, due: Sequence[DueItem],
                     renderer: Renderer, agreement: AgreementView | None = None) -> View:
    """A read-only view of a case, opened from the App Home (only its reader sees it)."""
    blocks = _case_body(snapshot, today, due, renderer, agreement, private=True)
    title = renderer.plain("case", "header", ref=snapshot.case.ref,
                           week=snapshot.week_number(today), weeks=snapshot.total_weeks)
    return View(type="modal", title=PlainTextObject(text=clip(title, 24)),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                blocks=blocks[:VIEW_BLOCKS_MAX])


def build_roster_message(page: RosterPage, today: date, renderer: Renderer,
                         *, mine: bool, team: str | None = None) -> list[Block]:
    if page.total == 0:
        return sections(renderer.text("roster", "empty", mine=mine, team=team))
    blocks: list[Block] = [header(renderer.plain("roster", "title", total=page.total, mine=mine,
                                                 team=team))]
    lines = [renderer.text("roster", "line", s=snapshot, today=today)
             for snapshot in page.snapshots]
    blocks += sections("\n".join(lines))
    blocks.append(context(renderer.text("roster", "page_info", page=page.page, pages=page.pages)))
    navigation = []
    if page.page > 1:
        navigation.append(button(renderer.plain("ui", "button_previous"), ActionId.ROSTER_PAGE,
                                 RosterPosition(page=page.page - 1, mine=mine).dump()))
    if page.page < page.pages:
        navigation.append(button(renderer.plain("ui", "button_next"), ActionId.ROSTER_PAGE,
                                 RosterPosition(page=page.page + 1, mine=mine).dump()))
    if navigation:
        blocks.append(ActionsBlock(elements=navigation))
    return blocks


def build_case_add_modal(renderer: Renderer, metadata: ModalContext, *, today: date,
                         user_id: str | None) -> View:
    blocks: list[Block] = [
        text_input(renderer, BlockId.REF, "field_ref", hint="hint_ref", max_length=24),
        text_input(renderer, BlockId.PROGRAMME, "field_programme", hint="hint_programme"),
        select_input(renderer, BlockId.PURPOSE, "field_purpose", "purpose",
                      [purpose.value for purpose in Purpose]),
        date_input(renderer, BlockId.START, "field_start", initial=today),
        text_input(renderer, BlockId.WEEKS, "field_weeks", initial="26", max_length=3),
        user_input(renderer, BlockId.MENTOR, "field_mentor", initial=user_id),
        user_input(renderer, BlockId.CONSULTANT, "field_consultant", optional=True),
        user_input(renderer, BlockId.JOBCENTER_USER, "field_jobcenter_user", optional=True),
        text_input(renderer, BlockId.JOBCENTER_NAME, "field_jobcenter_name", optional=True),
        text_input(renderer, BlockId.JOBCENTER_EMAIL, "field_jobcenter_email", optional=True,
                    max_length=254),
        select_input(renderer, BlockId.CADENCE, "field_cadence", "cadence",
                      [cadence.value for cadence in Cadence], initial=Cadence.WEEKLY.value),
    ]
    return modal(renderer, CallbackId.CASE_ADD, renderer.plain("ui", "modal_case_add"),
                  blocks, metadata)
