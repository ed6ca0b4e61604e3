"""`sparbot stats`: the provider's results figures, per cohort of courses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sparbot.cli_common import cli_date, clock_at, current_settings, engine_for, err, say, writable
from sparbot.cli_errors import mistakes_said

FORMATS = ("table", "json", "csv", "xlsx", "pdf")


def stats(date_from: Annotated[str | None, typer.Option(
              "--from", help="Courses started from this date.")] = None,
          date_to: Annotated[str | None, typer.Option(
              "--to", help="Courses started until this date.")] = None,
          team: Annotated[str | None, typer.Option(help="One team's courses.")] = None,
          programme: Annotated[str | None, typer.Option(help="One programme's courses.")
                               ] = None,
          purpose: Annotated[str | None, typer.Option(
              help="One purpose's courses, such as fleksjob or flex-job.")] = None,
          by: Annotated[str, typer.Option(
              help="Cohorts by start quarter, team or programme; none: one for all.")
          ] = "quarter",
          fmt: Annotated[str, typer.Option("--format", help="table, json, csv, xlsx or pdf.")
                         ] = "table",
          separator: Annotated[str, typer.Option(
              "--separator", help="CSV separator: ';' (the default) or ','.")] = ";",
          output: Annotated[Path | None, typer.Option(
              "-o", "--output", help="File to write (default: the screen; xlsx and pdf: "
                                     "resultater.xlsx/.pdf).")
          ] = None,
          now: Annotated[str | None, typer.Option(help="As at this ISO instant.")] = None
          ) -> None:
    """The results: courses, outcomes, company placements, paid hours, hours, follow-ups,
    decisions and attendance, per cohort; figures about fewer than 5 citizens as "< 5"."""
    from sparbot.bot.render import Renderer
    from sparbot.db import session_factory
    from sparbot.reports import figures_files as files
    from sparbot.reports.figures_pdf import figures_pdf
    from sparbot.services.audit import AuditAction, audit
    from sparbot.services.figures import compute_figures, compute_weekly
    from sparbot.services.figures_sql import By, Selection
    from sparbot.services.importer import PURPOSE_WORDS
    from sparbot.services.teams import get_team

    settings = current_settings()
    if fmt not in FORMATS:
        err.print(say("format_is", settings, option="--format", values=list(FORMATS)),
                  highlight=False)
        raise typer.Exit(2)
    if by not in By.ALL:
        err.print(say("format_is", settings, option="--by", values=list(By.ALL)),
                  highlight=False)
        raise typer.Exit(2)
    if separator not in (",", ";"):
        err.print(say("format_is", settings, option="--separator", values=["';'", "','"]),
                  markup=False, highlight=False)
        raise typer.Exit(2)
    wanted_purpose = None
    if purpose is not None:
        wanted_purpose = PURPOSE_WORDS.get(purpose.strip().lower())
        if wanted_purpose is None:
            err.print(say("format_is", settings, option="--purpose",
                          values=sorted(PURPOSE_WORDS)), highlight=False)
            raise typer.Exit(2)
    if fmt in ("xlsx", "pdf") and output is None:  # a file, not the screen
        stem = "resultater" if settings.language == "da" else "results"
        output = Path(f"{stem}.{fmt}")
    if output is not None:
        writable(output, settings)
    today = clock_at(settings, now).today()
    renderer = Renderer(settings.language)
    with mistakes_said(settings.language), session_factory(engine_for(settings))() as session:
        team_ids = (get_team(session=session, name=team).id or 0,) if team else None
        selection = Selection(
            today=today, started_from=cli_date(date_from, "--from", settings, today),
            started_to=cli_date(date_to, "--to", settings, today), team_ids=team_ids,
            programme=programme, purpose=wanted_purpose.value if wanted_purpose else None,
            by=by)
        figures = compute_figures(session=session, selection=selection)
        weekly = compute_weekly(session=session, selection=selection) if fmt == "pdf" else None
        audit(session=session, actor="cli", action=AuditAction.EXPORT, what="figures")
    if weekly is not None:
        scope = ", ".join(part for part in (
            team, programme,
            renderer.label("purpose", wanted_purpose.value) if wanted_purpose else None)
            if part)
        data = figures_pdf(figures, weekly, renderer, today=today, scope=scope or None)
    elif fmt == "xlsx":
        data = files.figures_xlsx(figures, renderer)
    elif fmt == "csv":
        data = files.figures_csv(figures, renderer, separator)
    else:
        text = (files.figures_json(figures, renderer) if fmt == "json"
                else files.figures_table(figures, renderer))
        data = (text + "\n").encode("utf-8")
    if output is None:
        typer.echo(data.decode("utf-8-sig"), nl=False)
    else:
        output.write_bytes(data)
        if fmt in ("xlsx", "pdf"):
            typer.echo(say("written_to", settings, path=str(output)))
