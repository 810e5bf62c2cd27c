"""The student (phone-sized first) and the parent: results per discipline, the QR check-in, disputing
a mark; the parent sees their child's results and attendance, read-only."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)


def children(visit: Visit) -> list[str]:
    """The students a parent's roles are scoped to (KG-03: the child's results, read-only)."""
    return [r["scope_id"] for r in visit.me.get("roles", []) if r.get("role") == "parent"]


async def results(visit: Visit, student_id: str) -> list[dict[str, Any]]:
    reply = await visit.get(f"/api/v1/students/{student_id}/results")
    return list(reply.body.get("journals", [])) if reply.ok else []


async def disputes(visit: Visit, student_id: str) -> list[dict[str, Any]]:
    reply = await visit.get("/api/v1/disputes", student_id=student_id)
    return list(reply.body.get("disputes", [])) if reply.ok else []


@router.get("/student/results", response_class=HTMLResponse)
async def my_results(request: Request, disputed: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    me = visit.me["person_id"]
    return visit.render(
        "student/results.html",
        journals=await results(visit, me),
        disputes=await disputes(visit, me),
        may_dispute=True,
        disputed=disputed,
    )


@router.get("/parent/child", response_class=HTMLResponse)
async def child_results(request: Request) -> Response:
    visit = await Visit.signed_in(request)
    kids = children(visit)
    shown = [(kid, await results(visit, kid), await disputes(visit, kid)) for kid in kids]
    return visit.render("student/child.html", children=shown)


@router.get("/student/check-in", response_class=HTMLResponse)
async def check_in_page(request: Request, code: str = "") -> Response:
    visit = await Visit.signed_in(request)  # scanned without a session: sign in, then back here
    return visit.render("student/check_in.html", code=code, outcome="", problem="")


@router.post("/student/check-in", response_class=HTMLResponse)
async def check_in(
    request: Request, code: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send("POST", "/api/v1/check-ins", {"code": code.strip()}, csrf)
    if reply.ok:
        return visit.render(
            "student/check_in.html", code="", outcome=reply.body.get("checked_in_at", ""), problem=""
        )
    if str((reply.body or {}).get("type", "")).endswith("/already-exists"):
        problem = visit.gettext("You are already checked in for this lesson.")
    elif reply.status == 409 and isinstance(reply.body, dict) and reply.body.get("detail"):
        # Outside the lesson's check-in window (KG-09): the API names the window in the user's language.
        problem = str(reply.body["detail"])
    else:
        problem = visit.gettext("This code is not valid now: scan the code on the screen again.")
    return visit.render("student/check_in.html", status=reply.status, code="", outcome="", problem=problem)


@router.get("/student/disputes/new", response_class=HTMLResponse)
async def dispute_form(request: Request, journal_id: str, column_id: str) -> Response:
    visit = await Visit.signed_in(request)
    mark = await find_mark(visit, journal_id, column_id)
    if mark is None:
        return visit.render("not_found.html", status=404)
    return visit.render("student/dispute.html", mark=mark, key=str(uuid.uuid4()), problem="", message="")


@router.post("/student/disputes", response_class=HTMLResponse)
async def open_dispute(
    request: Request,
    journal_id: Annotated[str, Form()],
    column_id: Annotated[str, Form()],
    message: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    body = {
        "column_id": column_id,
        "message": message.strip(),
        "idempotency_key": key,
    }
    reply = await visit.send("POST", f"/api/v1/journals/{journal_id}/disputes", body, csrf)
    if reply.ok:
        return visit.redirect("/student/results?disputed=1")
    mark = await find_mark(visit, journal_id, column_id)
    if str((reply.body or {}).get("type", "")).endswith("/already-exists"):
        problem = visit.gettext("You have already disputed this mark.")
    elif reply.problem_field("message") is not None or not message.strip():
        problem = visit.gettext("Write what is wrong with the mark.")
    else:
        problem = visit.gettext("Not sent: %(reason)s") % {"reason": (reply.body or {}).get("title", "")}
    return visit.render(
        "student/dispute.html",
        status=reply.status,
        mark=mark or {},
        key=key,
        problem=problem,
        message=message,
    )


async def find_mark(visit: Visit, journal_id: str, column_id: str) -> dict[str, Any] | None:
    for journal in await results(visit, visit.me["person_id"]):
        if journal.get("journal", {}).get("journal_id") != journal_id:
            continue
        for mark in journal.get("marks", []):
            if mark.get("column_id") == column_id and mark.get("value"):
                return {**mark, "journal": journal["journal"]}
    return None
