"""The department's and faculty's lists against a fake API: substitutions (a head appoints and ends
them; a dean reads), teaching load and curator attendance lists, each one call that carries the names,
in the person's own scope; and the teacher's own reopen cases and the explanation prefilled from the
journal's names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.portal.tests.unit.fake_office_api import fake_office_gateway

pytestmark = pytest.mark.unit


def signed_in(login: str) -> TestClient:
    browser = TestClient(fake_office_gateway(), base_url="https://portal.test")
    browser.post("/sign-in", data={"login": login, "password": "any"})
    return browser


def calls(browser: TestClient) -> list[tuple[str, str, Any]]:
    return browser.app.state.calls  # type: ignore[attr-defined, no-any-return]


def sent(browser: TestClient, method: str, path: str) -> list[Any]:
    return [body for m, p, body in calls(browser) if (m, p) == (method, path)]


def test_a_department_head_sees_substitutions_by_name_and_appoints_from_lists() -> None:
    browser = signed_in("head")
    page = browser.get("/department/substitutions", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Анатомия кафедрасы" in page.text  # the department by name, not its id
    assert re.search(r'<th scope="row" id="sub-1">Әбілқасымова Гүлнұр</th>\s*<td>Иванов Пётр</td>', page.text)
    # the form offers the department's teachers and course units by name (from its teaching load)
    assert '<option value="t1">Әбілқасымова Гүлнұр</option>' in page.text
    assert 'value="cu-2"' in page.text and "Гистология" in page.text
    assert ("GET", "/api/v1/substitutions", None) in calls(browser)
    csrf = browser.cookies["ej_csrf"]
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    form = {
        "csrf": csrf,
        "request_id": request_id,
        "department_id": "dep-anat",
        "absent_teacher_id": "t1",
        "substitute_id": "t2",
        "course_unit_ids": ["cu-1", "cu-2"],
        "starts_on": "2026-12-03",
        "ends_on": "2026-12-10",
        "reason": "ауру",
        "protocol_number": "5",
        "protocol_date": "2026-12-02",
    }
    answer = browser.post("/department/substitutions", data=form, follow_redirects=False)
    assert answer.status_code == 303 and "done=appointed" in answer.headers["location"]
    body = sent(browser, "POST", "/api/v1/substitutions")[0]
    assert body["course_unit_ids"] == ["cu-1", "cu-2"] and body["request_id"] == request_id
    assert body["decision"] == {"protocol_number": "5", "protocol_date": "2026-12-02"}
    assert (body["absent_teacher_id"], body["substitute_id"], body["department_id"]) == (
        "t1",
        "t2",
        "dep-anat",
    )


def test_a_refused_appointment_names_the_field_in_the_persons_language_and_keeps_the_form() -> None:
    browser = signed_in("head")
    csrf = browser.cookies["ej_csrf"]
    form = {
        "csrf": csrf,
        "request_id": "r-1",
        "department_id": "dep-anat",
        "absent_teacher_id": "t1",
        "substitute_id": "t2",
        "course_unit_ids": ["cu-1"],
        "starts_on": "2026-12-03",
        "ends_on": "2026-12-10",
        "reason": "",
    }
    page = browser.post("/department/substitutions", data=form, headers={"accept-language": "kk"})
    assert page.status_code == 422 and "Себебі" in page.text  # "Reason" in Kazakh
    assert 'name="request_id" value="r-1"' in page.text  # the same request: one substitution at most
    assert '<option value="t1" selected>' in page.text


def test_a_substitution_is_ended_with_a_reason() -> None:
    browser = signed_in("head")
    page = browser.get("/department/substitutions").text
    assert 'action="/department/substitutions/sub-1/end"' in page
    csrf = browser.cookies["ej_csrf"]
    form = {"csrf": csrf, "department_id": "dep-anat", "reason": "оралды"}
    answer = browser.post("/department/substitutions/sub-1/end", data=form, follow_redirects=False)
    assert answer.status_code == 303 and "done=ended" in answer.headers["location"]
    assert sent(browser, "POST", "/api/v1/substitutions/sub-1/end") == [{"reason": "оралды"}]


def test_a_dean_reads_a_faculty_departments_substitutions_without_the_heads_actions() -> None:
    browser = signed_in("dean")
    page = browser.get("/department/substitutions", params={"department_id": "dep-phys"}).text
    assert '<option value="dep-phys" selected>Физиология кафедрасы</option>' in page
    assert "Иванов Пётр" in page
    assert 'method="post" action="/department/substitutions"' not in page and "/end" not in page  # the head's
    assert not [c for c in calls(browser) if c[1] == "/api/v1/teaching-loads"]
    # a department outside the dean's faculty is not offered: the first of theirs is shown instead
    other = browser.get("/department/substitutions", params={"department_id": "dep-elsewhere"}).text
    assert '<option value="dep-anat" selected>' in other


def test_the_teaching_load_names_teachers_units_and_groups_with_hours_per_teacher() -> None:
    browser = signed_in("dean")
    page = browser.get("/department/teaching-load", headers={"accept-language": "ru"})
    assert page.status_code == 200
    assert re.search(r"<th scope=\"row\">Әбілқасымова Гүлнұр</th><td>38</td>", page.text)
    assert re.search(
        r"<th scope=\"row\">Иванов Пётр</th><td>Анатомия</td>\s*<td>ЖМ-102</td><td>лекция</td>", page.text
    )
    asked = [c for c in calls(browser) if c[1] == "/api/v1/teaching-loads"]
    assert len(asked) == 1  # one call carries the names


def test_a_curator_list_shows_absences_and_parents_to_contact_for_a_faculty_group() -> None:
    browser = signed_in("curation")
    page = browser.get("/department/curators", params={"group_id": "g-1", "below_percent": "80"},
                       headers={"accept-language": "ky"})  # fmt: skip
    assert page.status_code == 200 and '<html lang="ky"' in page.text
    assert "Абаев Нұрлан" in page.text and "Абаева Сәуле (s.abayeva)" in page.text and "60.00 %" in page.text
    assert '<option value="g-1" selected>ЖМ-101</option>' in page.text


def test_heads_links_show_only_to_those_who_may_use_them() -> None:
    head = signed_in("head").get("/home").text
    assert 'href="/department/substitutions"' in head and 'href="/department/curators"' not in head
    curation = signed_in("curation").get("/home").text
    assert 'href="/department/curators"' in curation
    teacher = signed_in("teacher").get("/home").text
    assert 'href="/department/substitutions"' not in teacher and 'href="/teacher/cases"' in teacher


def test_a_teacher_lists_their_own_reopen_cases() -> None:
    browser = signed_in("teacher")
    page = browser.get("/teacher/cases", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert 'href="/teacher/cases/case-2"' in page.text and "open for correction" in page.text
    assert "waits for you" in page.text
    assert ("GET", "/api/v1/my/reopen-cases", None) in calls(browser)
    empty = signed_in("head").get("/teacher/cases", headers={"accept-language": "en"}).text
    assert "You have no reopen cases." in empty


def test_the_explanation_is_prefilled_from_the_journals_names() -> None:
    browser = signed_in("teacher")
    page = browser.get("/teacher/journals/j-1/sections/s1/explanation")
    assert page.status_code == 200
    assert 'name="group" value="ЖМ-101"' in page.text
    assert 'name="specialty" value="Жалпы медицина"' in page.text
    assert 'name="discipline" value="ANA-1 Анатомия"' in page.text


def test_a_deans_chart_by_department_names_the_departments() -> None:
    browser = signed_in("dean")
    page = browser.get("/oversight/filling").text
    assert '<th scope="row">Анатомия кафедрасы</th><td>7</td>' in page
    # a dean has no university-wide grant: their own university (from "who am I") names the units
    assert ("GET", "/api/v1/universities/u1/structure", None) in calls(browser)
