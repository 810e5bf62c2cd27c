"""A column of the grid as a plain form: the grid's save without JavaScript. One input per student,
each with the version it was read at; the form carries an Idempotency-Key made when it was shown, so
a form sent twice (a retry after a dropped connection) is written once. Only changed cells are sent,
in one `POST .../marks`; a refusal (off the scale, changed meanwhile, closed) shows the form again
with what was typed and the API's reason in the teacher's language."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.grid_view import grid_view
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)


async def column_page(
    visit: Visit, journal_id: str, column_id: str, typed: dict[str, str] | None = None, problem: str = "",
    status: int = 200, saved: bool = False,
) -> Response:  # fmt: skip
    reply = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    if not reply.ok:
        return visit.render("not_found.html", status=404)
    view = grid_view(reply.body)
    index = next((i for i, c in enumerate(view.columns) if c.column_id == column_id), None)
    if index is None:
        return visit.render("not_found.html", status=404)
    profile = await visit.get(f"/api/v1/profiles/{view.journal.get('profile_code', '')}")
    allowed = profile.body.get("profile", {}).get("allowed_marks", []) if profile.ok else []
    rows = [(row, row.cells[index]) for row in view.rows]
    section = view.columns[index].section
    # under a reopen grant (KZ-13) every correction needs a reason: the form asks for one
    reopened = any(
        s.get("section") == section and s.get("open_reopen_case_id") for s in view.journal.get("sections", [])
    )
    return visit.render(
        "teacher/column.html", status=status, journal=view.journal, column=view.columns[index], rows=rows,
        typed=typed or {}, problem=problem, saved=saved, allowed=allowed, key=str(uuid.uuid4()),
        reopened=reopened,
    )  # fmt: skip


@router.get("/teacher/journals/{journal_id}/columns/{column_id}", response_class=HTMLResponse)
async def column(request: Request, journal_id: str, column_id: str, saved: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    return await column_page(visit, journal_id, column_id, saved=saved)


@router.post("/teacher/journals/{journal_id}/columns/{column_id}", response_class=HTMLResponse)
async def save_column(request: Request, journal_id: str, column_id: str) -> Response:
    visit = await Visit.signed_in(request)
    form = await request.form()
    typed: dict[str, str] = {}
    cells: list[dict[str, Any]] = []
    for name, value in form.multi_items():
        if not name.startswith("value."):
            continue
        student_id, text = name.removeprefix("value."), str(value).strip()
        typed[student_id] = text
        if text != str(form.get(f"was.{student_id}", "")):
            version = str(form.get(f"version.{student_id}", "0"))
            cells.append({"column_id": column_id, "student_id": student_id, "value": text,
                          "expected_version": int(version) if version.isdigit() else 0})  # fmt: skip
    if cells:
        body: dict[str, Any] = {"cells": cells}
        if str(form.get("reason", "")).strip():
            body["reason"] = str(form.get("reason", "")).strip()
        headers = {"Idempotency-Key": str(form.get("key", "")) or str(uuid.uuid4())}
        csrf = str(form.get("csrf", ""))
        reply = await visit.send("POST", f"/api/v1/journals/{journal_id}/marks", body, csrf, headers)
        if not reply.ok:
            answer = reply.body if isinstance(reply.body, dict) else {}
            reason = answer.get("detail") or answer.get("title") or ""
            if reply.status == 409 and answer.get("current"):
                now = ", ".join(f"{c.get('value') or '—'}" for c in json.loads(str(answer["current"])))
                reason = visit.gettext("Changed by someone else meanwhile: now %(theirs)s") % {"theirs": now}
            problem = visit.gettext("Not saved: %(reason)s") % {"reason": reason}
            return await column_page(visit, journal_id, column_id, typed, problem, status=reply.status)
    return visit.redirect(f"/teacher/journals/{journal_id}/columns/{column_id}?saved=true")
