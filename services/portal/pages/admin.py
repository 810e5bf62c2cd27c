"""The administrator's desk: login requests waiting for a decision (approve with a login, or reject
with a reason), the classrooms with their QR secret's version (rotate one), and one person looked up
by id with their roles within scopes (grant, revoke with a reason), new credentials, and their recent
sign-in attempts. A generated password is shown once, on the answer page itself, never in an address.

Plain forms: every action works without JavaScript; a refusal is said in the person's language."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ejournal_platform.authz import Role, ScopeType
from services.portal.api import Reply
from services.portal.navigation import N_
from services.portal.pages.figures import current_year, university_of
from services.portal.pages.refusals import form_refusal
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
RECENT_ATTEMPTS = 10
FOUND = 50
# An account's states (identity's AccountStatus), as the API names them, and their words.
STATUSES = {
    "ACCOUNT_STATUS_ACTIVE": N_("active"),
    "ACCOUNT_STATUS_SUSPENDED": N_("suspended"),
    "ACCOUNT_STATUS_LEFT": N_("left the university"),
}
GRANTABLE = [r.value for r in Role if r is not Role.SERVICE]
# The scopes offered by name, broadest first; a parent's scope is their child (a person, by id).
UNIT_SCOPES = (
    (ScopeType.UNIVERSITY, N_("University")),
    (ScopeType.FACULTY, N_("Faculties")),
    (ScopeType.DEPARTMENT, N_("Departments")),
    (ScopeType.SPECIALTY, N_("Specialties")),
    (ScopeType.GROUP, N_("Groups")),
)
FIELDS = {
    "login": N_("Login"),
    "reason": N_("Reason"),
    "role": N_("Role"),
    "scope_type": N_("Scope"),
    "scope_id": N_("Scope"),
    "valid_from": N_("Valid from"),
    "valid_until": N_("Valid until"),
    "status": N_("Account"),
    "query": N_("Name or login"),
}


def listed(reply_body: Any, key: str) -> list[dict[str, Any]]:
    return list(reply_body.get(key, [])) if isinstance(reply_body, dict) else []


@router.get("/admin/people", response_class=HTMLResponse)
async def people(
    request: Request, person_id: str = "", done: str = "", q: str = "", page_token: str = ""
) -> Response:
    visit = await Visit.signed_in(request)
    return await desk(visit, person_id, done=done, query=q, page_token=page_token)


async def found_people(
    visit: Visit, query: str, page_token: str = ""
) -> tuple[list[dict[str, Any]], str, str]:
    """One page of the people the administrator manages whose login begins with, or whose name holds,
    the query; the refusal; the next page's token (FindPeople pages like every list, issue 22)."""
    if not query.strip():
        return [], "", ""
    reply = await visit.get("/api/v1/people", query=query.strip(), page_size=FOUND, page_token=page_token)
    if not reply.ok:
        return [], refusal(visit, reply), ""
    following = reply.body.get("next_page_token", "") if isinstance(reply.body, dict) else ""
    return listed(reply.body, "people"), "", str(following)


async def desk(
    visit: Visit, person_id: str = "", done: str = "", error: str = "", issued: dict[str, str] | None = None,
    status: int = 200, query: str = "", page_token: str = "",
) -> Response:  # fmt: skip
    (requests, classrooms), (found, search_error, found_next) = await asyncio.gather(
        asyncio.gather(
            visit.get("/api/v1/login-requests", status="LOGIN_REQUEST_STATUS_SUBMITTED"),
            visit.get("/api/v1/classrooms", university_id=university_of(visit)),
        ),
        found_people(visit, query, page_token),
    )
    person: dict[str, Any] = {}
    roles: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    scopes: list[tuple[str, list[tuple[str, str]]]] = []
    if person_id:
        found, granted, tried, scopes = await asyncio.gather(
            visit.get(f"/api/v1/people/{person_id}"),
            visit.get(f"/api/v1/people/{person_id}/roles"),
            visit.get(f"/api/v1/people/{person_id}/login-attempts"),
            scope_choices(visit),
        )
        person = found.body.get("person", {}) if found.ok and isinstance(found.body, dict) else {}
        roles = listed(granted.body, "assignments") if person else []
        attempts = listed(tried.body, "attempts")[:RECENT_ATTEMPTS] if person else []
    return visit.render(
        "admin_people.html",
        status=status,
        done=done,
        error=error,
        issued=issued or {},
        grantable=GRANTABLE,
        scopes=scopes,
        scope_names={value: title for _, options in scopes for value, title in options},
        login_requests=listed(requests.body, "login_requests") if requests.ok else [],
        classrooms=listed(classrooms.body, "classrooms") if classrooms.ok else [],
        person_id=person_id,
        person=person,
        query=query,
        found=found,
        found_next=found_next,
        search_error=search_error,
        statuses=STATUSES,
        roles=roles,
        attempts=attempts,
    )


