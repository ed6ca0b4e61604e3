"""The provider's results, as figures per cohort of courses: how many, where they went, how
far hours rose, paid hours, company placements, follow-ups on time, decisions, attendance.

Every figure carries its denominator, and the small-number rule lives here, in the figure
itself, so that no output can show what it hides: a figure about one to four citizens is
shown as "< 5", never as a count or a share. Nor may it be worked out from what is shown:
a share of citizens is hidden when those outside it are one to four ("5 of 6" tells of the
one), and where figures add up to a shown total (running and ended courses; the outcomes),
one hidden figure hides the smallest shown one beside it (complementary suppression)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session, select

from sparbot.enums import Outcome
from sparbot.models import Team
from sparbot.services import figures_sql as sql
from sparbot.services import figures_weeks_sql as weeks_sql
from sparbot.services.course_facts_sql import PAID_WEEKS
from sparbot.services.figures_sql import By, Selection

MIN_CITIZENS = 5
SMALL = "< 5"
ALL = "*"  # the cohort of every course in the selection


@dataclass(frozen=True)
class Count:
    """A number of citizens (courses), or of events about `citizens` citizens."""

    n: int
    citizens: int | None = None  # None: `n` is itself citizens
    suppressed: bool = False  # hidden so that a hidden figure beside it stays hidden

    @property
    def hidden(self) -> bool:
        about = self.n if self.citizens is None else self.citizens
        return self.suppressed or 0 < about < MIN_CITIZENS

    @property
    def value(self) -> int | None:
        return None if self.hidden else self.n


@dataclass(frozen=True)
class Share:
    """`part` of `whole`. Of citizens: hidden when the whole, the part or those outside it
    are one to four. Of events: hidden when they are about one to four citizens. Of none,
    there is no share ("–")."""

    part: int
    whole: int
    citizens: int | None = None  # None: part and whole are citizens themselves
    suppressed: bool = False

    @property
    def hidden(self) -> bool:
        if self.citizens is not None:  # events (meetings, decisions, days) of citizens
            return self.suppressed or 0 < self.citizens < MIN_CITIZENS
        return (self.suppressed or 0 < self.whole < MIN_CITIZENS
                or 0 < self.part < MIN_CITIZENS or 0 < self.whole - self.part < MIN_CITIZENS)

    @property
    def value(self) -> float | None:
        return None if self.hidden or not self.whole else self.part / self.whole


@dataclass(frozen=True)
class Median:
    """The middle value over `of` courses (the mean of the middle two for an even count)."""

    median: float | None
    of: int
    suppressed: bool = False

    @property
    def hidden(self) -> bool:
        return self.suppressed or 0 < self.of < MIN_CITIZENS

    @property
    def value(self) -> float | None:
        return None if self.hidden else self.median


Figure = Count | Share | Median


@dataclass(frozen=True)
class Line:
    """One figure in a cohort: what it is (`key`, a label in prompts/<lang>/figures.md.j2)
    and its unit ("weeks", "hours" or None)."""

    key: str
    figure: Figure
    unit: str | None = None


@dataclass
class Cohort:
    key: str  # "20263" (the third quarter of 2026), a team's id, a programme, or ALL
    by: str
    name: str | None = None  # the team's name ("" for the deployment's own meeting)
    lines: list[Line] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(line.figure for line in self.lines if line.key == key)


@dataclass(frozen=True)
class Figures:
    selection: Selection
    cohorts: list[Cohort]  # each cohort, then ALL

    @property
    def whole(self) -> Cohort:
        return self.cohorts[-1]


def _rows(session: Session, statement: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.connection().execute(statement)]


def _by_group(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["grp"]: row for row in rows}


def _summed(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Counts add up across cohorts (every course is in one): the whole from its parts."""
    total: dict[str, Any] = defaultdict(int)
    for row in rows.values():
        for name, value in row.items():
            if name != "grp" and name != "kind":
                total[name] += value or 0
    return total


def compute_figures(*, session: Session, selection: Selection) -> Figures:
    """Every figure of every cohort in the selection, in a fixed number of statements."""
    courses = {ALL if row["grp"] is None else row["grp"]: row
               for row in _rows(session, sql.courses_statement(selection))}
    if not courses[ALL]["started"]:
        courses = {ALL: courses[ALL]}  # no course: the whole alone, all noughts
    actions = _by_group(_rows(session, sql.actions_statement(selection)))

    teams = _team_names(session, selection.by)
    cohorts = []
    # By none, the whole is its one cohort.
    keys = sorted(key for key in courses if key != ALL) if selection.by != By.NONE else []
    for key in [*keys, ALL]:
        def pick(rows: dict[str, dict[str, Any]], key: str = key) -> dict[str, Any]:
            return _summed(rows) if key == ALL else rows.get(key, {})

        row = courses[key]

        def median(measure: str, row: dict[str, Any] = row) -> dict[str, Any]:
            return {"median": row[f"median:{measure}"], "n": row[f"of:{measure}"]}

        cohort = Cohort(key=key, by=selection.by,
                        name=teams.get(key, "") if selection.by == By.TEAM else None)
        cohort.lines = _lines(row, median, _part(row, "mentor"), _part(row, "workplace"),
                              _part(row, "decisions"), pick(actions), _part(row, "attendance"))
        cohorts.append(cohort)
    return Figures(selection=selection, cohorts=cohorts)


