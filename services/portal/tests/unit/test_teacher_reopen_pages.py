"""The teacher's side of a reopen case (KZ-13) against a fake API: a closed section offers the
explanation, whose form keeps one request id (a form sent twice opens one case); the case page shows
its step and deadline translated and, while the section is open for the teacher, corrects a mark with
its reason under an Idempotency-Key and submits the correction. Someone else's case is not found."""

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


def sent(browser: TestClient, method: str, path: str) -> list[Any]:
    calls = browser.app.state.calls  # type: ignore[attr-defined]
    return [body for m, p, body in calls if m == method and p == path]


EXPLAIN = "/teacher/journals/j-1/sections/s1/explanation"


@pytest.mark.rule("KZ-13")
def test_a_closed_section_offers_the_explanation_and_its_form_opens_one_case() -> None:
    browser = signed_in("teacher")
    grid = browser.get("/teacher/journals/j-1", headers={"accept-language": "ru"}).text
    assert f'href="{EXPLAIN}"' in grid and 'href="/teacher/cases/case-2"' in grid
    form_page = browser.get(EXPLAIN, headers={"accept-language": "ru"}).text
    request_id = re.search(r'name="request_id" value="([0-9a-f-]{36})"', form_page)
    assert request_id and 'value="ANA-1 Анатомия"' in form_page  # the journal's names, prefilled
    assert 'name="course" value="1"' in form_page  # the course too: the teacher types only the reason
    form = {"request_id": request_id[1], "discipline": "Анатомия", "lesson_types": "practical", "course": "1",
            "group": "ЖМ-101", "specialty": "6B10101", "wrong_date": "2026-11-03",
            "reason": "Бағаны қате бағанға қойдым", "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    answer = browser.post(EXPLAIN, data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("/teacher/cases/case-2")
    body = sent(browser, "POST", "/api/v1/reopen-cases")[0]
    assert body["request_id"] == request_id[1] and body["section"] == "s1"
    assert body["explanation"]["course"] == 1 and body["explanation"]["lesson_types"] == ["practical"]


def test_an_explanation_without_a_reason_is_refused_in_kyrgyz_keeping_what_was_typed() -> None:
    browser = signed_in("teacher")
    form = {"request_id": "11111111-1111-1111-1111-111111111111", "discipline": "Анатомия", "group": "ЖМ-101",
            "reason": "", "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    page = browser.post(EXPLAIN, data=form, headers={"accept-language": "ky"})
    assert page.status_code == 422 and "Текшериңиз: Себеби." in page.text
    assert 'value="11111111-1111-1111-1111-111111111111"' in page.text and 'value="ЖМ-101"' in page.text


def test_an_open_section_has_no_explanation_form() -> None:
    page = signed_in("teacher").get("/teacher/journals/j-1/sections/s9/explanation")
    assert page.status_code == 404


@pytest.mark.rule("KZ-13")
def test_the_case_shows_step_and_deadline_and_corrects_a_mark_with_its_reason() -> None:
    browser = signed_in("teacher")
    page = browser.get("/teacher/cases/case-2", headers={"accept-language": "kk"}).text
    assert "түзету үшін ашық" in page and "2026-12-04 18:59" in page  # step and deadline, in Kazakh
    assert "қайта ашылды" in page  # the history's actions translated
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)
    assert key and 'value="col-2|st-1"' in page and "Абаев Нұрлан" in page
    assert 'value="col-1|st-1"' not in page  # only the reopened section's columns
    csrf = browser.cookies["ej_csrf"]
    form = {"journal_id": "j-1", "cell": "col-2|st-1", "value": "54", "reason": "KZ-13",
            "idempotency_key": key[1], "csrf": csrf}  # fmt: skip
    answer = browser.post("/teacher/cases/case-2/marks", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=mark")
    assert sent(browser, "POST", "/api/v1/journals/j-1/marks") == [
        {"cells": [{"column_id": "col-2", "student_id": "st-1", "value": "54"}], "reason": "KZ-13"}
    ]
    done = browser.post("/teacher/cases/case-2/correction", data={"note": "түзетілді", "csrf": csrf},
                        follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and sent(browser, "POST", "/api/v1/reopen-cases/case-2/correction") == [
        {"note": "түзетілді"}
    ]


def test_a_mark_corrected_without_a_reason_is_refused_naming_it() -> None:
    browser = signed_in("teacher")
    form = {"journal_id": "j-1", "cell": "col-2|st-1", "value": "54", "idempotency_key": "k-1",
            "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    page = browser.post("/teacher/cases/case-2/marks", data=form, headers={"accept-language": "en"})
    assert page.status_code == 422 and "Please check: Reason." in page.text


def test_someone_elses_case_is_the_same_not_found_as_an_absent_one() -> None:
    head = signed_in("head")  # may read the case, but it is not their own to correct
    assert head.get("/teacher/cases/case-2").status_code == 404
    assert signed_in("teacher").get("/teacher/cases/nope").status_code == 404


def test_a_column_saves_without_javascript_only_the_changed_cells_keyed_with_their_versions() -> None:
    browser = signed_in("teacher")
    page = browser.get("/teacher/journals/j-1/columns/col-2", headers={"accept-language": "en"}).text
    assert 'value="45"' in page and "Абаев Нұрлан" in page and 'name="reason"' in page  # reopened: a reason
    key = re.search(r'name="key" value="([0-9a-f-]{36})"', page)
    assert key
    form = {"value.st-1": "54", "was.st-1": "45", "version.st-1": "2", "key": key[1], "reason": "KZ-13",
            "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    answer = browser.post("/teacher/journals/j-1/columns/col-2", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?saved=true")
    assert sent(browser, "POST", "/api/v1/journals/j-1/marks") == [
        {"cells": [{"column_id": "col-2", "student_id": "st-1", "value": "54", "expected_version": 2}],
         "reason": "KZ-13"}
    ]  # fmt: skip
    unchanged = {**form, "value.st-1": "45"}
    browser.post("/teacher/journals/j-1/columns/col-2", data=unchanged, follow_redirects=False)
    assert len(sent(browser, "POST", "/api/v1/journals/j-1/marks")) == 1  # nothing changed: no call
