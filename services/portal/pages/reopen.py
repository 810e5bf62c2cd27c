"""The teacher's side of a reopen case (KZ-13): the explanation of a wrong entry in a closed section
(which opens the case), the case with its step, deadline and history, and, once the registrar has
reopened the section, the correction within the window (each changed mark with its reason) and the
correction submitted. The heads', the council's and the registrar's side is tasks.py.

Plain forms: every step works without JavaScript. The explanation carries a request id made when the
form is shown, so sending the form twice opens one case, not two."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.api import Reply
from services.portal.grid_view import GridView, grid_view
from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

# The form fields the API may name in a refusal, as the teacher reads them.
FIELDS = {
    "explanation.discipline": N_("Discipline"),
    "explanation.group": N_("Group"),
    "explanation.specialty": N_("Specialty"),
    "explanation.course": N_("Course"),
    "explanation.wrong_date": N_("Wrong date"),
    "explanation.reason": N_("Reason"),
    "reason": N_("Reason"),
    "value": N_("New value"),
    "note": N_("Note"),
}


def refusal(visit: Visit, reply: Reply) -> str:
    """A refused step in the teacher's language: the fields to fix, or what stands in the way."""
    errors = reply.body.get("errors", []) if isinstance(reply.body, dict) else []
    fields = [re.sub(r"^cells\[\d+\]\.", "", e.get("field", "")) for e in errors]  # one cell sent
    named = [visit.gettext(FIELDS[f]) for f in fields if f in FIELDS]
    if reply.status == 422 and named:
        return visit.gettext("Please check: %(fields)s.") % {"fields": ", ".join(dict.fromkeys(named))}
    if reply.status == 409:
        return visit.gettext("The case has moved on since the page was opened; it is shown as it is now.")
    if reply.status in (403, 404):
        return visit.gettext("This action is not yours to take.")
    return visit.gettext("The action was not accepted. Check the form and try again.")


async def read_grid(visit: Visit, journal_id: str) -> GridView | None:
    reply = await visit.get(f"/api/v1/journals/{journal_id}/grid")
    return grid_view(reply.body) if reply.ok else None


