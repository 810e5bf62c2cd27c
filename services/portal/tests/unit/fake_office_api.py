"""A stand-in for the gateway's HTTP API with the answers the oversight pages need: tasks and a reopen
case, the reports, statements and documents, and the real portal installed on it. Every call the
portal makes is recorded (path and body), so tests can see which scope a page asked for."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.gateway.auth import start_session
from services.portal.app import install

UNIVERSITY = [{"role": "vice_rector", "scope_type": "university", "scope_id": "u1"}]
PEOPLE = {
    "head": [{"role": "department_head", "scope_type": "department", "scope_id": "dep-anat"}],
    "dean": [{"role": "dean", "scope_type": "faculty", "scope_id": "fac-med"}],
    "registrar": [{"role": "registrar_head", "scope_type": "university", "scope_id": "u1"}],
    "vicerector": UNIVERSITY,
    "teacher": [{"role": "teacher", "scope_type": "department", "scope_id": "dep-anat"}],
}
CASE = {
    "case_id": "case-1",
    "section": "1",
    "step": "review",
    "deadline": "2026-12-05",
    "overdue": False,
    "explanation": {"discipline": "Анатомия", "group": "ЖМ-101", "wrong_date": "2026-11-20",
                    "reason": "Бағаны қате бағанға қойдым"},
    "history": [{"seq": 1, "at": "2026-12-01T09:00:00Z", "actor_id": "t1", "action": "explained",
                 "detail": "Бағаны қате бағанға қойдым"}],
}  # fmt: skip
TASKS = {
    "head": [{"case_id": "case-1", "action": "visa_department_head", "deadline": "2026-12-05",
              "overdue": True, "summary": "Бағаны қате бағанға қойдым", "section": "1"}],
    "registrar": [{"case_id": "prop-7", "action": "confirm_sanction", "deadline": "", "overdue": False,
                   "summary": "verbal_warning (reopen no. 1)", "section": ""}],
}  # fmt: skip
FILLING = {
    "rows": [
        {"key": "t1", "name": "Әбілқасымова Гүлнұр", "lessons_held": 10, "filled_percent": "90.00",
         "on_time_percent": "80.00"},
        {"key": "t2", "name": "Иванов Пётр", "lessons_held": 4, "filled_percent": "25.00",
         "on_time_percent": "25.00"},
    ],
}  # fmt: skip


def fake_office_gateway() -> FastAPI:
    app = FastAPI()
    calls: list[tuple[str, str, Any]] = []
    app.state.calls = calls

    def who(request: Request) -> str:
        return request.cookies.get("ej_access", "").removeprefix("token-")

    async def record(request: Request) -> Any:
        body = await request.json() if request.method != "GET" and await request.body() else None
        calls.append((request.method, request.url.path, body))
        if request.method != "GET" and request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return None
        return body

    @app.post("/api/v1/session")
    async def sign_in(request: Request) -> JSONResponse:
        body = await request.json()
        response = JSONResponse({"ok": True})
        start_session(response, f"token-{body['login']}", "refresh", 900)
        return response

    @app.get("/api/v1/session/me")
    async def me(request: Request) -> JSONResponse:
        login = who(request)
        if login not in PEOPLE:
            return JSONResponse({"status": 401}, status_code=401)
        person = {"person_id": "p-" + login, "login": login, "full_name": "Ким Елена", "roles": PEOPLE[login],
                  "language": "", "profile_code": "kz-medical", "may_change_own_password": True}  # fmt: skip
        return JSONResponse(person)

    @app.get("/api/v1/my/tasks")
    async def tasks(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"tasks": TASKS.get(who(request), [])})

    @app.get("/api/v1/reopen-cases/{case_id}")
    async def case(request: Request, case_id: str) -> JSONResponse:
        await record(request)
        if case_id != "case-1" or who(request) not in ("head", "dean", "registrar"):
            return JSONResponse({"status": 404}, status_code=404)
        return JSONResponse({"case": CASE})

    @app.post("/api/v1/reopen-cases/{case_id}/visas")
    async def visa(request: Request, case_id: str) -> JSONResponse:
        body = await record(request)
        if body is None:
            return JSONResponse({"status": 403}, status_code=403)
        if not body["approve"] and not body["comment"]:
            problem = {"status": 422, "errors": [{"field": "comment", "reason": "required"}]}
            return JSONResponse(problem, status_code=422)
        return JSONResponse({"case": {**CASE, "step": "review"}})

    @app.post("/api/v1/sanctions/{proposal_id}/confirmation")
    async def confirm(request: Request, proposal_id: str) -> JSONResponse:
        body = await record(request)
        if body is None:
            return JSONResponse({"status": 403}, status_code=403)
        return JSONResponse({"proposal": {"proposal_id": proposal_id, "status": "confirmed"}})

    @app.post("/api/v1/reports/filling")
    async def filling(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse(FILLING)

    @app.post("/api/v1/reports/attendance")
    async def attendance(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"status": 503}, status_code=503, headers={"Retry-After": "3"})

    @app.get("/api/v1/journals/{journal_id}/statements")
    async def statements(request: Request, journal_id: str) -> JSONResponse:
        await record(request)
        listed = [{"statement_id": "st-9", "series": "KZ", "number": 42, "kind": "individual",
                   "section": "1", "formed_at": "2026-12-01T10:00:00Z"}]  # fmt: skip
        return JSONResponse({"statements": listed})

    @app.post("/api/v1/documents")
    async def document(request: Request) -> JSONResponse:
        body = await record(request)
        content = base64.b64encode(b"%PDF-1.7 statement").decode()
        answer = {"content": content, "content_type": "application/pdf", "filename": "KZ-42.pdf"}
        return JSONResponse(answer if body else {"status": 403}, status_code=200 if body else 403)

    install(app)
    return app
