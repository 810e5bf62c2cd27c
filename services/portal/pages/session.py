"""Sign-in, sign-out, the language switcher and one's own account (password change where allowed)."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal import i18n
from services.portal.visit import Visit

router = APIRouter(include_in_schema=False)
LOCKED = re.compile(r"too many failed attempts; try again in (\d+) s")


def safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/home"
    return target


@router.get("/", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    visit = await Visit.anonymous(request)
    if visit.api.signed_in and (await visit.api.get("/api/v1/session/me")).ok:
        return visit.redirect(safe_next(next))
    return visit.render("sign_in.html", next=safe_next(next), login="", error="")


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/home",
) -> Response:
    visit = await Visit.anonymous(request)
    if not login or not password:
        error = visit.gettext("Enter your login and password.")
        return visit.render("sign_in.html", status=422, next=safe_next(next), login=login, error=error)
    reply = visit.check(
        await visit.api.send("POST", "/api/v1/session", {"login": login, "password": password})
    )
    if reply.ok:
        return visit.redirect(safe_next(next))
    locked = LOCKED.search(str((reply.body or {}).get("detail", "")))
    if locked:
        minutes = max(1, -(-int(locked.group(1)) // 60))
        error = visit.gettext(
            "Too many failed attempts: sign-in is locked. Try again in %(minutes)d min."
        ) % {"minutes": minutes}
    else:
        error = visit.gettext("The login or password is not right.")
    return visit.render("sign_in.html", status=reply.status, next=safe_next(next), login=login, error=error)


@router.post("/sign-out")
async def sign_out(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit = await Visit.anonymous(request)
    await visit.send("DELETE", "/api/v1/session", None, csrf)
    response = visit.redirect("/")
    # What the browser keeps for offline entry (the page cache, the outbox, the worker) goes with the
    # session (issue 21); offline.mjs deletes it too, for browsers that ignore this header.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.post("/language")
async def choose_language(
    request: Request, language: Annotated[str, Form()], back: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(safe_next(back) if back != "/" else "/", status_code=303)
    if language in i18n.LANGUAGES:
        response.set_cookie(i18n.LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


@router.get("/home", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    visit = await Visit.signed_in(request)
    return visit.render("home.html")


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, changed: bool = False) -> Response:
    visit = await Visit.signed_in(request)
    return visit.render("account.html", errors={}, changed=changed)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    visit = await Visit.signed_in(request)
    if not visit.me.get("may_change_own_password"):  # KG-03: the form is not offered; nor is this
        return visit.render("account.html", status=403, errors={}, changed=False)
    errors: dict[str, str] = {}
    if new_password != repeat_password:
        errors["repeat_password"] = visit.gettext("The two new passwords differ.")
    else:
        body = {"current_password": current_password, "new_password": new_password}
        reply = await visit.send("PUT", "/api/v1/session/password", body, csrf)
        if reply.ok:
            return visit.redirect("/account?changed=1")
        # The API names the field; the words are ours, in the person's language.
        if reply.problem_field("new_password") is not None:
            errors["new_password"] = visit.gettext(
                "The new password is not accepted: it must differ from the current one, be long enough "
                "and mix upper- and lower-case letters and digits."
            )
        else:
            errors["current_password"] = visit.gettext("The current password is not right.")
    return visit.render("account.html", status=422, errors=errors, changed=False)
