"""The department's and faculty's own lists (department heads, deans, the dean for curation): the
substitutions in force (a department head appoints and ends them, KZ-07/KG-07), the department's
teaching load, and a group's curator attendance list with the parents to contact (KG-11).

A department head works in their department; a dean's office picks one of its faculty's departments
(named from the university's structure) or one of its groups. Every list is one API call that already
carries the names (teachers, course units, groups, students, parents); the portal joins nothing.
Plain forms: every action works without JavaScript; a refusal names the field in the person's
language."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.api import Reply
from services.portal.navigation import N_
from services.portal.pages.figures import current_year
from services.portal.pages.refusals import form_refusal
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

FACULTY_ROLES = frozenset({"dean", "dean_curation", "dean_staff"})
# The fields a refused appointment may name, as the head reads them.
FIELDS = {
    "absent_teacher_id": N_("Absent teacher"),
    "substitute_id": N_("Substitute"),
    "journal_ids": N_("Course units"),
    "course_unit_ids": N_("Course units"),
    "starts_on": N_("From"),
    "ends_on": N_("Until"),
    "decision.protocol_number": N_("Protocol number"),
    "decision.protocol_date": N_("Protocol date"),
    "reason": N_("Reason"),
    "below_percent": N_("Attendance below"),
}
CURATOR_DAYS = 30
ALL = 1000  # the API's largest page: a department's load, a faculty's groups


@dataclass(frozen=True)
class Unit:
    id: str
    title: str


def grants(visit: Visit, roles: frozenset[str] | None = None) -> list[dict[str, Any]]:
    return [g for g in visit.me.get("roles", []) if roles is None or g.get("role") in roles]


def faculties_of(visit: Visit) -> list[str]:
    """The faculties a dean's office oversees."""
    faculty_grants = [g for g in grants(visit, FACULTY_ROLES) if g.get("scope_type") == "faculty"]
    return sorted({str(g["scope_id"]) for g in faculty_grants})


async def structure(visit: Visit) -> dict[str, Any]:
    """The person's university's structure (faculties, departments, specialties), for names."""
    university = str(visit.me.get("university_id", "")) or next(
        (str(g["scope_id"]) for g in grants(visit) if g.get("scope_type") == "university"), ""
    )
    if not university:
        return {}
    reply = await visit.get(f"/api/v1/universities/{university}/structure")
    return reply.body if reply.ok and isinstance(reply.body, dict) else {}


async def my_departments(visit: Visit) -> tuple[list[Unit], set[str]]:
    """The departments the person oversees (named), and those they head (where they may appoint)."""
    headed = {str(g["scope_id"]) for g in grants(visit, frozenset({"department_head"}))}
    faculties = set(faculties_of(visit))
    departments = (await structure(visit)).get("departments", [])
    named = {str(d["id"]): str(d.get("title") or d.get("code") or d["id"]) for d in departments}
    overseen = [str(d["id"]) for d in departments if str(d.get("faculty_id", "")) in faculties]
    ids = list(dict.fromkeys([*sorted(headed), *overseen]))
    return [Unit(i, named.get(i, i)) for i in ids], headed


def chosen(units: list[Unit], asked: str) -> Unit | None:
    return next((u for u in units if u.id == asked), units[0] if units else None)


def listed(reply: Reply, key: str) -> list[dict[str, Any]]:
    return list(reply.body.get(key, [])) if reply.ok and isinstance(reply.body, dict) else []


def refusal(visit: Visit, reply: Reply) -> str:
    return form_refusal(visit, reply, FIELDS)


def lesson_type(code: str) -> str:
    return code.removeprefix("LESSON_TYPE_").lower()


async def department_loads(visit: Visit, department_id: str) -> list[dict[str, Any]]:
    reply = await visit.get("/api/v1/teaching-loads", department_id=department_id, page_size=ALL)
    loads = listed(reply, "teaching_loads")
    for load in loads:
        load["lesson_type"] = lesson_type(str(load.get("lesson_type", "")))
    return sorted(loads, key=lambda x: (x.get("teacher_name", ""), x.get("course_unit_title", ""),
                                        x.get("group_code", "")))  # fmt: skip


async def appointable(visit: Visit, department_id: str, headed: set[str]) -> list[dict[str, Any]]:
    """The loads whose teachers and course units the appointment form offers (its head only)."""
    return await department_loads(visit, department_id) if department_id in headed else []


# -- substitutions -------------------------------------------------------------------------------


@router.get("/department/substitutions", response_class=HTMLResponse)
async def substitutions(request: Request, department_id: str = "", done: str = "") -> Response:
    visit = await Visit.signed_in(request)
    return await substitutions_page(visit, department_id, done=done)


