"""The teacher's side of a kz reopen case, through the API (the teacher's reopen page is the `portal`
branch's work): finding a closed section, the explanation, the correction under the grant. Also the
polling helpers that wait for the workflow, which moves a case between people asynchronously."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deploy.demo import university as u
from deploy.demo.semester.cast import Cast
from deploy.demo.semester.harness import Api

WAIT_SECONDS = 60


@dataclass
class TeachersCase:
    journal: dict[str, Any]
    column: dict[str, Any]
    case_id: str


def eventually(probe: Callable[[], Any], what: str, seconds: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found:
            return found
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.5)


def explain_a_late_correction(api: Api, cast: Cast) -> TeachersCase:
    """KZ-13.1: the teacher explains a wrong entry in a closed section of the journal with `cast.student`."""
    teacher = cast.teacher
    journals = api.call(teacher, "GET", "/api/v1/my/journals").json()["journals"]
    for journal in journals:
        grid = api.call(teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/grid").json()
        closed = [s for s in journal["sections"] if s["closed_at"] and not s["open_reopen_case_id"]]
        if closed and cast.student.id in {s["student_id"] for s in grid.get("students", [])}:
            break
    else:
        raise AssertionError(f"{teacher.login} has no closed section to correct")
    section = closed[0]["section"]
    in_section = [col for col in grid["columns"] if col["section"] == section]
    column = next((col for col in in_section if col["kind"] == "control"), in_section[-1])
    group = u.group_of(cast.student)
    explanation = {
        "discipline": journal["title"], "lesson_types": [journal["lesson_type"]], "course": 1,
        "group": group.code, "specialty": group.specialty.code, "wrong_date": column["date"],
        "reason": "Бағаны қате бағанға қойдым / поставила оценку не в тот столбец",
    }  # fmt: skip
    body = {"request_id": str(uuid.uuid4()), "journal_id": journal["journal_id"], "section": section,
            "explanation": explanation}  # fmt: skip
    reply = api.write(teacher, "/api/v1/reopen-cases", body)
    assert reply.status_code == 201, reply.text
    return TeachersCase(journal, column, reply.json()["case"]["case_id"])


def case_step(api: Api, cast: Cast, case_id: str) -> str:
    return str(api.call(cast.teacher, "GET", f"/api/v1/reopen-cases/{case_id}").json()["case"]["step"])


def correct_and_submit(api: Api, cast: Cast, case: TeachersCase) -> None:
    """KZ-13.4: once reopened, the teacher changes the mark under the grant and submits the correction."""
    eventually(lambda: case_step(api, cast, case.case_id) == "correcting", "the case to be reopened")
    journal_id = case.journal["journal_id"]
    grid = api.call(cast.teacher, "GET", f"/api/v1/journals/{journal_id}/grid").json()
    key = (case.column["column_id"], cast.student.id)
    current = {m["value"] for m in grid.get("cells", []) if (m["column_id"], m["student_id"]) == key}
    value = next(v for v in cast.substitute_marks if v not in current)
    cell = {"column_id": case.column["column_id"], "student_id": cast.student.id, "value": value}
    marks = {"cells": [cell], "reason": "KZ-13: түзету / исправление"}
    assert api.write(cast.teacher, f"/api/v1/journals/{journal_id}/marks", marks).status_code == 200
    note = {"note": "түзетілді / исправлено"}
    reply = api.write(cast.teacher, f"/api/v1/reopen-cases/{case.case_id}/correction", note)
    assert reply.status_code == 200, reply.text
    eventually(lambda: case_step(api, cast, case.case_id) == "completed", "the section to be re-closed")
