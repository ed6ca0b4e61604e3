"""The App Home: each person's due items, open decision actions and cases."""


from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from sparbot.bot.figures.blocks import figure_fields
from sparbot.bot.ids import ActionId
from sparbot.bot.kit import (
    SECTION_TEXT_MAX,
    VIEW_BLOCKS_MAX,
    button,
    clip,
    context,
    header,
    sections,
)
from sparbot.bot.render import Renderer, escape_mrkdwn
from sparbot.models import Case, Decision, DecisionAction
from sparbot.services.case_refs import case_token
from sparbot.services.due import DueItem
from sparbot.services.figures import Figures
from sparbot.services.snapshots import CaseSnapshot

HOME_CASES_MAX = 30


HOME_DUE_MAX = 30


def build_home_view(user_id: str, snapshots: Sequence[CaseSnapshot], due: Sequence[DueItem],
                    today: date, renderer: Renderer,
                    actions: Sequence[tuple[DecisionAction, Decision, Case]] = (),
                    offers: Collection[str] | None = None,
                    figures: Figures | None = None) -> View:
    """The person's App Home; its buttons only those in `offers` (None: all); an admin's
    with the results (`figures`) at its foot."""
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
                text=MarkdownTextObject(text=clip(renderer.text(
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
                             case_token(snapshot.case))))
    if len(snapshots) > HOME_CASES_MAX:
        blocks.append(context(renderer.text("home", "more_cases",
                                            count=len(snapshots) - HOME_CASES_MAX)))
    if offers is None or ActionId.CASE_ADD in offers:
        blocks.append(ActionsBlock(elements=[button(renderer.plain("ui", "button_case_add"),
                                                    ActionId.CASE_ADD, "new", primary=True)]))
    if figures is not None:
        blocks += [DividerBlock(), header(renderer.plain("home", "figures_heading")),
                   figure_fields(figures, renderer),
                   context(renderer.text("home", "figures_more") + " "
                           + escape_mrkdwn(renderer.plain("figures", "small_rule")))]
    blocks.append(context(renderer.text("home", "footer")))
    return View(type="home", blocks=blocks[:VIEW_BLOCKS_MAX])