async def substitutions_page(
    visit: Visit, department_id: str, done: str = "", error: str = "", status: int = 200,
    sent: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    units, headed = await my_departments(visit)
    unit = chosen(units, department_id)
    if unit is None:
        return visit.render("not_found.html", status=404)
    found, loads = await asyncio.gather(
        visit.listing("/api/v1/substitutions", department_id=unit.id), appointable(visit, unit.id, headed)
    )
    teachers = sorted({(x["teacher_id"], x.get("teacher_name") or x["teacher_id"]) for x in loads},
                      key=lambda t: t[1])  # fmt: skip
    course_units = sorted({(x["course_unit_id"], x.get("course_unit_title") or x["course_unit_id"])
                           for x in loads}, key=lambda c: c[1])  # fmt: skip
    today = date.today()
    form = {"request_id": str(uuid.uuid4()), "absent_teacher_id": "", "substitute_id": "",
            "course_unit_ids": [], "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=13)).isoformat(), "reason": "", "protocol_number": "",
            "protocol_date": today.isoformat(), **(sent or {})}  # fmt: skip
    rows = sorted(listed(found, "substitutions"), key=lambda s: s.get("starts_on", ""), reverse=True)
    return visit.render(
        "department/substitutions.html", status=status, units=units, unit=unit,
        may_appoint=unit.id in headed, substitutions=rows, today=today.isoformat(), teachers=teachers,
        course_units=course_units, form=form, done=done, error=error,
    )  # fmt: skip


@router.post("/department/substitutions")
async def appoint(
    request: Request,
    department_id: Annotated[str, Form()],
    request_id: Annotated[str, Form()],
    absent_teacher_id: Annotated[str, Form()] = "",
    substitute_id: Annotated[str, Form()] = "",
    course_unit_ids: Annotated[list[str] | None, Form()] = None,
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    protocol_number: Annotated[str, Form()] = "",
    protocol_date: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    units = list(course_unit_ids or [])
    body = {
        "request_id": request_id, "absent_teacher_id": absent_teacher_id, "substitute_id": substitute_id,
        "department_id": department_id, "course_unit_ids": units, "starts_on": starts_on,
        "ends_on": ends_on, "reason": reason.strip(),
        "decision": {"protocol_number": protocol_number.strip(), "protocol_date": protocol_date},
    }  # fmt: skip
    reply = await visit.send("POST", "/api/v1/substitutions", body, csrf)
    if reply.ok:
        return visit.redirect(f"/department/substitutions?department_id={department_id}&done=appointed")
    sent = {"request_id": request_id, "absent_teacher_id": absent_teacher_id, "substitute_id": substitute_id,
            "course_unit_ids": units, "starts_on": starts_on, "ends_on": ends_on, "reason": reason,
            "protocol_number": protocol_number, "protocol_date": protocol_date}  # fmt: skip
    return await substitutions_page(
        visit, department_id, error=refusal(visit, reply), status=reply.status, sent=sent
    )


@router.post("/department/substitutions/{substitution_id}/end")
async def end(
    request: Request,
    substitution_id: str,
    department_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send(
        "POST", f"/api/v1/substitutions/{substitution_id}/end", {"reason": reason.strip()}, csrf
    )
    if reply.ok:
        return visit.redirect(f"/department/substitutions?department_id={department_id}&done=ended")
    return await substitutions_page(visit, department_id, error=refusal(visit, reply), status=reply.status)


# -- teaching load -------------------------------------------------------------------------------


@router.get("/department/teaching-load", response_class=HTMLResponse)
async def teaching_load(request: Request, department_id: str = "") -> Response:
    visit = await Visit.signed_in(request)
    units, _ = await my_departments(visit)
    unit = chosen(units, department_id)
    if unit is None:
        return visit.render("not_found.html", status=404)
    loads = await department_loads(visit, unit.id)
    hours: dict[tuple[str, str], int] = {}
    for load in loads:
        key = (load["teacher_id"], load.get("teacher_name") or load["teacher_id"])
        hours[key] = hours.get(key, 0) + int(load.get("hours", 0) or 0)
    totals = sorted(((name, total) for (_, name), total in hours.items()), key=lambda t: t[0])
    return visit.render("department/teaching_load.html", units=units, unit=unit, loads=loads, totals=totals)


# -- curator attendance lists --------------------------------------------------------------------


async def my_groups(visit: Visit) -> list[Unit]:
    """The groups whose curator list the person may read: a curator's own groups, a dean's office's
    faculty's groups of the current academic year (one call per faculty)."""
    faculties = faculties_of(visit)
    curated = {str(g["scope_id"]) for g in grants(visit, frozenset({"curator"}))}
    year = await current_year(visit) if faculties or curated else ""
    if not year:
        return []
    asked = [
        visit.get("/api/v1/groups", academic_year_id=year, faculty_id=f, page_size=ALL) for f in faculties
    ]
    if curated:
        asked.append(visit.get("/api/v1/groups", academic_year_id=year, page_size=ALL))
    found: dict[str, str] = {}
    for reply, faculty in zip(await asyncio.gather(*asked), [*faculties, ""], strict=False):
        for group in listed(reply, "groups"):
            if faculty or str(group["id"]) in curated:
                found[str(group["id"])] = str(group.get("code") or group["id"])
    return [Unit(i, code) for i, code in sorted(found.items(), key=lambda x: x[1])]


@router.get("/department/curators", response_class=HTMLResponse)
async def curator_list(request: Request, group_id: str = "", below_percent: str = "") -> Response:
    visit = await Visit.signed_in(request)
    groups = await my_groups(visit)
    group = chosen(groups, group_id)
    rows: list[dict[str, Any]] = []
    error, status = "", 200
    end_day = date.today()
    start = end_day - timedelta(days=CURATOR_DAYS)
    period = {"from_date": start.isoformat(), "to_date": end_day.isoformat()}
    if group is not None:
        reply = await visit.get(
            f"/api/v1/groups/{group.id}/curator-attendance", below_percent=below_percent.strip(), **period
        )
        rows = listed(reply, "rows")
        if not reply.ok:
            error, status = refusal(visit, reply), reply.status
    return visit.render(
        "department/curators.html", status=status, groups=groups,
        group=group, rows=rows, below_percent=below_percent, period=period, error=error,
    )  # fmt: skip
