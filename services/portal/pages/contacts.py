"""My contacts and notice preferences (issue 17): e-mail, phone, the language and time zone notices
are written in, quiet hours, the digest's hour, and per category whether to be told at once, in the
daily digest or not at all; and a one-time code to link a Telegram chat. Each person edits their own
(the API checks that `person_id` is the caller's, or an administrator's reach).

Legal notices (deadlines, reopen steps, sanctions) cannot be turned off: their choice offers no "off".
A refusal names the field, in the person's language, with the API's reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.navigation import N_
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)

LEGAL = ("deadline", "reopen_step", "sanction")
CATEGORIES = {
    "deadline": N_("Deadlines"),
    "reopen_step": N_("Reopen procedure steps"),
    "sanction": N_("Disciplinary measures"),
    "dispute": N_("Disputes"),
    "task": N_("Tasks"),
    "section_closed": N_("Closed sections"),
    "absence": N_("Absences in a row"),
    "check": N_("Journal checks"),
}
DELIVERIES = {"immediate": N_("At once"), "daily_digest": N_("In the daily digest"), "off": N_("Off")}
FIELDS = ("email", "phone", "language", "timezone", "quiet_from_hour", "quiet_to_hour", "digest_hour")


def path_of(visit: Visit) -> str:
    return f"/api/v1/people/{visit.me.get('person_id', '')}/contacts"


def preferences_of(contacts: dict[str, Any]) -> dict[str, str]:
    chosen = {p.get("category", ""): p.get("delivery", "") for p in contacts.get("preferences", [])}
    return {c: chosen.get(c) or "immediate" for c in CATEGORIES}


def page(visit: Visit, contacts: dict[str, Any], status: int = 200, **extra: Any) -> Response:
    return visit.render(
        "contacts.html", status=status, contacts=contacts, chosen=preferences_of(contacts),
        categories=CATEGORIES, deliveries=DELIVERIES, legal=LEGAL,
        hours=range(24), **{"errors": {}, "saved": False, "code": "", "failed": False, **extra},
    )  # fmt: skip


@router.get("/account/contacts", response_class=HTMLResponse)
async def contacts(request: Request, saved: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.get(path_of(visit))
    found = reply.body.get("contacts", {}) if reply.ok and isinstance(reply.body, dict) else {}
    return page(visit, found, saved=saved, failed=not reply.ok)


@router.post("/account/contacts", response_class=HTMLResponse)
async def save(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.signed_in(request)
    form = await request.form()
    text = {name: str(form.get(name, "")).strip() for name in FIELDS}
    body: dict[str, Any] = {
        **{name: text[name] for name in ("email", "phone", "language", "timezone")},
        **{name: int(text[name]) if text[name].isdigit() else 0 for name in FIELDS[4:]},
        "expected_version": int(str(form.get("version", "0")) or 0),
        "preferences": [
            {"category": c, "delivery": str(form.get(f"pref_{c}", "immediate"))} for c in CATEGORIES
        ],
    }
    reply = await visit.send("PUT", path_of(visit), body, csrf)
    if reply.ok:
        return visit.redirect("/account/contacts?saved=1")
    if reply.status == 403:  # a forged or stale form
        return visit.render("not_found.html", status=403)
    problem = reply.body if isinstance(reply.body, dict) else {}
    errors = {e.get("field", ""): e.get("reason", "") for e in problem.get("errors", [])}
    if not errors:
        title = problem.get("title", "")
        errors = {"form": title or visit.gettext("Your contacts could not be saved. Try again later.")}
    shown = {
        **body,
        "version": body["expected_version"],
        "telegram_linked": form.get("telegram_linked") == "1",
    }
    return page(visit, shown, status=422, errors=errors)


@router.post("/account/contacts/telegram", response_class=HTMLResponse)
async def telegram(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.signed_in(request)
    reply = await visit.send("POST", "/api/v1/session/telegram-link", {}, csrf)
    if reply.status == 403:
        return visit.render("not_found.html", status=403)
    current = await visit.get(path_of(visit))
    found = current.body.get("contacts", {}) if current.ok and isinstance(current.body, dict) else {}
    code = str(reply.body.get("code", "")) if reply.ok and isinstance(reply.body, dict) else ""
    return page(visit, found, code=code, failed=not reply.ok)
