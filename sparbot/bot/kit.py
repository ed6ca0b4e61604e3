"""Block Kit shared by every subject: Slack's limits, text sections, headers, buttons and
form inputs, built with slack_sdk's models so that a template can never produce an invalid
payload. Pure: never touches the database."""


from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from sparbot.bot.ids import ActionId, BlockId, CallbackId
from sparbot.bot.metadata import (
    ModalContext,
)
from sparbot.bot.render import Renderer

SECTION_TEXT_MAX = 3000


HEADER_MAX = 150


MESSAGE_BLOCKS_MAX = 50


VIEW_BLOCKS_MAX = 100


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sections(text: str) -> list[Block]:
    """mrkdwn text as sections of at most 3000 characters, split at line ends."""
    blocks: list[Block] = []
    chunk = ""
    for line in text.splitlines():
        while len(line) > SECTION_TEXT_MAX:  # a single overlong line: hard split
            blocks.append(SectionBlock(text=MarkdownTextObject(text=line[:SECTION_TEXT_MAX])))
            line = line[SECTION_TEXT_MAX:]
        if chunk and len(chunk) + 1 + len(line) > SECTION_TEXT_MAX:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk.strip():
        blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    return blocks


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_MAX)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, 3000))])


def button(label: str, action_id: ActionId, value: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=clip(label, 75)), action_id=action_id.value,
                         value=value, style="primary" if primary else None)


def build_text_message(text: str) -> list[Block]:
    return sections(text)[:MESSAGE_BLOCKS_MAX]


def build_help_message(renderer: Renderer) -> list[Block]:
    return build_text_message(renderer.render("help"))


def text_input(renderer: Renderer, block: BlockId, label: str, *, optional: bool = False,
                hint: str | None = None, initial: str | None = None, multiline: bool = False,
                max_length: int = 200) -> InputBlock:
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=PlainTextInputElement(action_id=block.value, initial_value=initial,
                                      multiline=multiline, max_length=max_length),
        hint=PlainTextObject(text=renderer.plain("ui", hint)) if hint else None,
        optional=optional,
    )


def date_input(renderer: Renderer, block: BlockId, label: str, *, initial: date | None,
                optional: bool = False) -> InputBlock:
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=DatePickerElement(
            action_id=block.value,
            initial_date=initial.isoformat() if initial else None,
            placeholder=PlainTextObject(text=renderer.plain("ui", "placeholder_date"))),
        optional=optional,
    )


def user_input(renderer: Renderer, block: BlockId, label: str, *, optional: bool = False,
                initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=UserSelectElement(
            action_id=block.value, initial_user=initial,
            placeholder=PlainTextObject(text=renderer.plain("ui", "placeholder_user"))),
        optional=optional,
    )


def select_input(renderer: Renderer, block: BlockId, label: str, group: str,
                  values: Iterable[str], *, initial: str | None = None) -> InputBlock:
    options = [Option(value=value, text=PlainTextObject(text=renderer.label(group, value)))
               for value in values]
    initial_option = next((option for option in options if option.value == initial), None)
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=StaticSelectElement(action_id=block.value, options=options,
                                    initial_option=initial_option),
    )


def choice_input(renderer: Renderer, block: BlockId, label: str,
                 choices: Sequence[tuple[str, str]], *, initial: str | None = None
                 ) -> InputBlock:
    """A select whose options' words are given (value, text): numbers, weeks."""
    options = [Option(value=value, text=PlainTextObject(text=clip(text, 75)))
               for value, text in choices]
    initial_option = next((option for option in options if option.value == initial), None)
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=StaticSelectElement(action_id=block.value, options=options,
                                    initial_option=initial_option),
    )


def checkbox_input(renderer: Renderer, block: BlockId, label: str, option: str) -> InputBlock:
    return InputBlock(
        block_id=block.value, optional=True,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=CheckboxesElement(action_id=block.value, options=[
            Option(value="yes", text=PlainTextObject(text=renderer.plain("ui", option)))]))


def modal(renderer: Renderer, callback: CallbackId, title: str, blocks: list[Block],
           metadata: ModalContext) -> View:
    return View(type="modal", callback_id=callback.value,
                title=PlainTextObject(text=clip(title, 24)),
                submit=PlainTextObject(text=renderer.plain("ui", "submit")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(), blocks=blocks)
