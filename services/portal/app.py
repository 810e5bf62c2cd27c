"""How the gateway serves the portal: its pages at the site's root, its static files under /static,
on the same origin as the API (so the cookie session and its CSRF header work as designed)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.portal.pages import (
    admin,
    calendar,
    column_form,
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
)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    # The navigation links only to pages that exist.
    app.state.portal_pages = frozenset(getattr(route, "path", "") for r in ROUTERS for route in r.routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # The offline service worker must be served from the root to control every page (scope "/").
    @app.get("/sw.js", include_in_schema=False)
    async def service_worker() -> Response:
        return FileResponse(
            STATIC / "js" / "sw.js",
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
