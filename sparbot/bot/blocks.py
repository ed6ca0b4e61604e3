"""Pure builders: domain objects → Block Kit, within Slack's limits by construction.

Never touches the database. Text comes from the templates (render.py); structure is built
here with slack_sdk's models, so a template can never produce an invalid payload.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from sparbot.bot.markers import agenda_item_marker, digest_marker
from sparbot.bot.metadata import (
    DismissContext,
    EmailContext,
    ModalContext,
    NudgeRef,
    RosterPosition,
)
from sparbot.bot.render import Renderer, escape_mrkdwn
from sparbot.enums import (
    ActionId,
    BlockId,
    Cadence,
    CallbackId,
    CaseStatus,
    DecisionCategory,
    FollowUpKind,
    Outcome,
    PaidHoursAnswer,
    PlacementKind,
    Purpose,
)
from sparbot.models import Case, Decision, DecisionAction, Placement
from sparbot.parsing import format_hours
from sparbot.services.agenda import Agenda, AgendaEntry
from sparbot.services.decisions import DecisionView
from sparbot.services.due import DueItem
from sparbot.services.nudges import Nudge
from sparbot.services.roster import RosterPage
from sparbot.services.snapshots import AnyPlacement, CaseSnapshot

SECTION_TEXT_MAX = 3000
HEADER_MAX = 150
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
HOME_CASES_MAX = 30
HOME_DUE_MAX = 30
JOBCENTER_LINE_BLOCK = "jobcenter-line"


def _clip(text: str, limit: int) -> str:
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
    return HeaderBlock(text=PlainTextObject(text=_clip(text, HEADER_MAX)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=_clip(text, 3000))])


def button(label: str, action_id: ActionId, value: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=_clip(label, 75)), action_id=action_id.value,
                         value=value, style="primary" if primary else None)


def build_text_message(text: str) -> list[Block]:
    return sections(text)[:MESSAGE_BLOCKS_MAX]


def build_help_message(renderer: Renderer) -> list[Block]:
    return build_text_message(renderer.render("help"))


def _case_body(snapshot: CaseSnapshot, today: date, due: Sequence[DueItem],
               renderer: Renderer) -> list[Block]:
    parts = [
        renderer.text("case", "course", s=snapshot, today=today),
        renderer.text("case", "people", s=snapshot),
        renderer.text("case", "placements", s=snapshot, today=today),
        renderer.text("case", "hours", s=snapshot, today=today),
        renderer.text("case", "follow_ups", s=snapshot),
    ]
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
                       renderer: Renderer, offers: Collection[str] | None = None
                       ) -> list[Block]:
    """The case card; its buttons only those in `offers` (None: all), the ones the reader
    may use."""
    blocks: list[Block] = [_case_header(snapshot, today, renderer)]
    blocks += _case_body(snapshot, today, due, renderer)
    if snapshot.record.status == CaseStatus.ACTIVE:
        ref = snapshot.case.ref
        buttons = [button(renderer.plain("ui", label), action_id, ref) for label, action_id in (
            ("button_hours", ActionId.HOURS_ADD), ("button_follow_up", ActionId.FOLLOWUP_ADD),
            ("button_placement", ActionId.PLACEMENT_ADD),
            ("button_agenda_add", ActionId.AGENDA_ADD)) if offers is None or action_id in offers]
        if buttons:
            blocks.append(ActionsBlock(elements=buttons))
    return blocks[:MESSAGE_BLOCKS_MAX]


def build_case_modal(snapshot: CaseSnapshot, today: date, due: Sequence[DueItem],
                     renderer: Renderer) -> View:
    """A read-only view of a case, opened from the App Home."""
    blocks = _case_body(snapshot, today, due, renderer)
    title = renderer.plain("case", "header", ref=snapshot.case.ref,
                           week=snapshot.week_number(today), weeks=snapshot.total_weeks)
    return View(type="modal", title=PlainTextObject(text=_clip(title, 24)),
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


def build_home_view(user_id: str, snapshots: Sequence[CaseSnapshot], due: Sequence[DueItem],
                    today: date, renderer: Renderer,
                    actions: Sequence[tuple[DecisionAction, Decision, Case]] = ()) -> View:
    blocks: list[Block] = [
        header(renderer.plain("home", "title")),
        sections(renderer.text("home", "greeting", user_id=user_id, cases=len(snapshots),
                               due=len(due)))[0],
        header(renderer.plain("home", "due_heading")),
    ]
    if due:
        lines = [renderer.text("case", "due_line", item=item, today=today)
                 for item in due[:HOME_DUE_MAX]]
        if len(due) > HOME_DUE_MAX:
            lines.append(renderer.text("home", "more_due", count=len(due) - HOME_DUE_MAX))
        blocks += sections("\n".join(lines))
    else:
        blocks += sections(renderer.text("home", "nothing_due"))
    if actions:
        blocks.append(header(renderer.plain("decisions", "home_heading")))
        for action, decision, case in actions[:HOME_DUE_MAX]:
            blocks.append(SectionBlock(
                text=MarkdownTextObject(text=_clip(renderer.text(
                    "decisions", "home_line", action=action, decision=decision, case=case),
                    SECTION_TEXT_MAX)),
                accessory=button(renderer.plain("ui", "button_done"),
                                 ActionId.DECISION_ACTION_DONE, str(action.id))))
    blocks += [DividerBlock(), header(renderer.plain("home", "cases_heading"))]
    if not snapshots:
        blocks += sections(renderer.text("home", "no_cases"))
    for snapshot in snapshots[:HOME_CASES_MAX]:
        blocks.append(SectionBlock(
            text=MarkdownTextObject(text=renderer.text("roster", "line", s=snapshot,
                                                       today=today)),
            accessory=button(renderer.plain("ui", "button_open_case"), ActionId.CASE_OPEN,
                             snapshot.case.ref)))
    if len(snapshots) > HOME_CASES_MAX:
        blocks.append(context(renderer.text("home", "more_cases",
                                            count=len(snapshots) - HOME_CASES_MAX)))
    blocks.append(ActionsBlock(elements=[
        button(renderer.plain("ui", "button_case_add"), ActionId.CASE_ADD, "new", primary=True)]))
    blocks.append(context(renderer.text("home", "footer")))
    return View(type="home", blocks=blocks[:VIEW_BLOCKS_MAX])


# --- modals -------------------------------------------------------------------------------


def _text_input(renderer: Renderer, block: BlockId, label: str, *, optional: bool = False,
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


def _date_input(renderer: Renderer, block: BlockId, label: str, *, initial: date | None,
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


def _user_input(renderer: Renderer, block: BlockId, label: str, *, optional: bool = False,
                initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=block.value,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=UserSelectElement(
            action_id=block.value, initial_user=initial,
            placeholder=PlainTextObject(text=renderer.plain("ui", "placeholder_user"))),
        optional=optional,
    )


def _select_input(renderer: Renderer, block: BlockId, label: str, group: str,
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


def _modal(renderer: Renderer, callback: CallbackId, title: str, blocks: list[Block],
           metadata: ModalContext) -> View:
    return View(type="modal", callback_id=callback.value,
                title=PlainTextObject(text=_clip(title, 24)),
                submit=PlainTextObject(text=renderer.plain("ui", "submit")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(), blocks=blocks)


def build_case_add_modal(renderer: Renderer, metadata: ModalContext, *, today: date,
                         user_id: str | None) -> View:
    blocks: list[Block] = [
        _text_input(renderer, BlockId.REF, "field_ref", hint="hint_ref", max_length=24),
        _text_input(renderer, BlockId.PROGRAMME, "field_programme", hint="hint_programme"),
        _select_input(renderer, BlockId.PURPOSE, "field_purpose", "purpose",
                      [purpose.value for purpose in Purpose]),
        _date_input(renderer, BlockId.START, "field_start", initial=today),
        _text_input(renderer, BlockId.WEEKS, "field_weeks", initial="26", max_length=3),
        _user_input(renderer, BlockId.MENTOR, "field_mentor", initial=user_id),
        _user_input(renderer, BlockId.CONSULTANT, "field_consultant", optional=True),
        _user_input(renderer, BlockId.JOBCENTER_USER, "field_jobcenter_user", optional=True),
        _text_input(renderer, BlockId.JOBCENTER_NAME, "field_jobcenter_name", optional=True),
        _text_input(renderer, BlockId.JOBCENTER_EMAIL, "field_jobcenter_email", optional=True,
                    max_length=254),
        _select_input(renderer, BlockId.CADENCE, "field_cadence", "cadence",
                      [cadence.value for cadence in Cadence], initial=Cadence.WEEKLY.value),
    ]
    return _modal(renderer, CallbackId.CASE_ADD, renderer.plain("ui", "modal_case_add"),
                  blocks, metadata)


def build_hours_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        _text_input(renderer, BlockId.HOURS, "field_hours", hint="hint_hours", max_length=20),
        _text_input(renderer, BlockId.PAID, "field_paid", optional=True, max_length=20),
        _date_input(renderer, BlockId.FROM, "field_from", initial=today),
    ]
    return _modal(renderer, CallbackId.HOURS,
                  renderer.plain("ui", "modal_hours", ref=metadata.ref or ""), blocks, metadata)


def build_follow_up_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        _select_input(renderer, BlockId.KIND, "field_kind", "follow_up",
                      [kind.value for kind in FollowUpKind],
                      initial=FollowUpKind.MENTOR_MEETING.value),
        _date_input(renderer, BlockId.HELD_ON, "field_held_on", initial=today),
        _select_input(renderer, BlockId.PAID_RAISED, "field_paid_raised", "paid_answer",
                      [answer.value for answer in PaidHoursAnswer],
                      initial=PaidHoursAnswer.NOT_RAISED.value),
        _date_input(renderer, BlockId.NEXT_RAISE, "field_next_raise", initial=None,
                    optional=True),
        _text_input(renderer, BlockId.NOTE, "field_note", hint="hint_note", optional=True,
                    multiline=True, max_length=2000),
    ]
    return _modal(renderer, CallbackId.FOLLOWUP,
                  renderer.plain("ui", "modal_follow_up", ref=metadata.ref or ""), blocks,
                  metadata)


def build_agenda_request_modal(renderer: Renderer, metadata: ModalContext) -> View:
    blocks: list[Block] = [
        _text_input(renderer, BlockId.REASON, "field_agenda_reason", hint="hint_agenda_reason",
                    multiline=True, max_length=500),
    ]
    return _modal(renderer, CallbackId.AGENDA_REQUEST,
                  renderer.plain("ui", "modal_agenda_request", ref=metadata.ref or ""), blocks,
                  metadata)


def build_placement_modal(renderer: Renderer, metadata: ModalContext, *, today: date) -> View:
    blocks: list[Block] = [
        _select_input(renderer, BlockId.KIND, "field_kind", "placement",
                      [kind.value for kind in PlacementKind],
                      initial=PlacementKind.COMPANY_INTERNSHIP.value),
        _text_input(renderer, BlockId.WORKPLACE, "field_workplace"),
        _date_input(renderer, BlockId.START, "field_start", initial=today),
        _date_input(renderer, BlockId.END, "field_end", initial=None, optional=True),
        _text_input(renderer, BlockId.CONTACT_NAME, "field_contact_name", optional=True),
        _text_input(renderer, BlockId.CONTACT_EMAIL, "field_contact_email", optional=True,
                    max_length=254),
        _text_input(renderer, BlockId.CONTACT_PHONE, "field_contact_phone", optional=True,
                    max_length=40),
        _user_input(renderer, BlockId.CONTACT_USER, "field_contact_user", optional=True),
        _date_input(renderer, BlockId.NEXT_RAISE, "field_next_raise", initial=None,
                    optional=True),
    ]
    return _modal(renderer, CallbackId.PLACEMENT,
                  renderer.plain("ui", "modal_placement", ref=metadata.ref or ""), blocks,
                  metadata)


# --- the sparring meeting -------------------------------------------------------------------


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
                                   text=MarkdownTextObject(text=_clip(jobcenter_line,
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
    if item_id is not None:
        blocks[0].block_id = agenda_item_marker(item_id)
    blocks += sections(renderer.text("agenda", "item_reasons", item=item))
    if discussed_by is not None:
        blocks.append(context(renderer.text("agenda", "discussed", user_id=discussed_by)))
    elif item_id is not None:
        blocks.append(ActionsBlock(elements=[
            button(renderer.plain("ui", "button_decide"), ActionId.DECISION_ADD, item.ref,
                   primary=True),
            button(renderer.plain("ui", "button_discussed"), ActionId.AGENDA_ITEM_DISCUSSED,
                   str(item_id))]))
        blocks.append(context(renderer.text("agenda", "item_footer")))
    return blocks[:MESSAGE_BLOCKS_MAX]


# --- decisions ---------------------------------------------------------------------------------


def build_decision_message(view: DecisionView, renderer: Renderer) -> list[Block]:
    """A decision as everyone sees it: what, whose, by when; ticked off in place."""
    blocks: list[Block] = sections(renderer.text("decisions", "heading", v=view))
    blocks += sections(renderer.text("decisions", "body", v=view))
    for item in view.actions:
        text = MarkdownTextObject(text=_clip(renderer.text("decisions", "action", a=item),
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
                         text: str | None = None, editing: DecisionView | None = None
                         ) -> View:
    blocks: list[Block] = []
    if metadata.ref is None:
        blocks.append(_text_input(renderer, BlockId.REF, "field_case_ref", max_length=24))
    decision = editing.decision if editing else None
    blocks.append(_text_input(renderer, BlockId.DECISION_TEXT, "field_decision_text",
                              multiline=True, max_length=2000,
                              initial=decision.text if decision else text))
    blocks.append(_select_input(renderer, BlockId.CATEGORY, "field_category", "category",
                                [category.value for category in DecisionCategory],
                                initial=(decision.category.value if decision
                                         else DecisionCategory.OTHER.value)))
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
    blocks.append(_date_input(renderer, BlockId.DUE, "field_due", initial=due, optional=True))
    if editing is None:
        blocks.append(_checkbox_input(renderer, BlockId.JOBCENTER_OWNER, "field_jobcenter_owner",
                                      "option_jobcenter_owner"))
        blocks.append(_checkbox_input(renderer, BlockId.JOBCENTER_AGREED,
                                      "field_jobcenter_agreed", "option_jobcenter_agreed"))
        blocks.append(_text_input(renderer, BlockId.EXTENSION_WEEKS, "field_extension_weeks",
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
    return _modal(renderer, callback, title, blocks, metadata)


def _checkbox_input(renderer: Renderer, block: BlockId, label: str, option: str) -> InputBlock:
    return InputBlock(
        block_id=block.value, optional=True,
        label=PlainTextObject(text=renderer.plain("ui", label)),
        element=CheckboxesElement(action_id=block.value, options=[
            Option(value="yes", text=PlainTextObject(text=renderer.plain("ui", option)))]))


# --- nudges ---------------------------------------------------------------------------------

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
                 can_email: bool = False, digest_id: int | None = None) -> list[Block]:
    title = header(renderer.plain("nudges", "title", day=today, count=len(nudges)))
    if digest_id is not None:
        title.block_id = digest_marker(digest_id)
    blocks: list[Block] = [
        title,
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
        blocks.append(SectionBlock(block_id=f"nudge-{index}",
                                   text=MarkdownTextObject(text=_clip(text, SECTION_TEXT_MAX))))
        value = NudgeRef(subject=nudge.subject, ref=nudge.case.ref,
                         action_id=nudge.facts.get("action_id")).dump()
        if nudge.facts.get("action_id"):
            first = button(renderer.plain("ui", "button_done"), ActionId.DECISION_ACTION_DONE,
                           str(nudge.facts["action_id"]), primary=True)
        elif nudge.kind.value == "course-ending":
            first = button(renderer.plain("ui", "button_decide"), ActionId.DECISION_ADD,
                           nudge.case.ref, primary=True)
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
        _text_input(renderer, BlockId.EMAIL_SUBJECT, "field_email_subject", initial=subject,
                    max_length=200),
        _text_input(renderer, BlockId.EMAIL_BODY, "field_email_body", initial=body,
                    multiline=True, max_length=3000, hint="hint_email_body"),
    ]
    return View(type="modal", callback_id=CallbackId.CONTACT_EMAIL.value,
                title=PlainTextObject(text=_clip(renderer.plain("ui", "modal_email"), 24)),
                submit=PlainTextObject(text=renderer.plain("ui", "button_send")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(), blocks=blocks)


def build_dismiss_modal(renderer: Renderer, metadata: DismissContext) -> View:
    return View(type="modal", callback_id=CallbackId.NUDGE_DISMISS.value,
                title=PlainTextObject(text=renderer.plain("ui", "modal_dismiss")),
                submit=PlainTextObject(text=renderer.plain("ui", "submit")),
                close=PlainTextObject(text=renderer.plain("ui", "cancel")),
                private_metadata=metadata.dump(),
                blocks=[_text_input(renderer, BlockId.REASON, "field_dismiss_reason",
                                    hint="hint_dismiss_reason", multiline=True,
                                    max_length=500)])


def replace_actions(blocks: Sequence[dict[str, Any]], block_id: str,
                    text: str) -> list[dict[str, Any]]:
    """A message's blocks with one actions block replaced by a line of context."""
    return [context(text).to_dict() if block.get("block_id") == block_id else block
            for block in blocks]
