"""The administrator's desk (read side): login requests waiting for a decision, the classrooms with
their QR secret's version, and one person looked up by id with their roles within scopes and their
recent sign-in attempts. Deciding, granting and issuing credentials are still done through the API."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.pages.figures import university_of
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
RECENT_ATTEMPTS = 10


def listed(reply_body: Any, key: str) -> list[dict[str, Any]]:
    return list(reply_body.get(key, [])) if isinstance(reply_body, dict) else []


@router.get("/admin/people", response_class=HTMLResponse)
async def people(request: Request, person_id: str = "") -> Response:
    visit = await Visit.signed_in(request)
    requests, classrooms = await asyncio.gather(
        visit.get("/api/v1/login-requests", status="LOGIN_REQUEST_STATUS_SUBMITTED"),
        visit.get("/api/v1/classrooms", university_id=university_of(visit)),
    )
    person: dict[str, Any] = {}
    roles: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    if person_id:
        found, granted, tried = await asyncio.gather(
            visit.get(f"/api/v1/people/{person_id}"),
            visit.get(f"/api/v1/people/{person_id}/roles"),
            visit.get(f"/api/v1/people/{person_id}/login-attempts"),
        )
        person = found.body.get("person", {}) if found.ok and isinstance(found.body, dict) else {}
        roles = listed(granted.body, "assignments") if person else []
        attempts = listed(tried.body, "attempts")[:RECENT_ATTEMPTS] if person else []
    return visit.render(
        "admin_people.html",
        login_requests=listed(requests.body, "login_requests") if requests.ok else [],
        classrooms=listed(classrooms.body, "classrooms") if classrooms.ok else [],
        person_id=person_id,
        person=person,
        roles=roles,
        attempts=attempts,
    )
