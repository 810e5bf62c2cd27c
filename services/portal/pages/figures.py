"""The figures behind the oversight pages: the API's reports, as panels of a chart and its table.

Each panel is one report call (filling, attendance, quality, reopen reasons) in the scope the person
oversees — their department, their faculty, or the whole university — so a page never asks the API
for more than the person may read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from ejournal_platform.web_session import CSRF_COOKIE
from services.portal.api import Reply
from services.portal.charts import Bar, bars, number
from services.portal.navigation import N_
from services.portal.visit import Visit

HUNDRED = number(100)
# The term so far: reports look back this many days from today.
PERIOD_DAYS = 120
BROADEST_FIRST = ("university", "faculty", "department")
OVERSIGHT_ROLES = frozenset(
    {
        "vice_rector",
        "registrar_head",
        "registrar_senior_inspector",
        "registrar_inspector",
        "dean",
        "dean_curation",
        "dean_staff",
        "department_head",
    }
)


@dataclass
class Panel:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)
    unavailable: bool = False  # the report was refused or failed: the panel says so, the page stays


def scope_of(visit: Visit) -> dict[str, str]:
    """The broadest scope among the person's oversight roles: {} for the university."""
    grants = [g for g in visit.me.get("roles", []) if g.get("role") in OVERSIGHT_ROLES]
    for scope_type in BROADEST_FIRST:
        for grant in grants:
            if grant.get("scope_type") == scope_type:
                return {} if scope_type == "university" else {f"{scope_type}_id": grant["scope_id"]}
    return {}


def period(today: date | None = None) -> dict[str, str]:
    end = today or date.today()
    return {"from_date": (end - timedelta(days=PERIOD_DAYS)).isoformat(), "to_date": end.isoformat()}


def by_of(scope: dict[str, str]) -> str:
    """One level below the scope: university by faculty, faculty by department, department by teacher."""
    if "department_id" in scope:
        return "GROUP_BY_TEACHER"
    return "GROUP_BY_DEPARTMENT" if "faculty_id" in scope else "GROUP_BY_FACULTY"


def percent(text: object) -> str:
    return f"{number(text):.1f} %"


@dataclass(frozen=True)
class Figure:
    """One column of a report's table: its header, the row's field, and how the value is written."""

    header: str  # msgid
    field: str
    percent: bool = False

    def text(self, row: dict[str, Any]) -> str:
        return percent(row.get(self.field)) if self.percent else str(row.get(self.field, 0))


@dataclass(frozen=True)
class Report:
    """A panel as data: which report to ask for, with what body, which figures go in the table, and
    which one the bars show (a percentage on a 0-100 scale, or a count on the largest value's)."""

    key: str
    title: str  # msgid
    path: str
    body: Callable[[Visit, dict[str, str]], Awaitable[dict[str, Any]]]
    rows: str  # the answer's list of rows
    figures: tuple[Figure, ...]
    bar: Figure


async def _by_unit(visit: Visit, scope: dict[str, str]) -> dict[str, Any]:
    return {"scope": scope, **period(), "group_by": by_of(scope)}


async def _by_group(visit: Visit, scope: dict[str, str]) -> dict[str, Any]:
    """Attendance and quality are counted per group where filling is counted per teacher."""
    return {"scope": scope, **period(), "group_by": by_of(scope).replace("TEACHER", "GROUP")}


async def _by_group_over_the_year(visit: Visit, scope: dict[str, str]) -> dict[str, Any]:
    year = await current_year(visit)
    return {"academic_year_id": year, "scope": scope, "group_by": by_of(scope).replace("TEACHER", "GROUP")}


async def _reopen_reasons(visit: Visit, scope: dict[str, str]) -> dict[str, Any]:
    return {**period(), "faculty_id": scope.get("faculty_id", "")}


