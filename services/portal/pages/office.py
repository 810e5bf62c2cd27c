"""The registrar office's desk: a journal's statements (view, download as PDF or XLSX) and file
imports with a progress bar (static/js/imports.mjs follows the API's streamed JSON lines)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ejournal_platform.web_session import CSRF_COOKIE
from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
FORMATS = {"pdf": "DOCUMENT_FORMAT_PDF", "xlsx": "DOCUMENT_FORMAT_XLSX"}
IMPORT_KINDS = {
    "contingent": N_("Students (contingent)"),
    "curriculum": N_("Working curriculum"),
    "teaching_load": N_("Teaching load"),
    "lesson_plan": N_("Lesson plans"),
    "schedule": N_("Schedule"),
}


@router.get("/registrar/statements", response_class=HTMLResponse)
async def statements(request: Request, journal_id: str = "") -> Response:
    visit = await Visit.signed_in(request)
    listed: list[dict[str, object]] = []
    if journal_id:
        reply = await visit.get(f"/api/v1/journals/{journal_id}/statements")
        listed = reply.body.get("statements", []) if reply.ok and isinstance(reply.body, dict) else []
    return visit.render("statements.html", journal_id=journal_id, statements=listed)


@router.get("/registrar/statements/{statement_id}.{extension}")
async def download(request: Request, statement_id: str, extension: str) -> Response:
    """The statement's document as reporting renders it (number and content hash on every page)."""
    visit = await Visit.signed_in(request)
    if extension not in FORMATS:
        return visit.render("not_found.html", status=404)
    body = {"format": FORMATS[extension], "statement": {"statement_id": statement_id}}
    reply = await visit.send("POST", "/api/v1/documents", body, visit.api.cookies.get(CSRF_COOKIE, ""))
    if not reply.ok:
        return visit.render("not_found.html", status=404)
    document = reply.body
    filename = str(document.get("filename") or f"statement.{extension}")
    return visit.finish(
        Response(
            base64.b64decode(document.get("content", "")),
            media_type=str(document.get("content_type") or "application/octet-stream"),
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    )


@router.get("/registrar/imports", response_class=HTMLResponse)
async def imports(request: Request) -> Response:
    visit = await Visit.signed_in(request)
    kinds = list(IMPORT_KINDS.items())
    return visit.render("imports.html", kinds=kinds)
