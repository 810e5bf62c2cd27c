"""The registrar office's calendar: a term's control events with their grade-entry and closing
deadlines (KZ-05, KZ-06), and moving one deadline with a reason. The move names the revision the
registrar saw, so a deadline changed meanwhile by someone else is refused, not overwritten."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.navigation import N_
from services.portal.pages.figures import university_of
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
DEADLINES = {
    "DEADLINE_KIND_GRADE_ENTRY": N_("Grade entry"),
    "DEADLINE_KIND_CLOSING": N_("Closing of the section"),
}
FIELDS = {"new_deadline": N_("New deadline"), "reason": N_("Reason"), "deadline_kind": N_("Deadline")}


def kind_code(kind: str) -> str:
    """CONTROL_EVENT_KIND_MIDTERM -> midterm: the code the portal's labels translate."""
    return kind.removeprefix("CONTROL_EVENT_KIND_").lower()


def listed(reply_ok: bool, body: Any, key: str) -> list[dict[str, Any]]:
    return list(body.get(key, [])) if reply_ok and isinstance(body, dict) else []


def shown(iso: str) -> str:
    return iso[:16].replace("T", " ")


def with_offset(local: str, like: str) -> str:
    """A datetime-local value (no zone) in the zone of the deadline it replaces ("+05:00", "Z")."""
    zone = like[19:] if len(like) > 19 else "+00:00"
    seconds = "" if len(local) > 16 else ":00"
    return f"{local}{seconds}{zone or '+00:00'}"


async def term_events(visit: Visit, term_id: str, year_id: str) -> list[dict[str, Any]]:
    """The term's control events, each with its course unit's title and its group's code."""
    events, groups, units = await asyncio.gather(
        visit.get("/api/v1/control-events", term_id=term_id),
        visit.get("/api/v1/groups", academic_year_id=year_id),
        visit.get("/api/v1/course-units", academic_year_id=year_id, term_id=term_id),
    )
    group_codes = {g["id"]: g.get("code", "") for g in listed(groups.ok, groups.body, "groups")}
    unit_titles = {u["id"]: u.get("title", "") for u in listed(units.ok, units.body, "course_units")}
    rows = [
        {**e, "kind_code": kind_code(e.get("kind", "")), "group": group_codes.get(e.get("group_id", ""), ""),
         "unit": unit_titles.get(e.get("course_unit_id", ""), "")}
        for e in listed(events.ok, events.body, "control_events")
    ]  # fmt: skip
    return sorted(rows, key=lambda e: (e.get("date", ""), e["group"], e["unit"]))


async def years_and_terms(visit: Visit) -> list[dict[str, Any]]:
    reply = await visit.get("/api/v1/academic-years", university_id=university_of(visit))
    years = listed(reply.ok, reply.body, "academic_years")
    return sorted(years, key=lambda y: str(y.get("starts_on", "")), reverse=True)


async def calendar_page(
    visit: Visit, term_id: str, moving: str = "", moved: str = "", error: str = "", status: int = 200
) -> Response:
    years = await years_and_terms(visit)
    terms = [{**t, "year": y.get("code", "")} for y in years for t in y.get("terms", [])]
    term = next((t for t in terms if t["id"] == term_id), None)
    events = await term_events(visit, term["id"], term["academic_year_id"]) if term else []
    return visit.render(
        "calendar.html", status=status, terms=terms, term=term, events=events, deadlines=DEADLINES,
        moving=next((e for e in events if e["id"] == moving), None), moved=moved, error=error, shown=shown,
    )  # fmt: skip


@router.get("/registrar/calendar", response_class=HTMLResponse)
async def calendar(request: Request, term_id: str = "", move: str = "", moved: str = "") -> Response:
    visit = await Visit.signed_in(request)
    return await calendar_page(visit, term_id, moving=move, moved=moved)


@router.post("/registrar/calendar/{event_id}/deadline")
async def move_deadline(
    request: Request,
    event_id: str,
    term_id: Annotated[str, Form()],
    deadline_kind: Annotated[str, Form()],
    new_deadline: Annotated[str, Form()] = "",
    current: Annotated[str, Form()] = "",
    revision: Annotated[int, Form()] = 0,
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    body = {
        "deadline_kind": deadline_kind if deadline_kind in DEADLINES else "DEADLINE_KIND_UNSPECIFIED",
        "new_deadline": with_offset(new_deadline, current) if new_deadline else "",
        "reason": reason.strip(), "expected_revision": revision,
    }  # fmt: skip
    reply = await visit.send("PUT", f"/api/v1/control-events/{event_id}/deadline", body, csrf)
    if reply.ok:
        return visit.redirect(f"/registrar/calendar?term_id={term_id}&moved={event_id}")
    errors = reply.body.get("errors", []) if isinstance(reply.body, dict) else []
    named = [visit.gettext(FIELDS[e.get("field", "")]) for e in errors if e.get("field", "") in FIELDS]
    if reply.status == 422 and named:
        error = visit.gettext("Please check: %(fields)s.") % {"fields": ", ".join(dict.fromkeys(named))}
    elif reply.status == 409:
        error = visit.gettext("The deadline was changed meanwhile; it is shown as it is now.")
    elif reply.status in (403, 404):
        error = visit.gettext("This action is not yours to take.")
    else:
        error = visit.gettext("The action was not accepted. Check the form and try again.")
    return await calendar_page(visit, term_id, moving=event_id, error=error, status=reply.status)
