"""`/spar tal`: the figures computed after the ack, sent to the asker's DM as a short
summary and the PDF with its charts. A team's admins get their own teams' courses."""

from __future__ import annotations

from sparbot.bot.deps import Deps
from sparbot.bot.figures.blocks import build_figures_summary
from sparbot.bot.figures.commands import Figures as FiguresCommand
from sparbot.bot.invocation import Invocation
from sparbot.bot.replies import reply_text, send_dm
from sparbot.services.access import Role
from sparbot.services.audit import AuditAction, audit
from sparbot.services.figures import compute_figures, compute_weekly
from sparbot.services.figures_sql import Selection
from sparbot.services.team_members import administered_team_ids


def figures_to_dm(deps: Deps, command: FiguresCommand, call: Invocation) -> None:
    renderer, today = deps.renderer, deps.clock.today()
    with deps.session() as session:
        admin = call.actor is not None and call.actor.role is Role.ADMIN
        teams = None if admin else tuple(
            administered_team_ids(session=session, user_id=call.user_id))
        selection = Selection(today=today, started_from=command.started_from,
                              started_to=command.started_to, team_ids=teams, by=command.by)
        figures = compute_figures(session=session, selection=selection)
        weekly = compute_weekly(session=session, selection=selection)
        audit(session=session, actor=call.user_id, action=AuditAction.EXPORT, what="figures")
    from sparbot.reports.figures_pdf import figures_pdf  # matplotlib: when first asked for

    scope = None if teams is None else renderer.plain("figures", "own_teams")
    pdf = figures_pdf(figures, weekly, renderer, today=today, scope=scope)
    send_dm(call.client, call.user_id, build_figures_summary(figures, renderer, scope=scope))
    dm = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    name = ("resultater" if renderer.language == "da" else "results") + f"-{today}.pdf"
    call.client.files_upload_v2(channel=dm, content=pdf, filename=name, title=name[:-4],
                                initial_comment=renderer.text("figures", "delivered"))
    reply_text(call.respond, renderer.text("figures", "sent"))
