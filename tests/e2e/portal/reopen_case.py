"""The teacher's side of a kz reopen case: finding a closed section (through the API), and the
explanation and the correction under the grant through the teacher's pages (`/teacher/journals/…/
explanation`, `/teacher/cases/{id}`). Also the polling helpers that wait for the workflow, which moves
a case between people asynchronously."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import expect

from deploy.demo import university as u
from deploy.demo.semester.cast import Cast
from deploy.demo.semester.harness import Api
from tests.e2e.portal.browser import Person

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


def closed_section(api: Api, cast: Cast) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A journal of the teacher's with `cast.student` and a closed section: (journal, section, column)."""
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
    return journal, section, column


def explain_through_the_page(teacher: Person, api: Api, cast: Cast) -> TeachersCase:
    """KZ-13.1 in the teacher's page: the closed section's explanation form, sent; the case page opens."""
    journal, section, column = closed_section(api, cast)
    group = u.group_of(cast.student)
    page = teacher.visit(f"/teacher/journals/{journal['journal_id']}")
    page.locator(f"a[href$='/sections/{section}/explanation']").click()
    teacher.check("explanation form")
    # the journal's names come prefilled from the API (GetJournal's names); the course is typed
    expect(page.locator("#group")).to_have_value(group.code)
    expect(page.locator("#specialty")).to_have_value(group.specialty.title)
    page.locator("#course").fill(str(group.course))
    page.locator("#wrong_date").select_option(column["date"])
    page.locator("#reason").fill("Бағаны қате бағанға қойдым / поставила оценку не в тот столбец")
    page.locator("form[action$='/explanation'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/teacher/cases/[0-9a-f-]{36}$"))
    teacher.check("case under review")
    return TeachersCase(journal, column, page.url.rsplit("/", 1)[1])


def correct_through_the_page(teacher: Person, api: Api, cast: Cast, case: TeachersCase) -> None:
    """KZ-13.4 in the teacher's case page, once reopened: one mark changed with its reason, then the
    correction submitted; the workflow closes the section again."""
    eventually(lambda: case_step(api, cast, case.case_id) == "correcting", "the case to be reopened")
    page = teacher.visit(f"/teacher/cases/{case.case_id}")
    expect(page.locator("#case-step")).to_have_attribute("data-step", "correcting")
    expect(page.locator("#case-deadline")).not_to_be_empty()
    journal_id = case.journal["journal_id"]
    grid = api.call(cast.teacher, "GET", f"/api/v1/journals/{journal_id}/grid").json()
    key = (case.column["column_id"], cast.student.id)
    current = {m["value"] for m in grid.get("cells", []) if (m["column_id"], m["student_id"]) == key}
    value = next(v for v in cast.substitute_marks if v not in current)
    page.locator("#cell").select_option(f"{key[0]}|{key[1]}")
    page.locator("#value").fill(value)
    page.locator("#mark-reason").fill("KZ-13: түзету / исправление")
    page.locator("form[action$='/marks'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"done=mark$"))
    teacher.check("mark corrected")
    page.locator("#note").fill("түзетілді / исправлено")
    page.locator("form[action$='/correction'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"done=correction$"))
    teacher.check("correction submitted")
    eventually(lambda: case_step(api, cast, case.case_id) == "completed", "the section to be re-closed")


def case_step(api: Api, cast: Cast, case_id: str) -> str:
    return str(api.call(cast.teacher, "GET", f"/api/v1/reopen-cases/{case_id}").json()["case"]["step"])
