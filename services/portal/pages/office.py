"""The registrar office's desk: a journal's statements (view, download as PDF or XLSX) and file
imports with a progress bar (static/js/imports.mjs follows the API's streamed JSON lines)."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ejournal_platform.web_session import CSRF_COOKIE
from services.portal.navigation import N_
from services.portal.pages.figures import university_of
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
FORMATS = {"pdf": "DOCUMENT_FORMAT_PDF", "xlsx": "DOCUMENT_FORMAT_XLSX"}
IMPORT_KINDS = {
    "contingent": N_("Students (contingent)"),
    "curriculum": N_("Working curriculum"),
    "teaching_load": N_("Teaching load"),
    "lesson_plan": N_("Lesson plans"),
    "schedule": N_("Schedule"),
    "control_events": N_("Control events"),
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
    return await imports_page(visit)


async def imports_page(
    visit: Visit,
    result: dict[str, Any] | None = None,
    problem: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
    preview: bool = False,
) -> Response:
    kinds = list(IMPORT_KINDS.items())
    # the file is imported into one academic year; the latest is offered first
    reply = await visit.get("/api/v1/academic-years", university_id=university_of(visit))
    years = reply.body.get("academic_years", []) if reply.ok and isinstance(reply.body, dict) else []
    years = sorted(years, key=lambda year: str(year.get("starts_on", "")), reverse=True)
    return visit.render(
        "imports.html", status=status, kinds=kinds, years=years, result=result, problem=problem,
        form=form or {}, preview=preview,
    )  # fmt: skip


@router.post("/registrar/imports", response_class=HTMLResponse)
async def import_without_script(
    request: Request,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()],
    academic_year: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    dry_run: Annotated[str, Form()] = "",
    sync: Annotated[str, Form()] = "",
    sync_order_number: Annotated[str, Form()] = "",
    sync_order_date: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The import as a plain form post (no JavaScript): the same API call the page's script makes;
    the streamed progress is read to its end and the result shown with each row's error. In sync mode
    an unconfirmed post is a dry run whose counts are shown with a form to apply them (issue 22)."""
    visit = await Visit.signed_in(request)
    form = {"kind": kind, "academic_year": academic_year, "reason": reason, "sync": "on" if sync else "",
            "sync_order_number": sync_order_number, "sync_order_date": sync_order_date}  # fmt: skip
    previewing = bool(sync) and not confirmed and not dry_run
    query = {"kind": kind, "file_name": file.filename or "import.csv", "academic_year_id": academic_year,
             "dry_run": "true" if dry_run or previewing else "false", "reason": reason,
             "sync": "true" if sync else "false", "sync_order_number": sync_order_number,
             "sync_order_date": sync_order_date}  # fmt: skip
    content = await file.read()
    headers = {"Content-Type": "application/octet-stream"}
    reply = await visit.send(
        "POST", f"/api/v1/imports?{urlencode(query)}", None, csrf, headers, content=content
    )
    if not reply.ok:
        title = reply.body.get("title", "") if isinstance(reply.body, dict) else ""
        problem = visit.gettext("Not saved: %(reason)s") % {"reason": title}
        return await imports_page(visit, problem=problem, status=reply.status, form=form)
    lines = [json.loads(line) for line in reply.text.splitlines() if line.strip()]
    result = next((line["result"] for line in reversed(lines) if "result" in line), None)
    if result is None:
        return await imports_page(
            visit, problem=visit.gettext("The import could not be finished. Try again."), form=form
        )
    preview = previewing and result.get("status") == "validated"
    return await imports_page(visit, result=result, form=form, preview=preview)
