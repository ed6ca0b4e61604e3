"""The weekly agenda: its overview, one message per case, and the form asking for a case
to be taken up."""


from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    MarkdownTextObject,
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
    modal,
    sections,
    text_input,
)
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer
from sparbot.services.agenda import Agenda, AgendaEntry
from sparbot.services.case_refs import case_token
from sparbot.services.settled import SETTLEABLE

JOBCENTER_LINE_BLOCK = "jobcenter-line"


def build_agenda_request_modal(renderer: Renderer, metadata: ModalContext) -> View:
    blocks: list[Block] = [
        text_input(renderer, BlockId.REASON, "field_agenda_reason", hint="hint_agenda_reason",
                    multiline=True, max_length=500),
    ]
    return modal(renderer, CallbackId.AGENDA_REQUEST,
                  renderer.plain("ui", "modal_agenda_request", ref=metadata.ref or ""), blocks,
                  metadata)


def build_agenda_overview(agenda: Agenda, renderer: Renderer, *,
                          jobcenter_line: str | None = None,
                          interactive: bool = False) -> list[Block]:
    """The agenda's first message: title, what moved, the items in order, what did not fit,
    and (posted) the jobcenter attendance buttons."""
    plan = agenda.plan
    if plan.held_on is None:
        return sections(renderer.text("agenda", "cancelled", regular=plan.regular,
                                      because=plan.closed_because, team=agenda.team))
    rules = agenda.rules
    blocks: list[Block] = [header(renderer.plain(
        "agenda", "title", day=plan.held_on, starts=rules.starts_at.strftime("%H:%M"),
        team=agenda.team))]
    blocks.append(context(renderer.text(
        "agenda", "summary", count=len(agenda.items), minutes_per_case=rules.minutes_per_case,
        minutes=rules.minutes,
        jobcenter_count=sum(1 for item in agenda.items if item.needs_jobcenter))))
    if plan.moved:
        blocks += sections(renderer.text("agenda", "moved", regular=plan.regular,
                                         held_on=plan.held_on, because=plan.closed_because))
    if agenda.items:
        lines = [renderer.text("agenda", "overview_line", position=position, item=item)
                 for position, item in enumerate(agenda.items, start=1)]
        blocks += sections("\n".join(lines))
    else:
        blocks += sections(renderer.text("agenda", "empty"))
    if agenda.not_reached:
        blocks += sections(renderer.text("agenda", "not_reached",
                                         refs=[item.ref for item in agenda.not_reached]))
    if jobcenter_line is not None:
        blocks.append(SectionBlock(block_id=JOBCENTER_LINE_BLOCK,
                                   text=MarkdownTextObject(text=clip(jobcenter_line,
                                                                      SECTION_TEXT_MAX))))
    if interactive:
        blocks.append(ActionsBlock(block_id="jobcenter", elements=[
            button(renderer.plain("ui", "button_jobcenter_present"), ActionId.JOBCENTER_PRESENT,
                   "present", primary=True),
            button(renderer.plain("ui", "button_jobcenter_absent"), ActionId.JOBCENTER_ABSENT,
                   "absent"),
        ]))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_agenda_item(item: AgendaEntry, position: int, agenda: Agenda, renderer: Renderer,
                      *, item_id: int | None = None,
                      discussed_by: str | None = None) -> list[Block]:
    """One case on the agenda: its own message, so its thread holds the case's decisions."""
    day = agenda.meeting_date or agenda.plan.regular
    blocks: list[Block] = sections(renderer.text(
        "agenda", "item_heading", position=position, item=item,
        minutes=agenda.rules.minutes_per_case, today=day))
    blocks += sections(renderer.text("agenda", "item_reasons", item=item))
    if discussed_by is not None:
        blocks.append(context(renderer.text("agenda", "discussed", user_id=discussed_by)))
    elif item_id is not None:
        buttons = [button(renderer.plain("ui", "button_decide"), ActionId.DECISION_ADD,
                          case_token(item.snapshot.case), primary=True)]
        if any(code in SETTLEABLE for code in item.codes):
            buttons.append(button(renderer.plain("ui", "button_status_quo"),
                                  ActionId.DECISION_STATUS_QUO, str(item_id)))
        buttons.append(button(renderer.plain("ui", "button_discussed"),
                              ActionId.AGENDA_ITEM_DISCUSSED, str(item_id)))
        blocks.append(ActionsBlock(elements=buttons))
        blocks.append(context(renderer.text("agenda", "item_footer")))
    return blocks[:MESSAGE_BLOCKS_MAX]
