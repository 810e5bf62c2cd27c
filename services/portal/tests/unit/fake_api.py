"""A stand-in for the gateway's HTTP API with the few answers the unit tests need, and the real portal
installed on it (the portal reaches the API through the same application, as in production)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.gateway.auth import start_session
from services.portal.app import install

ROLES = {
    "teacher": [{"role": "teacher", "scope_type": "department", "scope_id": "d1"}],
    "student": [{"role": "student", "scope_type": "group", "scope_id": "g1"}],
    "kgteacher": [{"role": "teacher", "scope_type": "department", "scope_id": "d2"}],
}


def fake_gateway(locked_seconds: int = 0, unavailable: bool = False) -> FastAPI:
    app = FastAPI()
    seen: dict[str, Any] = {"password_changes": [], "languages": []}
    app.state.seen = seen

    @app.post("/api/v1/session")
    async def sign_in(request: Request) -> JSONResponse:
        body = await request.json()
        if unavailable:
            return JSONResponse({"status": 503}, status_code=503, headers={"Retry-After": "7"})
        if locked_seconds:
            detail = f"too many failed attempts; try again in {locked_seconds} s"
            return JSONResponse({"status": 401, "detail": detail}, status_code=401)
        if body["password"] != "right":
            return JSONResponse({"status": 401, "detail": "login or password is wrong"}, status_code=401)
        response = JSONResponse({"ok": True})
        start_session(response, f"token-{body['login']}", "refresh", 900)
        return response

    @app.get("/api/v1/session/me")
    async def me(request: Request) -> JSONResponse:
        seen["languages"].append(request.headers.get("accept-language"))
        token = request.cookies.get("ej_access", "")
        login = token.removeprefix("token-")
        if login not in ROLES:
            return JSONResponse({"status": 401}, status_code=401)
        return JSONResponse(
            {
                "person_id": "p-" + login,
                "login": login,
                "full_name": "Әбілқасымова Гүлнұр",
                "roles": ROLES[login],
                "language": "",
                "profile_code": "kg-jasu" if login.startswith("kg") else "kz-medical",
                "may_change_own_password": not login.startswith("kg"),
            }
        )

    @app.put("/api/v1/session/password")
    async def password(request: Request) -> JSONResponse:
        if request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return JSONResponse({"status": 403}, status_code=403)
        seen["password_changes"].append(await request.json())
        return JSONResponse({})

    notices = [
        {"notice_id": "n2", "category": "dispute", "subject": "Студент бағаға дау айтады",
         "body": "Жұмабеков «н/б» бағасына дау айтады.\nМерзімі: 4 желтоқсан 2026, 12:00", "link": "",
         "deadline": "", "created_at": "2026-12-02T07:00:00+00:00", "read": False},
        {"notice_id": "n1", "category": "section_closed", "subject": "Журнал бөлімі жабылды", "body": "…",
         "link": "", "deadline": "", "created_at": "2026-12-01T07:00:00+00:00", "read": True},
    ]  # fmt: skip
    seen["notices_read"] = []
    seen["notices_pages"] = []

    @app.get("/api/v1/my/notices")
    async def my_notices(request: Request) -> JSONResponse:
        if request.cookies.get("ej_access", "").removeprefix("token-") not in ROLES:
            return JSONResponse({"status": 401}, status_code=401)
        unread = sum(not n["read"] for n in notices)
        size = getattr(app.state, "notices_page_size", 0)  # a test's page size: one page of it
        if not size:
            return JSONResponse({"notices": notices, "unread": unread})
        seen["notices_pages"].append(dict(request.query_params))
        start = int(request.query_params.get("page_token") or 0)
        end = start + size
        following = str(end) if end < len(notices) else ""
        return JSONResponse({"notices": notices[start:end], "unread": unread, "next_page_token": following})

    @app.post("/api/v1/my/notices/read")
    async def notices_read(request: Request) -> JSONResponse:
        if request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return JSONResponse({"status": 403}, status_code=403)
        ids = (await request.json())["notice_ids"]
        seen["notices_read"].append(ids)
        return JSONResponse({"marked": len([n for n in notices if n["notice_id"] in ids and not n["read"]])})

    seen["contacts_updates"] = []
    stored = {"person_id": "p-teacher", "email": "t@example.kz", "language": "kk", "timezone": "Asia/Almaty",
              "digest_hour": 18, "preferences": [{"category": "dispute", "delivery": "daily_digest"}],
              "version": "3"}  # fmt: skip

    @app.get("/api/v1/people/{person_id}/contacts")
    async def get_contacts(request: Request, person_id: str) -> JSONResponse:
        if person_id != "p-" + request.cookies.get("ej_access", "").removeprefix("token-"):
            return JSONResponse({"status": 404}, status_code=404)  # only one's own
        return JSONResponse({"contacts": {**stored, "person_id": person_id}})

    @app.put("/api/v1/people/{person_id}/contacts")
    async def put_contacts(request: Request, person_id: str) -> JSONResponse:
        if request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return JSONResponse({"status": 403}, status_code=403)
        body = await request.json()
        seen["contacts_updates"].append((person_id, body))
        if "@" not in body["email"]:  # the gateway words the reason in the user's language
            error = {"field": "email", "reason": "электрондық пошта мекенжайы қате"}
            return JSONResponse({"status": 400, "title": "Деректер қате", "errors": [error]}, status_code=400)
        return JSONResponse({"contacts": body})

    @app.post("/api/v1/session/telegram-link")
    async def telegram_link(request: Request) -> JSONResponse:
        if request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return JSONResponse({"status": 403}, status_code=403)
        return JSONResponse({"code": "482913", "expires_in_seconds": 600}, status_code=201)

    install(app)
    return app
