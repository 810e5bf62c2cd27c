"""A stand-in for the gateway's HTTP API with the answers the oversight pages need: tasks and a reopen
case, the reports, statements and documents, and the real portal installed on it. Every call the
portal makes is recorded (path and body), so tests can see which scope a page asked for."""

from __future__ import annotations

import base64
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from services.gateway.auth import start_session
from services.portal.app import install

UNIVERSITY = [{"role": "vice_rector", "scope_type": "university", "scope_id": "u1"}]
PEOPLE = {
    "head": [{"role": "department_head", "scope_type": "department", "scope_id": "dep-anat"}],
    "dean": [{"role": "dean", "scope_type": "faculty", "scope_id": "fac-med"}],
    "registrar": [{"role": "registrar_head", "scope_type": "university", "scope_id": "u1"}],
    "vicerector": UNIVERSITY,
    "admin": [{"role": "administrator", "scope_type": "university", "scope_id": "u1"}],
    "teacher": [{"role": "teacher", "scope_type": "department", "scope_id": "dep-anat"}],
    "curation": [{"role": "dean_curation", "scope_type": "faculty", "scope_id": "fac-med"}],
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


# The teacher's journal: section s1 closed, s2 reopened for the teacher's case-2 (KZ-13).
GRID = {
    "journal": {"journal_id": "j-1", "title": "Анатомия", "lesson_type": "practical",
                "profile_code": "kz-medical",
                "sections": [{"section": "s1", "control_kind": "midterm", "date": "2026-11-04",
                              "closed_at": "2026-11-07T14:00:00Z", "open_reopen_case_id": ""},
                             {"section": "s2", "control_kind": "midterm", "date": "2026-11-20",
                              "closed_at": "2026-11-22T14:00:00Z", "open_reopen_case_id": "case-2"}]},
    "students": [{"student_id": "st-1", "student_name": "Абаев Нұрлан"}],
    "columns": [{"column_id": "col-1", "kind": "lesson", "date": "2026-11-03", "section": "s1", "number": 1},
                {"column_id": "col-2", "kind": "control", "date": "2026-11-20", "section": "s2",
                 "control_kind": "midterm", "number": 2}],
    "cells": [{"column_id": "col-2", "student_id": "st-1", "value": "45", "version": 2}],
}  # fmt: skip
TEACHERS_CASE = {
    "case_id": "case-2", "journal_id": "j-1", "section": "s2", "teacher_id": "p-teacher",
    "step": "correcting", "waiting_for": ["teacher"], "deadline": "2026-12-04T18:59:00+05:00",
    "overdue": False,
    "explanation": {"wrong_date": "2026-11-20", "reason": "Бағаны қате бағанға қойдым"},
    "history": [{"at": "2026-12-01T09:00:00Z", "action": "submitted", "detail": "explanation: …"},
                {"at": "2026-12-02T09:00:00Z", "action": "reopened", "detail": "grant g-1"}],
}  # fmt: skip


STRUCTURE = {
    "university": {"id": "u1", "code": "KMU", "title": "Қарағанды медицина университеті"},
    "faculties": [{"id": "fac-med", "university_id": "u1", "code": "MED", "title": "Медицина факультеті"}],
    "departments": [
        {"id": "dep-anat", "faculty_id": "fac-med", "code": "ANAT", "title": "Анатомия кафедрасы"},
        {"id": "dep-phys", "faculty_id": "fac-med", "code": "PHYS", "title": "Физиология кафедрасы"},
    ],
    "specialties": [],
}  # fmt: skip
SUBSTITUTIONS = [
    {"substitution_id": "sub-1", "absent_teacher_id": "t1", "absent_teacher_name": "Әбілқасымова Гүлнұр",
     "substitute_id": "t2", "substitute_name": "Иванов Пётр", "department_id": "dep-anat",
     "starts_on": "2026-11-30", "ends_on": "2099-12-31", "reason": "ауру",
     "decision": {"protocol_number": "4", "protocol_date": "2026-11-29"}},
]  # fmt: skip
LOADS = [
    {"id": "l1", "teacher_id": "t1", "teacher_name": "Әбілқасымова Гүлнұр", "course_unit_id": "cu-1",
     "course_unit_title": "Анатомия", "group_id": "g-1", "group_code": "ЖМ-101",
     "lesson_type": "LESSON_TYPE_PRACTICAL", "hours": 30},
    {"id": "l2", "teacher_id": "t2", "teacher_name": "Иванов Пётр", "course_unit_id": "cu-1",
     "course_unit_title": "Анатомия", "group_id": "g-2", "group_code": "ЖМ-102",
     "lesson_type": "LESSON_TYPE_LECTURE", "hours": 12},
    {"id": "l3", "teacher_id": "t1", "teacher_name": "Әбілқасымова Гүлнұр", "course_unit_id": "cu-2",
     "course_unit_title": "Гистология", "group_id": "g-2", "group_code": "ЖМ-102",
     "lesson_type": "LESSON_TYPE_LECTURE", "hours": 8},
]  # fmt: skip
CURATOR_ROWS = [
    {"student_id": "st-1", "full_name": "Абаев Нұрлан", "absent": 4, "attendance_percent": "60.00",
     "hours_missed": "8",
     "parents": [{"person_id": "pa-1", "full_name": "Абаева Сәуле", "login": "s.abayeva"}]},
]  # fmt: skip


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
                  "language": "", "profile_code": "kz-medical", "may_change_own_password": True,
                  "university_id": "u1"}  # fmt: skip
        return JSONResponse(person)

    @app.get("/api/v1/my/tasks")
    async def tasks(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"tasks": TASKS.get(who(request), [])})

    @app.get("/api/v1/reopen-cases/{case_id}")
    async def case(request: Request, case_id: str) -> JSONResponse:
        await record(request)
        if case_id == "case-2" and who(request) in ("teacher", "head"):
            return JSONResponse({"case": TEACHERS_CASE})
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
        body = await record(request) or {}
        if "faculty_id" in body.get("scope", {}):  # by department: reporting keys rows by id only
            row = {"key": "dep-anat", "lessons_held": 7, "filled_percent": "70.00",
                   "on_time_percent": "70.00"}  # fmt: skip
            return JSONResponse({"rows": [row]})
        return JSONResponse(FILLING)

    @app.get("/api/v1/journal-checks")
    async def journal_checks(request: Request) -> JSONResponse:
        await record(request)
        values = {"empty": "1", "lessons": "4"}
        lessons = {"key": "{empty} of {lessons} lessons without marks", "values": values}
        keyed = [lessons, {"key": "no attendance recorded"}]
        english = ["1 of 4 lessons without marks", "no attendance recorded"]
        checks = [
            {"week_start": "2026-11-16", "journal_id": "j-1", "lessons": 4, "filled_percent": "75.0",
             "attendance_percent": "0.0", "findings": english, "keyed_findings": keyed},
            # recorded before keyed findings were kept: its English is all there is
            {"week_start": "2026-11-16", "journal_id": "j-2", "lessons": 2, "filled_percent": "50.0",
             "attendance_percent": "100.0", "findings": ["2 of 8 cells empty"]},
        ]  # fmt: skip
        return JSONResponse({"checks": checks, "next_page_token": "t2"})

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

    @app.get("/api/v1/classrooms")
    async def classrooms(request: Request) -> JSONResponse:
        await record(request)
        if request.query_params.get("university_id") != "u1":
            return JSONResponse({"status": 422}, status_code=422)
        room = {"id": "r1", "code": "204", "building": "Бас ғимарат", "capacity": 30, "secret_version": 3}
        return JSONResponse({"classrooms": [room]})

    @app.get("/api/v1/login-requests")
    async def login_requests(request: Request) -> JSONResponse:
        await record(request)
        form = {"last_name": "Сейітқали", "first_name": "Айгерім", "patronymic": "", "position": "оқытушы",
                "requested_at": "2026-12-01T08:00:00Z"}  # fmt: skip
        return JSONResponse({"login_requests": [form]})

    @app.get("/api/v1/people/{person_id}")
    async def person(request: Request, person_id: str) -> JSONResponse:
        await record(request)
        if person_id != "p-9":
            return JSONResponse({"status": 404}, status_code=404)
        found = {"last_name": "Сейітқали", "first_name": "Айгерім", "login": "a.seitkali", "status": "active"}
        return JSONResponse({"person": found})

    @app.get("/api/v1/people")
    async def find_people(request: Request) -> JSONResponse:
        await record(request)
        query = request.query_params.get("query", "")
        if len(query) < 2:
            problem = {"status": 422, "errors": [{"field": "query", "reason": "needs at least 2 characters"}]}
            return JSONResponse(problem, status_code=422)
        found = {"person_id": "p-9", "last_name": "Сейітқали", "first_name": "Айгерім", "patronymic": "",
                 "login": "a.seitkali", "status": "ACCOUNT_STATUS_ACTIVE"}  # fmt: skip
        if query.lower() == "ай" and request.query_params.get("page_token") == "page-2":  # a second page
            other = {**found, "person_id": "p-10", "last_name": "Сейітов", "login": "a.seitov"}
            return JSONResponse({"people": [other], "next_page_token": ""})
        if query.lower() == "ай":
            return JSONResponse({"people": [found], "next_page_token": "page-2"})
        return JSONResponse({"people": [found] if query.lower() in ("сейіт", "a.sei") else []})

    @app.put("/api/v1/people/{person_id}/status")
    async def account_status(request: Request, person_id: str) -> JSONResponse:
        body = await record(request)
        if body is None:
            return JSONResponse({"status": 403}, status_code=403)
        if body["status"] != "ACCOUNT_STATUS_ACTIVE" and not body["reason"]:
            problem = {"status": 422, "errors": [{"field": "reason", "reason": "required"}]}
            return JSONResponse(problem, status_code=422)
        return JSONResponse({"person": {}})

    @app.get("/api/v1/people/{person_id}/roles")
    async def roles(request: Request, person_id: str) -> JSONResponse:
        await record(request)
        grant = {"assignment_id": "as-1", "role": "teacher", "scope_type": "department",
                 "scope_id": "dep-anat", "valid_from": "2026-09-01", "valid_until": "",
                 "revoked": False}  # fmt: skip
        return JSONResponse({"assignments": [grant]})

    @app.get("/api/v1/people/{person_id}/login-attempts")
    async def attempts(request: Request, person_id: str) -> JSONResponse:
        await record(request)
        return JSONResponse({"attempts": []})

    async def written(request: Request, answer: dict[str, Any], needs: str = "") -> JSONResponse:
        """A write: 403 without the form's CSRF echo, 422 naming `needs` when it is empty."""
        body = await record(request)
        if body is None and request.method != "DELETE":
            return JSONResponse({"status": 403}, status_code=403)
        given = body if isinstance(body, dict) else dict(request.query_params)
        if needs and not given.get(needs):
            problem = {"status": 422, "errors": [{"field": needs, "reason": "required"}]}
            return JSONResponse(problem, status_code=422)
        return JSONResponse(answer)

    @app.post("/api/v1/login-requests/{request_id}/decision")
    async def decide(request: Request, request_id: str) -> JSONResponse:
        return await written(request, {"login_request": {}, "generated_password": "Tq7-once-only"})

    @app.post("/api/v1/people/{person_id}/roles")
    async def grant(request: Request, person_id: str) -> JSONResponse:
        return await written(request, {"assignment": {}}, needs="scope_id")

    @app.delete("/api/v1/roles/{assignment_id}")
    async def revoke(request: Request, assignment_id: str) -> JSONResponse:
        return await written(request, {"assignment": {}}, needs="reason")

    @app.post("/api/v1/people/{person_id}/credentials")
    async def credentials(request: Request, person_id: str) -> JSONResponse:
        return await written(request, {"login": "a.seitkali", "generated_password": "Zx9-once-only"})

    @app.post("/api/v1/classrooms/{classroom_id}/secret/rotation")
    async def rotate(request: Request, classroom_id: str) -> JSONResponse:
        return await written(request, {"classroom": {}})

    @app.get("/api/v1/academic-years")
    async def years(request: Request) -> JSONResponse:
        await record(request)
        term = {"id": "term-1", "academic_year_id": "y1", "number": 1, "starts_on": "2026-09-01",
                "ends_on": "2026-12-31"}  # fmt: skip
        return JSONResponse({"academic_years": [{"id": "y1", "code": "2026-2027", "terms": [term]}]})

    @app.get("/api/v1/control-events")
    async def control_events(request: Request) -> JSONResponse:
        await record(request)
        event = {"id": "ce-1", "kind": "CONTROL_EVENT_KIND_MIDTERM", "course_unit_id": "cu-1",
                 "group_id": "g-1", "date": "2026-11-04", "grade_entry_deadline": "2026-11-04T18:59:00+05:00",
                 "closing_deadline": "2026-11-07T18:59:00+05:00", "term_id": "term-1",
                 "revision": 4}  # fmt: skip
        return JSONResponse({"control_events": [event]})

    @app.get("/api/v1/groups")
    async def groups(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"groups": [{"id": "g-1", "code": "ЖМ-101"}]})

    @app.get("/api/v1/course-units")
    async def course_units(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"course_units": [{"id": "cu-1", "title": "Анатомия"}]})

    @app.get("/api/v1/journals/{journal_id}/grid")
    async def grid(request: Request, journal_id: str) -> JSONResponse:
        await record(request)
        if journal_id != "j-1" or who(request) != "teacher":
            return JSONResponse({"status": 404}, status_code=404)
        return JSONResponse(GRID)

    @app.post("/api/v1/reopen-cases")
    async def explain(request: Request) -> JSONResponse:
        body = await record(request)
        if body is None:
            return JSONResponse({"status": 403}, status_code=403)
        if not body["explanation"]["reason"]:
            problem = {"status": 422, "errors": [{"field": "explanation.reason", "reason": "required"}]}
            return JSONResponse(problem, status_code=422)
        return JSONResponse({"case": {**TEACHERS_CASE, "step": "review"}}, status_code=201)

    @app.post("/api/v1/journals/{journal_id}/marks")
    async def marks(request: Request, journal_id: str) -> JSONResponse:
        if not request.headers.get("idempotency-key"):  # a write of marks is always keyed
            return JSONResponse({"status": 400}, status_code=400)
        return await written(request, {"cells": [], "replayed": False}, needs="reason")

    @app.post("/api/v1/reopen-cases/{case_id}/correction")
    async def correction(request: Request, case_id: str) -> JSONResponse:
        return await written(request, {"case": {**TEACHERS_CASE, "step": "reclosing"}})

    @app.post("/api/v1/imports")
    async def import_file(request: Request) -> Response:
        """Streams JSON lines as the gateway does: progress, then the result with each row's error."""
        content = await request.body()
        calls.append(("POST", "/api/v1/imports", {**request.query_params, "content": content.decode()}))
        if request.headers.get("x-csrf-token") != request.cookies.get("ej_csrf"):
            return JSONResponse({"status": 403}, status_code=403)
        errors = [{"row": 2, "column": "Группа", "reason": "ЖМ-999: жоқ топ"},
                  {"row": 3, "column": "Группа", "reason": "ЖМ-999: жоқ топ"}]  # fmt: skip
        result: dict[str, object] = {
            "status": "rejected",
            "rows_total": 2,
            "rows_changed": 0,
            "errors": errors,
        }
        if "ЖМ-999" not in content.decode():  # a valid file: counted (issue 22), applied unless a dry run
            dry = request.query_params.get("dry_run") == "true"
            counts = {"rows_added": 1, "rows_updated": 2, "rows_removed": 3, "removals_refused": 0}
            result = {"status": "validated" if dry else "applied", "rows_total": 3, "rows_changed": 3,
                      "errors": [], **counts}  # fmt: skip
        lines = [{"progress": {"stage": "validating", "rows_done": 2, "rows_total": 2}}, {"result": result}]
        return Response("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                        media_type="application/x-ndjson")  # fmt: skip

    @app.put("/api/v1/control-events/{event_id}/deadline")
    async def move(request: Request, event_id: str) -> JSONResponse:
        return await written(request, {"control_event": {}}, needs="reason")

    @app.get("/api/v1/universities/{university_id}/structure")
    async def structure(request: Request, university_id: str) -> JSONResponse:
        await record(request)
        if university_id != "u1":
            return JSONResponse({"status": 404}, status_code=404)
        return JSONResponse(STRUCTURE)

    @app.get("/api/v1/substitutions")
    async def substitutions(request: Request) -> JSONResponse:
        await record(request)
        if request.query_params.get("department_id") not in ("dep-anat", "dep-phys"):
            return JSONResponse({"status": 403}, status_code=403)
        return JSONResponse({"substitutions": SUBSTITUTIONS})

    @app.post("/api/v1/substitutions")
    async def appoint(request: Request) -> JSONResponse:
        return await written(request, {"substitution": SUBSTITUTIONS[0]}, needs="reason")

    @app.post("/api/v1/substitutions/{substitution_id}/end")
    async def end_substitution(request: Request, substitution_id: str) -> JSONResponse:
        return await written(request, {"substitution": SUBSTITUTIONS[0]}, needs="reason")

    @app.get("/api/v1/teaching-loads")
    async def teaching_loads(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"teaching_loads": LOADS})

    @app.get("/api/v1/groups/{group_id}/curator-attendance")
    async def curator_attendance(request: Request, group_id: str) -> JSONResponse:
        await record(request)
        if group_id != "g-1":
            return JSONResponse({"status": 403}, status_code=403)
        return JSONResponse({"rows": CURATOR_ROWS})

    @app.get("/api/v1/my/reopen-cases")
    async def my_cases(request: Request) -> JSONResponse:
        await record(request)
        return JSONResponse({"cases": [TEACHERS_CASE] if who(request) == "teacher" else []})

    @app.get("/api/v1/journals/{journal_id}")
    async def journal(request: Request, journal_id: str) -> JSONResponse:
        await record(request)
        if journal_id != "j-1" or who(request) != "teacher":
            return JSONResponse({"status": 404}, status_code=404)
        names = {"discipline": "ANA-1 Анатомия", "group": "ЖМ-101", "specialty": "Жалпы медицина",
                 "department": "Анатомия кафедрасы", "faculty": "Медицина факультеті",
                 "course": 1}  # fmt: skip
        return JSONResponse({"journal": GRID["journal"], "names": names})

    install(app)
    return app
