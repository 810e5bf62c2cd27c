"""My notices (issue 17): what the notifier told me, read and unread, newest first, each marked read
on its own or all at once. Any signed-in person has the page; the API lists only their own notices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from babel.dates import format_datetime
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

CATEGORIES = {
    "deadline": N_("Deadline"),
    "reopen_step": N_("Reopen procedure"),
    "sanction": N_("Disciplinary measure"),
    "dispute": N_("Dispute"),
    "task": N_("Task"),
    "section_closed": N_("Section closed"),
    "absence": N_("Absences"),
    "check": N_("Journal check"),
}


def when(instant: str, language: str) -> str:
    """When the notice was made, in the reader's language (UTC: the notice's text gives deadlines in
    the reader's own zone)."""
    try:
        return format_datetime(datetime.fromisoformat(instant), "d MMMM y, HH:mm 'UTC'", locale=language)
    except ValueError:
        return instant


@router.get("/notices", response_class=HTMLResponse)
async def notices(request: Request, marked: int | None = None) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.listing("/api/v1/my/notices")
    body: dict[str, Any] = reply.body if reply.ok and isinstance(reply.body, dict) else {}
    listed = [
        {**n, "shown_at": when(n.get("created_at", ""), visit.language)} for n in body.get("notices", [])
    ]
    return visit.render(
        "notices.html", notices=listed, unread=int(body.get("unread", 0)), categories=CATEGORIES,
        marked=marked, failed=not reply.ok,
    )  # fmt: skip


@router.post("/notices/read", response_class=HTMLResponse)
async def mark_read(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    notice_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send("POST", "/api/v1/my/notices/read", {"notice_ids": notice_ids or []}, csrf)
    if reply.status == 403:  # a forged or stale form
        return visit.render("not_found.html", status=403)
    marked = int(reply.body.get("marked", 0)) if reply.ok and isinstance(reply.body, dict) else 0
    return visit.redirect(f"/notices?marked={marked}")