async def journal_names(visit: Visit, journal_id: str) -> dict[str, str]:
    """The journal's printable names (discipline, group, specialty) as the API gives them: the
    explanation form states them prefilled, so the teacher does not type what the journal knows."""
    reply = await visit.get(f"/api/v1/journals/{journal_id}")
    names = reply.body.get("names", {}) if reply.ok and isinstance(reply.body, dict) else {}
    return {k: str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def explanation_form(
    view: GridView, section: str, sent: dict[str, Any] | None = None, names: dict[str, str] | None = None
) -> dict[str, Any]:
    journal, names = view.journal, names or {}
    dates = sorted({c.date for c in view.columns if c.section == section and c.date})
    return {
        "request_id": str(uuid.uuid4()),
        "discipline": names.get("discipline") or journal.get("title", ""),
        "lesson_types": journal.get("lesson_type", ""),
        "course": names.get("course", "") if names.get("course", "0") != "0" else "",
        "group": names.get("group", ""),
        "specialty": names.get("specialty", ""),
        "wrong_date": dates[-1] if dates else "",
        "reason": "",
        "dates": dates,
        **(sent or {}),
    }


@router.get("/teacher/journals/{journal_id}/sections/{section}/explanation", response_class=HTMLResponse)
async def explanation(request: Request, journal_id: str, section: str) -> Response:
    visit = await Visit.signed_in(request)
    view, names = await asyncio.gather(read_grid(visit, journal_id), journal_names(visit, journal_id))
    closed = {s.get("section") for s in view.closed_sections} if view else set()
    if view is None or section not in closed:
        return visit.render("not_found.html", status=404)
    return visit.render(
        "teacher/explanation.html", journal=view.journal, section=section,
        form=explanation_form(view, section, names=names), error="",
    )  # fmt: skip


@router.post("/teacher/journals/{journal_id}/sections/{section}/explanation")
async def explain(
    request: Request,
    journal_id: str,
    section: str,
    request_id: Annotated[str, Form()],
    discipline: Annotated[str, Form()] = "",
    lesson_types: Annotated[str, Form()] = "",
    course: Annotated[str, Form()] = "",
    group: Annotated[str, Form()] = "",
    specialty: Annotated[str, Form()] = "",
    wrong_date: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    types = [t.strip() for t in lesson_types.split(",") if t.strip()]
    explanation = {
        "discipline": discipline.strip(), "lesson_types": types, "group": group.strip(),
        "course": int(course) if course.strip().isdigit() else 0, "specialty": specialty.strip(),
        "wrong_date": wrong_date, "reason": reason.strip(),
    }  # fmt: skip
    body = {
        "request_id": request_id,
        "journal_id": journal_id,
        "section": section,
        "explanation": explanation,
    }
    reply = await visit.send("POST", "/api/v1/reopen-cases", body, csrf)
    if reply.ok:
        return visit.redirect(f"/teacher/cases/{reply.body['case']['case_id']}")
    view = await read_grid(visit, journal_id)
    if view is None:
        return visit.render("not_found.html", status=404)
    sent = {"request_id": request_id, "discipline": discipline, "lesson_types": lesson_types,
            "course": course, "group": group, "specialty": specialty, "wrong_date": wrong_date,
            "reason": reason}  # fmt: skip
    return visit.render(
        "teacher/explanation.html", status=reply.status, journal=view.journal, section=section,
        form=explanation_form(view, section, sent), error=refusal(visit, reply),
    )  # fmt: skip


@router.get("/teacher/cases", response_class=HTMLResponse)
async def my_cases(request: Request) -> Response:
    """The teacher's own reopen cases, newest first: step, what it waits for, deadline."""
    visit = await Visit.signed_in(request)
    reply = await visit.listing("/api/v1/my/reopen-cases")
    cases = list(reply.body.get("cases", [])) if reply.ok and isinstance(reply.body, dict) else []
    return visit.render("teacher/cases.html", cases=cases)


async def show_case(
    visit: Visit, case_id: str, error: str = "", status: int = 200, done: str = ""
) -> Response:
    reply = await visit.get(f"/api/v1/reopen-cases/{case_id}")
    case = reply.body.get("case", {}) if reply.ok and isinstance(reply.body, dict) else {}
    if not case or case.get("teacher_id") != visit.me["person_id"]:
        return visit.render("not_found.html", status=404)  # not the teacher's own: the same answer
    view = await read_grid(visit, case["journal_id"])
    correcting = case.get("step") == "correcting" and "teacher" in case.get("waiting_for", [])
    columns = [c for c in view.columns if c.section == case.get("section")] if view else []
    return visit.render(
        "teacher/case.html", status=status, case=case, grid=view, columns=columns, correcting=correcting,
        error=error, done=done, idempotency_key=str(uuid.uuid4()),
    )  # fmt: skip


@router.get("/teacher/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: str, done: str = "") -> Response:
    visit = await Visit.signed_in(request)
    return await show_case(visit, case_id, done=done)


@router.post("/teacher/cases/{case_id}/marks")
async def correct_mark(
    request: Request,
    case_id: str,
    journal_id: Annotated[str, Form()],
    cell: Annotated[str, Form()],
    value: Annotated[str, Form()],
    idempotency_key: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """One mark changed under the reopen grant, with its reason (the grant requires one)."""
    visit = await Visit.signed_in(request)
    column_id, _, student_id = cell.partition("|")
    body = {"cells": [{"column_id": column_id, "student_id": student_id, "value": value.strip()}],
            "reason": reason.strip()}  # fmt: skip
    reply = await visit.send(
        "POST",
        f"/api/v1/journals/{journal_id}/marks",
        body,
        csrf,
        headers={"Idempotency-Key": idempotency_key},
    )
    if reply.ok:
        return visit.redirect(f"/teacher/cases/{case_id}?done=mark")
    return await show_case(visit, case_id, refusal(visit, reply), status=reply.status)


@router.post("/teacher/cases/{case_id}/correction")
async def submit_correction(
    request: Request, case_id: str, note: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send(
        "POST", f"/api/v1/reopen-cases/{case_id}/correction", {"note": note.strip()}, csrf
    )
    if reply.ok:
        return visit.redirect(f"/teacher/cases/{case_id}?done=correction")
    return await show_case(visit, case_id, refusal(visit, reply), status=reply.status)
