"""The teacher's day: today's lessons, my journals, the journal grid, a cell's history, totals."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.grid_view import grid_view
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)


async def my_journals(visit: Visit) -> list[dict[str, Any]]:
    """The teacher's journals to look lessons and disputes up in (the API's largest page)."""
    reply = await visit.get("/api/v1/my/journals", page_size=1000)
    return list(reply.body.get("journals", [])) if reply.ok else []


@router.get("/teacher/journals", response_class=HTMLResponse)
async def journals(request: Request) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.listing("/api/v1/my/journals")  # a page of them, "Next page" under it
    listed = list(reply.body.get("journals", [])) if reply.ok else []
    return visit.render("teacher/journals.html", journals=listed)


@router.get("/teacher/today", response_class=HTMLResponse)
async def today(request: Request) -> Response:
    visit = await Visit.signed_in(request)
    day = date.today().isoformat()
    lessons = await visit.get("/api/v1/lessons", teacher_id=visit.me["person_id"], from_date=day, to_date=day)
    by_unit = {(j["course_unit_id"], j["group_id"], j["subgroup_id"]): j for j in await my_journals(visit)}
    found = []
    for lesson in lessons.body.get("lessons", []) if lessons.ok else []:
        journal = by_unit.get((lesson["course_unit_id"], lesson["group_id"], lesson.get("subgroup_id", "")))
        found.append({"lesson": lesson, "journal": journal})
    found.sort(key=lambda item: item["lesson"].get("starts_at", ""))
    return visit.render("teacher/today.html", day=day, items=found)


@router.get("/teacher/journals/{journal_id}", response_class=HTMLResponse)
async def journal_grid(request: Request, journal_id: str) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    if not reply.ok:  # 403 and 404 look the same: a refusal never tells whether it exists
        return visit.render("not_found.html", status=404)
    view = grid_view(reply.body)
    profile = await visit.get(f"/api/v1/profiles/{view.journal.get('profile_code', '')}")
    allowed = profile.body.get("profile", {}).get("allowed_marks", []) if profile.ok else []
    return visit.render(
        "teacher/grid.html",
        grid=view,
        etag=reply.headers.get("etag", ""),
        allowed=allowed,
        allowed_json=json.dumps(allowed, ensure_ascii=False),
    )


@router.get("/teacher/journals/{journal_id}/cells/{column_id}/{student_id}", response_class=HTMLResponse)
async def cell_history(request: Request, journal_id: str, column_id: str, student_id: str) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(f"/api/v1/journals/{journal_id}/cells/{column_id}/{student_id}/history")
    grid = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    if not reply.ok or not grid.ok:
        return visit.render("not_found.html", status=404)
    view = grid_view(grid.body)
    student = next((r.name for r in view.rows if r.student_id == student_id), student_id)
    column = next((c for c in view.columns if c.column_id == column_id), None)
    return visit.render(
        "teacher/history.html",
        journal=view.journal,
        student=student,
        column=column,
        entries=reply.body.get("entries", []),
        me_id=visit.me["person_id"],
    )


@router.get("/teacher/journals/{journal_id}/totals", response_class=HTMLResponse)
async def totals(request: Request, journal_id: str) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(f"/api/v1/journals/{journal_id}/totals")
    grid = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    if not reply.ok or not grid.ok:
        return visit.render("not_found.html", status=404)
    names = {r.student_id: r.name for r in grid_view(grid.body).rows}
    students = sorted(reply.body.get("students", []), key=lambda s: names.get(s["student_id"], ""))
    return visit.render(
        "teacher/totals.html", journal=grid.body.get("journal", {}), students=students, names=names
    )
