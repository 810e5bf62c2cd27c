"""The teacher's disputes to answer (KG-10): accept with the corrected mark, or reject with a reason."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.grid_view import grid_view
from services.portal.pages.teacher import my_journals
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)


async def open_disputes(visit: Visit) -> list[dict[str, Any]]:
    """Open disputes of my journals, each with the journal, the student's name and the column's date."""
    found = []
    for journal in await my_journals(visit):
        reply = await visit.get("/api/v1/disputes", journal_id=journal["journal_id"], status="open")
        items = reply.body.get("disputes", []) if reply.ok else []
        if not items:
            continue
        grid = await visit.get(f"/api/v1/journals/{journal['journal_id']}/grid")
        view = grid_view(grid.body) if grid.ok else None
        names = {r.student_id: r.name for r in view.rows} if view else {}
        days = {c.column_id: c.date for c in view.columns} if view else {}
        for dispute in items:
            found.append(
                {**dispute, "journal": journal, "student": names.get(dispute["student_id"], ""),
                 "day": days.get(dispute["column_id"], "")}
            )  # fmt: skip
    return sorted(found, key=lambda d: d.get("answer_due_at", ""))


@router.get("/teacher/disputes", response_class=HTMLResponse)
async def disputes(request: Request, answered: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    return visit.render(
        "teacher/disputes.html", disputes=await open_disputes(visit), key=str(uuid.uuid4()),
        answered=answered, problem="",
    )  # fmt: skip


@router.post("/teacher/disputes/{dispute_id}/answer", response_class=HTMLResponse)
async def answer(
    request: Request,
    dispute_id: str,
    decision: Annotated[str, Form()] = "",
    corrected_value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    body = {"decision": decision, "corrected_value": corrected_value.strip(), "reason": reason.strip(),
            "idempotency_key": key}  # fmt: skip
    reply = await visit.send("POST", f"/api/v1/disputes/{dispute_id}/answer", body, csrf)
    if reply.ok:
        return visit.redirect("/teacher/disputes?answered=1")
    if reply.problem_field("corrected_value") is not None:
        problem = visit.gettext("The corrected mark is not on the scale.")
    elif reply.problem_field("reason") is not None:
        problem = visit.gettext("Give the reason for the rejection: the student will read it.")
    else:
        problem = visit.gettext("Not saved: %(reason)s") % {"reason": (reply.body or {}).get("title", "")}
    return visit.render(
        "teacher/disputes.html", status=reply.status, disputes=await open_disputes(visit),
        key=str(uuid.uuid4()), answered=False, problem=problem,
    )  # fmt: skip
