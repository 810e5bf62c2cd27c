"""The figures behind the oversight pages: the API's reports, as panels of a chart and its table.

Each panel is one report call (filling, attendance, quality, reopen reasons) in the scope the person
oversees — their department, their faculty, or the whole university — so a page never asks the API
for more than the person may read.
"""

from __future__ import annotations

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


async def filling(visit: Visit, scope: dict[str, str]) -> Panel:
    panel = Panel(
        "filling",
        visit.gettext(N_("Journal filling")),
        [
            visit.gettext(N_("Unit")),
            visit.gettext(N_("Lessons held")),
            visit.gettext(N_("Filled")),
            visit.gettext(N_("On time")),
        ],
    )
    body = {"scope": scope, **period(), "group_by": by_of(scope)}
    reply = await ask(visit, "/api/v1/reports/filling", body)
    if not reply.ok:
        return unavailable(panel)
    rows = reply.body.get("rows", [])
    panel.rows = [
        [name(r), str(r["lessons_held"]), percent(r["filled_percent"]), percent(r["on_time_percent"])]
        for r in rows
    ]
    panel.chart = bars(
        panel.title,
        [Bar(name(r), number(r["filled_percent"]), percent(r["filled_percent"])) for r in rows],
        HUNDRED,
    )
    return panel


async def attendance(visit: Visit, scope: dict[str, str]) -> Panel:
    panel = Panel(
        "attendance",
        visit.gettext(N_("Attendance")),
        [
            visit.gettext(N_("Unit")),
            visit.gettext(N_("Records")),
            visit.gettext(N_("Absent")),
            visit.gettext(N_("Attendance")),
        ],
    )
    body = {"scope": scope, **period(), "group_by": by_of(scope).replace("TEACHER", "GROUP")}
    reply = await ask(visit, "/api/v1/reports/attendance", body)
    if not reply.ok:
        return unavailable(panel)
    rows = reply.body.get("rows", [])
    panel.rows = [
        [name(r), str(r["records"]), str(r["absent"]), percent(r["attendance_percent"])] for r in rows
    ]
    panel.chart = bars(
        panel.title,
        [Bar(name(r), number(r["attendance_percent"]), percent(r["attendance_percent"])) for r in rows],
        HUNDRED,
    )
    return panel


async def quality(visit: Visit, scope: dict[str, str]) -> Panel:
    panel = Panel(
        "quality",
        visit.gettext(N_("Quality of knowledge")),
        [
            visit.gettext(N_("Unit")),
            visit.gettext(N_("Results")),
            visit.gettext(N_("Performance")),
            visit.gettext(N_("Quality")),
        ],
    )
    year = await current_year(visit)
    body = {"academic_year_id": year, "scope": scope, "group_by": by_of(scope).replace("TEACHER", "GROUP")}
    reply = await ask(visit, "/api/v1/reports/quality", body)
    if not reply.ok:
        return unavailable(panel)
    rows = reply.body.get("rows", [])
    panel.rows = [
        [
            name(r),
            str(r.get("results", 0)),
            percent(r.get("performance_percent")),
            percent(r.get("quality_percent")),
        ]
        for r in rows
    ]
    panel.chart = bars(
        panel.title,
        [Bar(name(r), number(r.get("quality_percent")), percent(r.get("quality_percent"))) for r in rows],
        HUNDRED,
    )
    return panel


async def reopens(visit: Visit, scope: dict[str, str]) -> Panel:
    panel = Panel(
        "reopens",
        visit.gettext(N_("Reopen reasons")),
        [visit.gettext(N_("Reason")), visit.gettext(N_("Cases")), visit.gettext(N_("Share"))],
    )
    body = {**period(), "faculty_id": scope.get("faculty_id", "")}
    reply = await ask(visit, "/api/v1/reports/reopen-analysis", body)
    if not reply.ok:
        return unavailable(panel)
    rows = reply.body.get("by_reason", [])
    panel.rows = [[name(r), str(r.get("count", 0)), percent(r.get("share_percent"))] for r in rows]
    panel.chart = bars(
        panel.title, [Bar(name(r), number(r.get("count", 0)), str(r.get("count", 0))) for r in rows]
    )
    return panel


async def ask(visit: Visit, path: str, body: dict[str, Any]) -> Reply:
    """A report query: a POST that reads, sent with the session's own CSRF token."""
    return await visit.send("POST", path, body, visit.api.cookies.get(CSRF_COOKIE, ""))


async def current_year(visit: Visit) -> str:
    """The academic year holding today (else the latest): quality is counted over a year's terms."""
    years = (await visit.get("/api/v1/academic-years")).body or {}
    today = date.today().isoformat()
    listed = sorted(
        years.get("academic_years", []) if isinstance(years, dict) else [],
        key=lambda y: y.get("starts_on", ""),
    )
    holding = [y for y in listed if y.get("starts_on", "") <= today <= y.get("ends_on", "9999")]
    chosen = holding or listed
    return str(chosen[-1]["id"]) if chosen else ""


def name(row: dict[str, Any]) -> str:
    return str(row.get("name") or row.get("key") or "—")


def unavailable(panel: Panel) -> Panel:
    panel.unavailable = True
    return panel
