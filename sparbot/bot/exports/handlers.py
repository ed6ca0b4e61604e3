"""`/spar eksport`: the decision log as a file, delivered in a DM, never to a channel."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sparbot.bot.deps import Deps
from sparbot.bot.exports.commands import Export, ExportAll, Report, StatementDraft
from sparbot.bot.exports.files import export_decisions, export_filename
from sparbot.bot.invocation import Invocation
from sparbot.bot.replies import reply_text
from sparbot.reports.statement import draft_statement
from sparbot.services import roster
from sparbot.services.access import Role
from sparbot.services.audit import AuditAction, audit
from sparbot.services.exports import ExportFilter
from sparbot.services.report import gather_case_report
from sparbot.services.team_members import administered_team_ids


def report_to_dm(deps: Deps, command: Report, call: Invocation) -> None:
    from sparbot.reports.case_pdf import case_report_pdf  # reportlab, matplotlib: when asked

    renderer = deps.renderer
    with deps.session() as session:
        report = gather_case_report(session=session, ref=command.ref, today=deps.clock.today())
        audit(session=session, actor=call.user_id, action=AuditAction.EXPORT,
              what="case.report", refs=[report.ref])
    pdf = case_report_pdf(report, renderer)
    dm = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    name = ("sagsrapport" if renderer.language == "da" else "case-report") + f"-{report.ref}.pdf"
    call.client.files_upload_v2(channel=dm, content=pdf, filename=name, title=name[:-4],
                                initial_comment=renderer.text("report", "delivered",
                                                              ref=report.ref))
    reply_text(call.respond, renderer.text("report", "sent", ref=report.ref))


def statement_to_dm(deps: Deps, command: StatementDraft, call: Invocation) -> None:
    """The draft statement in the person's DM, as Word (to edit) and as PDF."""
    from sparbot.reports.statement_files import statement_docx, statement_pdf  # when asked

    renderer = deps.renderer
    with deps.session() as session:
        drafted = draft_statement(session=session, ref=command.ref, renderer=renderer,
                                  today=deps.clock.today())
        audit(session=session, actor=call.user_id, action=AuditAction.EXPORT,
              what="case.statement", refs=[drafted.ref])
    dm = call.client.conversations_open(users=call.user_id)["channel"]["id"]
    stem = ("statusudtalelse" if renderer.language == "da" else "status-statement") + \
        f"-{drafted.ref}"
    call.client.files_upload_v2(
        channel=dm, initial_comment=renderer.text("statement", "delivered", ref=drafted.ref),
        file_uploads=[{"content": statement_docx(drafted), "filename": f"{stem}.docx",
                       "title": stem},
                      {"content": statement_pdf(drafted), "filename": f"{stem}.pdf",
                       "title": stem}])
    reply_text(call.respond, renderer.text("statement", "sent", ref=drafted.ref))


def export_to_dm(deps: Deps, command: Export | ExportAll, call: Invocation) -> None:
    renderer = deps.renderer
    fmt = command.fmt
    with tempfile.TemporaryDirectory() as folder, deps.session() as session:
        case = roster.get_case(session=session, ref=command.case_ref) \
            if command.case_ref else None
        ref = case.ref if case else None
        # The whole log: a deployment admin's is every team's, a team admin's their teams'.
        teams = None if ref or (call.actor and call.actor.role is Role.ADMIN) else \
            administered_team_ids(session=session, user_id=call.user_id)
        selection = ExportFilter(ref=ref, case_id=case.id if case else None,
                                 date_from=command.date_from, date_to=command.date_to,
                                 team_ids=teams)
        path = Path(folder) / export_filename(selection, fmt, renderer)
        with path.open("wb") as out:
            count = export_decisions(session=session, selection=selection, fmt=fmt, out=out,
                                     renderer=renderer,
                                     separator=";" if renderer.language == "da" else ",")
        audit(session=session, actor=call.user_id, action=AuditAction.EXPORT,
              what="decisions.export", refs=[ref])
        dm = call.client.conversations_open(users=call.user_id)["channel"]["id"]
        call.client.files_upload_v2(
            channel=dm, file=str(path), filename=path.name, title=path.stem,
            initial_comment=renderer.text("exports", "delivered", count=count, ref=ref))
    reply_text(call.respond, renderer.text("exports", "sent", count=count))
