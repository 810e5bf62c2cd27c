"""A lesson: attendance per student, and the rotating QR code shown full-screen for the classroom.

The QR code holds a URL of this portal (/student/check-in?code=...): a student's phone camera opens
it, and the student checks in under their own login. The code comes from the API and rotates; the
image is drawn here (segno, SVG) so the browser needs no QR library.
"""

from __future__ import annotations

import io
import uuid
from typing import Annotated
from urllib.parse import quote

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.grid_view import grid_view
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
STATUSES = ("present", "absent", "late", "excused")


async def lesson_page(
    visit: Visit, journal_id: str, lesson_id: str, status: int = 200, **extra: object
) -> Response:
    grid = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    if not grid.ok:
        return visit.render("not_found.html", status=404)
    view = grid_view(grid.body)
    index = next((i for i, c in enumerate(view.columns) if c.column_id == lesson_id), None)
    if index is None or view.columns[index].kind != "lesson":
        return visit.render("not_found.html", status=404)
    attendance = {a["student_id"]: a for a in grid.body.get("attendance", []) if a["column_id"] == lesson_id}
    rows = [(row, attendance.get(row.student_id, {})) for row in view.rows]
    return visit.render(
        "teacher/lesson.html",
        status=status,
        journal=view.journal,
        column=view.columns[index],
        rows=rows,
        statuses=STATUSES,
        key=str(uuid.uuid4()),
        **extra,
    )


@router.get("/teacher/journals/{journal_id}/lessons/{lesson_id}", response_class=HTMLResponse)
async def lesson(request: Request, journal_id: str, lesson_id: str, saved: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    return await lesson_page(visit, journal_id, lesson_id, saved=saved, problem="")


@router.post("/teacher/journals/{journal_id}/lessons/{lesson_id}/attendance", response_class=HTMLResponse)
async def record_attendance(
    request: Request,
    journal_id: str,
    lesson_id: str,
    csrf: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    form = await request.form()
    entries = []
    for name, value in form.multi_items():
        if name.startswith("status.") and value in STATUSES:
            student_id = name.removeprefix("status.")
            version = form.get(f"version.{student_id}", "")
            entry: dict[str, object] = {"student_id": student_id, "status": value}
            if str(version).isdigit():
                entry["expected_version"] = int(str(version))
            if value != form.get(f"was.{student_id}", ""):
                entries.append(entry)
    if entries:
        path = f"/api/v1/journals/{journal_id}/lessons/{lesson_id}/attendance"
        # The form's key: a resubmitted form (a retry after a dropped connection) is applied once.
        reply = await visit.send("POST", path, {"entries": entries}, csrf, {"Idempotency-Key": key})
        if not reply.ok:
            problem = visit.gettext("Not saved: %(reason)s") % {"reason": (reply.body or {}).get("title", "")}
            return await lesson_page(
                visit, journal_id, lesson_id, status=reply.status, saved=False, problem=problem
            )
    return visit.redirect(f"/teacher/journals/{journal_id}/lessons/{lesson_id}?saved=1")


@router.get("/teacher/journals/{journal_id}/lessons/{lesson_id}/qr", response_class=HTMLResponse)
async def qr_page(request: Request, journal_id: str, lesson_id: str) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(f"/api/v1/journals/{journal_id}/lessons/{lesson_id}/check-in-code")
    if not reply.ok:
        return visit.render("not_found.html", status=404)
    return visit.render(
        "teacher/qr.html",
        journal_id=journal_id,
        lesson_id=lesson_id,
        every=int(reply.body.get("rotate_every_seconds", 30) or 30),
        svg=qr_svg(request, reply.body.get("code", "")),
        url=check_in_url(request, reply.body.get("code", "")),
    )


@router.get("/teacher/journals/{journal_id}/lessons/{lesson_id}/qr.svg")
async def qr_image(request: Request, journal_id: str, lesson_id: str) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(f"/api/v1/journals/{journal_id}/lessons/{lesson_id}/check-in-code")
    if not reply.ok:
        return Response(status_code=404)
    every = int(reply.body.get("rotate_every_seconds", 30) or 30)
    return visit.finish(
        Response(
            qr_svg(request, reply.body.get("code", "")),
            media_type="image/svg+xml",
            headers={
                "Cache-Control": "no-store",
                "X-Rotate-Every": str(every),
                "X-Check-In-Url": check_in_url(request, reply.body.get("code", "")),
            },
        )
    )


def check_in_url(request: Request, code: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/student/check-in?code={quote(code)}"


def qr_svg(request: Request, code: str) -> str:
    out = io.BytesIO()
    segno.make(check_in_url(request, code), error="m").save(
        out, kind="svg", scale=10, border=2, xmldecl=False
    )
    return out.getvalue().decode()