def _part(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The columns of the courses' row named `prefix:…`, by the rest of their name."""
    return {name.split(":", 1)[1]: value for name, value in row.items()
            if name.startswith(f"{prefix}:")}


def _lines(counts: dict[str, Any], median: Any, mentor: dict[str, Any],
           workplace: dict[str, Any], decisions: dict[str, Any], actions: dict[str, Any],
           attendance: dict[str, Any]) -> list[Line]:
    def n(name: str, row: dict[str, Any] = counts) -> int:
        return int(row.get(name) or 0)

    def weeks(measure: str) -> Median:
        row = median(measure)
        value = row.get("median")
        return Median(None if value is None else float(value) / 7, int(row.get("n") or 0))

    def hours(measure: str) -> Median:
        row = median(measure)
        value = row.get("median")
        return Median(None if value is None else float(value), int(row.get("n") or 0))

    started, ended = n("started"), n("ended")
    lines = [
        Line("started", Count(started)),
        Line("active", Count(n("active"))),
        Line("ended", Count(ended)),
        Line("length", weeks("length_days"), "weeks"),
        Line("extended", Share(n("extended"), started)),
        Line("extensions", Count(n("extensions"), citizens=n("extended"))),
        *[Line(f"outcome:{outcome}", Share(n(f"outcome:{outcome}"), ended))
          for outcome in Outcome],
        Line("company", Share(n("company"), started)),
        Line("weeks_to_company", weeks("company_days"), "weeks"),
        *[Line(f"paid_w{week}", Share(n(f"paid_w{week}"), n(f"reached_w{week}")))
          for week in PAID_WEEKS],
        Line("paid_end", Share(n("paid_end"), ended)),
        Line("weeks_to_paid", weeks("paid_days"), "weeks"),
        Line("hours_start", hours("hours_start"), "hours"),
        Line("hours_peak", hours("hours_peak"), "hours"),
        Line("hours_end", hours("hours_end"), "hours"),
        Line("stepped_down", Share(n("stepped_down"), n("with_hours"))),
        Line("mentor_on_time", Share(n("on_time", mentor), n("held", mentor),
                                     citizens=n("citizens", mentor))),
        Line("workplace_on_time", Share(n("on_time", workplace), n("held", workplace),
                                        citizens=n("citizens", workplace))),
        Line("decisions", Count(n("decisions", decisions), citizens=n("citizens", decisions))),
        Line("jobcenter_present", Share(n("jobcenter_present", decisions),
                                        n("decisions", decisions),
                                        citizens=n("citizens", decisions))),
        Line("jobcenter_agreed", Share(n("jobcenter_agreed", decisions),
                                       n("decisions", decisions),
                                       citizens=n("citizens", decisions))),
        Line("actions_on_time", Share(n("on_time", actions), n("due", actions),
                                      citizens=n("citizens", actions))),
        Line("attendance", Share(n("attended", attendance), n("planned", attendance),
                                 citizens=n("citizens", attendance))),
    ]
    _suppress_complements(lines, ["active", "ended"])
    _suppress_complements(lines, [f"outcome:{outcome}" for outcome in Outcome])
    return lines


def _suppress_complements(lines: list[Line], keys: list[str]) -> None:
    """Figures that add up to a shown total: if just one of them is hidden, the total less
    the others would show it, so the smallest shown one beside it is hidden as well."""
    def size(line: Line) -> int:
        figure = line.figure
        return figure.part if isinstance(figure, Share) else getattr(figure, "n", 0)

    group = [index for index, line in enumerate(lines) if line.key in keys]
    hidden = [index for index in group if lines[index].figure.hidden and size(lines[index])]
    shown = sorted((index for index in group
                    if not lines[index].figure.hidden and size(lines[index])),
                   key=lambda index: size(lines[index]))
    if len(hidden) == 1 and shown:
        index = shown[0]
        lines[index] = replace(lines[index],
                               figure=replace(lines[index].figure, suppressed=True))


def _team_names(session: Session, by: str) -> dict[str, str]:
    if by != By.TEAM:
        return {}
    return {str(team.id): team.name for team in session.exec(select(Team))}


@dataclass(frozen=True)
class WeekBand:
    """The weekly hours in one course week: quartiles and median over `of` courses."""

    week: int
    low: float
    median: float
    high: float
    of: int

    @property
    def hidden(self) -> bool:
        return 0 < self.of < MIN_CITIZENS


@dataclass(frozen=True)
class Weekly:
    """What the charts follow course week by course week: per cohort (and ALL), the share
    of the courses that reached the week with paid hours at its end; the hours' band."""

    paid: dict[str, list[tuple[int, Share]]]
    band: list[WeekBand]


def compute_weekly(*, session: Session, selection: Selection) -> Weekly:
    paid: dict[str, list[tuple[int, Share]]] = defaultdict(list)
    whole: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in _rows(session, weeks_sql.paid_by_week_statement(selection)):
        week, reached, with_paid = int(row["week"]), int(row["reached"]), int(row["paid"])
        if selection.by != By.NONE:
            paid[row["grp"]].append((week, Share(with_paid, reached)))
        whole[week][0] += with_paid
        whole[week][1] += reached
    for key in paid:
        paid[key].sort(key=lambda point: point[0])
    paid[ALL] = [(week, Share(whole[week][0], whole[week][1])) for week in sorted(whole)]
    band = [WeekBand(week=int(row["week"]), low=float(row["low"]),
                     median=float(row["median"]), high=float(row["high"]), of=int(row["n"]))
            for row in _rows(session, weeks_sql.hours_band_statement(selection))]
    return Weekly(paid=dict(paid), band=band)