REPORTS = {
    report.key: report
    for report in (
        Report(
            "filling", N_("Journal filling"), "/api/v1/reports/filling", _by_unit, "rows",
            (Figure(N_("Lessons held"), "lessons_held"), Figure(N_("Filled"), "filled_percent", True),
             Figure(N_("On time"), "on_time_percent", True)),
            Figure(N_("Filled"), "filled_percent", True),
        ),
        Report(
            "attendance", N_("Attendance"), "/api/v1/reports/attendance", _by_group, "rows",
            (Figure(N_("Records"), "records"), Figure(N_("Absent"), "absent"),
             Figure(N_("Attendance"), "attendance_percent", True)),
            Figure(N_("Attendance"), "attendance_percent", True),
        ),
        Report(
            "quality", N_("Quality of knowledge"), "/api/v1/reports/quality", _by_group_over_the_year, "rows",
            (Figure(N_("Results"), "results"), Figure(N_("Performance"), "performance_percent", True),
             Figure(N_("Quality"), "quality_percent", True)),
            Figure(N_("Quality"), "quality_percent", True),
        ),
        Report(
            "reopens", N_("Reopen reasons"), "/api/v1/reports/reopen-analysis", _reopen_reasons, "by_reason",
            (Figure(N_("Cases"), "count"), Figure(N_("Share"), "share_percent", True)),
            Figure(N_("Cases"), "count"),
        ),
    )
}  # fmt: skip


async def panel(visit: Visit, key: str, scope: dict[str, str], names: dict[str, str]) -> Panel:
    """One report asked in the person's scope, as a chart and the table of its figures."""
    report = REPORTS[key]
    first = N_("Reason") if key == "reopens" else N_("Unit")
    headers = [visit.gettext(first), *(visit.gettext(f.header) for f in report.figures)]
    shown = Panel(report.key, visit.gettext(report.title), headers)
    reply = await ask(visit, report.path, await report.body(visit, scope))
    if not reply.ok:
        return unavailable(shown)
    rows = reply.body.get(report.rows, [])
    shown.rows = [[name(r, names), *(f.text(r) for f in report.figures)] for r in rows]
    bars_of = [Bar(name(r, names), number(r.get(report.bar.field, 0)), report.bar.text(r)) for r in rows]
    shown.chart = bars(shown.title, bars_of, HUNDRED) if report.bar.percent else bars(shown.title, bars_of)
    return shown


async def ask(visit: Visit, path: str, body: dict[str, Any]) -> Reply:
    """A report query: a POST that reads, sent with the session's own CSRF token."""
    return await visit.send("POST", path, body, visit.api.cookies.get(CSRF_COOKIE, ""))


async def current_year(visit: Visit) -> str:
    """The academic year holding today (else the latest): quality is counted over a year's terms."""
    years = (await visit.get("/api/v1/academic-years", university_id=university_of(visit))).body or {}
    today = date.today().isoformat()
    listed = sorted(
        years.get("academic_years", []) if isinstance(years, dict) else [],
        key=lambda y: y.get("starts_on", ""),
    )
    holding = [y for y in listed if y.get("starts_on", "") <= today <= y.get("ends_on", "9999")]
    chosen = holding or listed
    return str(chosen[-1]["id"]) if chosen else ""


def name(row: dict[str, Any], names: dict[str, str]) -> str:
    key = str(row.get("key", ""))
    return str(row.get("name") or names.get(key) or key or "—")


def university_of(visit: Visit) -> str:
    """The university of a university-wide grant (vice-rector, registrar office, administrator), else
    the person's own university (a dean's or a department head's, from "who am I")."""
    grants = visit.me.get("roles", [])
    granted = next((str(g["scope_id"]) for g in grants if g.get("scope_type") == "university"), "")
    return granted or str(visit.me.get("university_id", ""))


async def unit_names(visit: Visit) -> dict[str, str]:
    """Faculty and department titles by id: reporting keys its rows by id and knows only people's
    names, so one call for the person's university's structure names the units of a page by faculty
    (university-wide) or by department (a dean's)."""
    university = university_of(visit)
    if not university:
        return {}
    reply = await visit.get(f"/api/v1/universities/{university}/structure")
    if not reply.ok or not isinstance(reply.body, dict):
        return {}
    units = [*reply.body.get("faculties", []), *reply.body.get("departments", [])]
    return {str(unit["id"]): str(unit.get("title") or unit.get("code") or unit["id"]) for unit in units}


def unavailable(panel: Panel) -> Panel:
    panel.unavailable = True
    return panel
