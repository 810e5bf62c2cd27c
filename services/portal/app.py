"""How the gateway serves the portal: its pages at the site's root, its static files under /static,
on the same origin as the API (so the cookie session and its CSRF header work as designed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.portal.pages import (
    admin,
    calendar,
    checks,
    column_form,
    contacts,
    department,
    disputes,
    lessons,
    notices,
    office,
    oversight,
    reopen,
    session,
    student,
    tasks,
    teacher,
)
from services.portal.visit import ApiUnavailable, SignInRequired, sign_in_path

STATIC = Path(__file__).parent / "static"
ROUTERS = (
    session.router,
    teacher.router,
    reopen.router,
    column_form.router,
    lessons.router,
    disputes.router,
    student.router,
    tasks.router,
    department.router,
    calendar.router,
    oversight.router,
    office.router,
    admin.router,
    notices.router,
    checks.router,
    contacts.router,
)


SW_VERSION_LINE = 'const ASSETS = "dev";'


def asset_version(folder: Path = STATIC) -> str:
    """A digest of every static file's path and bytes: it changes with any script, style or the
    worker itself, so a deploy that changes them gets a new worker and a new cache (issue 21)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def service_worker_source(version: str, folder: Path = STATIC) -> str:
    source = (folder / "js" / "sw.js").read_text(encoding="utf-8")
    if SW_VERSION_LINE not in source:
        raise RuntimeError(f"sw.js lost its version line {SW_VERSION_LINE!r}")
    return source.replace(SW_VERSION_LINE, f'const ASSETS = "{version}";', 1)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    # The navigation links only to pages that exist.
    app.state.portal_pages = frozenset(getattr(route, "path", "") for r in ROUTERS for route in r.routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # The offline service worker must be served from the root to control every page (scope "/"). Its
    # cache is named after the static files' version, read once: a deploy is a new process.
    version = asset_version()
    worker = service_worker_source(version)
    app.state.asset_version = version

    @app.get("/sw.js", include_in_schema=False)
    async def service_worker() -> Response:
        return Response(
            worker,
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
        )

    async def to_sign_in(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignInRequired)
        return RedirectResponse(sign_in_path(error.back_to), status_code=303)

    async def unavailable(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiUnavailable)
        retry = error.reply.headers.get("retry-after", "5")
        response = error.visit.render("unavailable.html", status=503, retry=retry)
        response.headers["Retry-After"] = retry
        return response

    app.add_exception_handler(SignInRequired, to_sign_in)
    app.add_exception_handler(ApiUnavailable, unavailable)