async def scope_choices(visit: Visit) -> list[tuple[str, list[tuple[str, str]]]]:
    """The administrator's university's units by name, grouped by kind: (kind's label, [("type|id",
    title)]). Two calls: the structure, and the current academic year's groups."""
    university = university_of(visit)
    if not university:
        return []
    tree_reply, year = await asyncio.gather(
        visit.get(f"/api/v1/universities/{university}/structure"), current_year(visit)
    )
    tree = tree_reply.body if tree_reply.ok and isinstance(tree_reply.body, dict) else {}
    groups = await visit.get("/api/v1/groups", academic_year_id=year, page_size=1000) if year else None
    units = {
        ScopeType.UNIVERSITY: [tree["university"]] if tree.get("university") else [],
        ScopeType.FACULTY: tree.get("faculties", []),
        ScopeType.DEPARTMENT: tree.get("departments", []),
        ScopeType.SPECIALTY: tree.get("specialties", []),
        ScopeType.GROUP: listed(groups.body, "groups") if groups is not None and groups.ok else [],
    }
    return [
        (visit.gettext(label), [(f"{kind.value}|{u['id']}", str(u.get("title") or u.get("code") or u["id"]))
                                for u in units[kind]])
        for kind, label in UNIT_SCOPES
        if units[kind]
    ]  # fmt: skip


def refusal(visit: Visit, reply: Reply) -> str:
    return form_refusal(visit, reply, FIELDS)


@router.post("/admin/login-requests/{request_id}/decision")
async def decide_login_request(
    request: Request,
    request_id: str,
    decision: Annotated[str, Form()],
    login: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    approve = decision == "approve"
    body = {"approve": approve, "login": login.strip() if approve else "", "reason": reason.strip()}
    reply = await visit.send("POST", f"/api/v1/login-requests/{request_id}/decision", body, csrf)
    if not reply.ok:
        return await desk(visit, error=refusal(visit, reply), status=reply.status)
    if approve:  # the first password is shown once, here
        issued = {"login": login.strip(), "password": str(reply.body.get("generated_password", ""))}
        return await desk(visit, done="approved", issued=issued)
    return visit.redirect("/admin/people?done=rejected")


@router.post("/admin/people/{person_id}/roles")
async def grant_role(
    request: Request,
    person_id: str,
    role: Annotated[str, Form()],
    scope: Annotated[str, Form()] = "",
    student_id: Annotated[str, Form()] = "",
    valid_from: Annotated[str, Form()] = "",
    valid_until: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """A role within a unit chosen by name ("type|id"), or, for a parent, within their child's
    scope (the student's person id)."""
    visit = await Visit.signed_in(request)
    scope_type, _, scope_id = scope.partition("|")
    if scope_type == ScopeType.STUDENT:
        scope_id = student_id
    body = {"role": role, "scope_type": scope_type, "scope_id": scope_id.strip(), "valid_from": valid_from,
            "valid_until": valid_until}  # fmt: skip
    reply = await visit.send("POST", f"/api/v1/people/{person_id}/roles", body, csrf)
    if reply.ok:
        return visit.redirect(f"/admin/people?person_id={person_id}&done=granted")
    return await desk(visit, person_id, error=refusal(visit, reply), status=reply.status)


@router.post("/admin/roles/{assignment_id}/revocation")
async def revoke_role(
    request: Request,
    assignment_id: str,
    person_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    # DELETE has no body: the reason travels in the query string
    query = urlencode({"reason": reason.strip()})
    reply = await visit.send("DELETE", f"/api/v1/roles/{assignment_id}?{query}", None, csrf)
    if reply.ok:
        return visit.redirect(f"/admin/people?person_id={person_id}&done=revoked")
    return await desk(visit, person_id, error=refusal(visit, reply), status=reply.status)


@router.post("/admin/people/{person_id}/status")
async def set_status(
    request: Request,
    person_id: str,
    status: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Suspend, reactivate or mark an account as left (a reason is required but to reactivate)."""
    visit = await Visit.signed_in(request)
    body = {"status": status, "reason": reason.strip()}
    reply = await visit.send("PUT", f"/api/v1/people/{person_id}/status", body, csrf)
    if reply.ok:
        return visit.redirect(f"/admin/people?person_id={person_id}&done=status")
    return await desk(visit, person_id, error=refusal(visit, reply), status=reply.status)


@router.post("/admin/people/{person_id}/credentials")
async def issue_credentials(request: Request, person_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send("POST", f"/api/v1/people/{person_id}/credentials", {}, csrf)
    if not reply.ok:
        return await desk(visit, person_id, error=refusal(visit, reply), status=reply.status)
    issued = {
        "login": str(reply.body.get("login", "")),
        "password": str(reply.body.get("generated_password", "")),
    }
    return await desk(visit, person_id, done="credentials", issued=issued)


@router.post("/admin/classrooms/{classroom_id}/secret")
async def rotate_secret(request: Request, classroom_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send("POST", f"/api/v1/classrooms/{classroom_id}/secret/rotation", {}, csrf)
    if reply.ok:
        return visit.redirect("/admin/people?done=rotated")
    return await desk(visit, error=refusal(visit, reply), status=reply.status)
