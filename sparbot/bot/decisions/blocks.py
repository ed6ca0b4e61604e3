"""A decision as a structured message, the list of decisions and the decision form."""


from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import ActionId, BlockId, CallbackId
from sparbot.bot.kit import (
    MESSAGE_BLOCKS_MAX,
    SECTION_TEXT_MAX,
    button,
    checkbox_input,
    clip,
    context,
    date_input,
    header,
    modal,
    sections,
    select_input,
    text_input,
)
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer
from sparbot.enums import DecisionCategory, Outcome, ReasonCode
from sparbot.services.decisions import DecisionView
from sparbot.services.settled import SETTLEABLE


def build_decision_message(view: DecisionView, renderer: Renderer) -> list[Block]:
    """A decision as everyone sees it: what, whose, by when; ticked off in place."""
    blocks: list[Block] = sections(renderer.text("decisions", "heading", v=view))
    blocks += sections(renderer.text("decisions", "body", v=view))
    for item in view.actions:
        text = MarkdownTextObject(text=clip(renderer.text("decisions", "action", a=item),
                                             SECTION_TEXT_MAX))
        accessory = None
        if item.action.status == "open" and not view.cancelled:
            accessory = button(renderer.plain("ui", "button_done"),
                               ActionId.DECISION_ACTION_DONE, str(item.action.id))
        blocks.append(SectionBlock(text=text, accessory=accessory))
    blocks.append(context(renderer.text("decisions", "footer", v=view,
                                        recorded_by=view.decision.recorded_by)))
    if not view.cancelled:
        decision_id = str(view.decision.id)
        cancel = ButtonElement(
            text=PlainTextObject(text=renderer.plain("ui", "button_cancel_decision")),
            action_id=ActionId.DECISION_CANCEL.value, value=decision_id, style="danger",
            confirm=ConfirmObject(
                title=renderer.plain("decisions", "confirm_cancel_title"),
                text=renderer.plain("decisions", "confirm_cancel_text"),
                confirm=renderer.plain("ui", "button_cancel_decision"),
                deny=renderer.plain("ui", "cancel")))
        blocks.append(ActionsBlock(elements=[
            button(renderer.plain("ui", "button_edit"), ActionId.DECISION_EDIT, decision_id),
            cancel]))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_decision_list(views: Sequence[DecisionView], renderer: Renderer, *,
                        what: str | None) -> list[Block]:
    if not views:
        return sections(renderer.text("decisions", "list_empty"))
    blocks: list[Block] = [header(renderer.plain("decisions", "list_title", what=what))]
    lines = [renderer.text("decisions", "list_line", v=view) for view in views]
    blocks += sections("\n".join(lines))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_decision_modal(renderer: Renderer, metadata: ModalContext, *, today: date,
                         text: str | None = None, editing: DecisionView | None = None,
                         category: DecisionCategory | None = None,
                         settles: ReasonCode | None = None) -> View:
    blocks: list[Block] = []
    if metadata.ref is None:
        blocks.append(text_input(renderer, BlockId.REF, "field_case_ref", max_length=24))
    decision = editing.decision if editing else None
    blocks.append(text_input(renderer, BlockId.DECISION_TEXT, "field_decision_text",
                              multiline=True, max_length=2000,
                              initial=decision.text if decision else text))
    blocks.append(select_input(renderer, BlockId.CATEGORY, "field_category", "category",
                                [category.value for category in DecisionCategory],
                                initial=(decision.category.value if decision
                                         else (category or DecisionCategory.OTHER).value)))
    open_owners = [item.owner.slack_user_id for item in (editing.open_actions if editing else [])
                   if item.owner.slack_user_id]
    blocks.append(InputBlock(
        block_id=BlockId.OWNERS.value, optional=True,
        label=PlainTextObject(text=renderer.plain("ui", "field_owners")),
        hint=PlainTextObject(text=renderer.plain("ui", "hint_owners")),
        element=UserMultiSelectElement(action_id=BlockId.OWNERS.value,
                                        initial_users=open_owners or None)))
    if editing is None:
        blocks.append(InputBlock(
            block_id=BlockId.PRESENT.value, optional=True,
            label=PlainTextObject(text=renderer.plain("ui", "field_present")),
            element=UserMultiSelectElement(action_id=BlockId.PRESENT.value)))
    due = next((item.action.due_date for item in editing.open_actions), None) if editing \
        else None
    blocks.append(date_input(renderer, BlockId.DUE, "field_due", initial=due, optional=True))
    if editing is None:
        blocks.append(checkbox_input(renderer, BlockId.JOBCENTER_OWNER, "field_jobcenter_owner",
                                      "option_jobcenter_owner"))
        blocks.append(checkbox_input(renderer, BlockId.JOBCENTER_AGREED,
                                      "field_jobcenter_agreed", "option_jobcenter_agreed"))
        settle_options = [Option(value=code.value, text=PlainTextObject(
            text=renderer.label("settles", code.value))) for code in SETTLEABLE]
        blocks.append(InputBlock(
            block_id=BlockId.SETTLES.value, optional=True,
            label=PlainTextObject(text=renderer.plain("ui", "field_settles")),
            hint=PlainTextObject(text=renderer.plain("ui", "hint_settles")),
            element=StaticSelectElement(
                action_id=BlockId.SETTLES.value, options=settle_options,
                initial_option=next((option for option in settle_options
                                     if option.value == (settles.value if settles else None)),
                                    None))))
        blocks.append(date_input(renderer, BlockId.SETTLED_UNTIL, "field_settled_until",
                                 initial=None, optional=True))
        blocks.append(text_input(renderer, BlockId.EXTENSION_WEEKS, "field_extension_weeks",
                                  optional=True, max_length=3))
        outcome_options = [Option(value=outcome.value,
                                  text=PlainTextObject(text=renderer.label("outcome",
                                                                           outcome.value)))
                           for outcome in Outcome]
        blocks.append(InputBlock(
            block_id=BlockId.OUTCOME.value, optional=True,
            label=PlainTextObject(text=renderer.plain("ui", "field_outcome")),
            element=StaticSelectElement(action_id=BlockId.OUTCOME.value,
                                        options=outcome_options)))
    callback = CallbackId.DECISION_EDIT if editing else CallbackId.DECISION
    title = (renderer.plain("ui", "modal_decision_edit") if editing
             else renderer.plain("ui", "modal_decision", ref=metadata.ref or ""))
    return modal(renderer, callback, title, blocks, metadata)
