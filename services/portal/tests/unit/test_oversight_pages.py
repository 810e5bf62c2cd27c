"""The oversight and office pages against a fake API: each asks for the person's own scope, offers only
the action the workflow waits for from them, shows charts with their figures, and passes the form's
CSRF echo on to the API."""

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


def test_a_department_heads_filling_is_asked_for_their_department_by_teacher() -> None:
    browser = signed_in("head")
    page = browser.get("/oversight/filling", headers={"accept-language": "en"})
    assert page.status_code == 200
    body = next(b for m, p, b in calls(browser) if p == "/api/v1/reports/filling")
    assert body["scope"] == {"department_id": "dep-anat"} and body["group_by"] == "GROUP_BY_TEACHER"
    assert '<svg class="chart" role="img"' in page.text
    # the figures are in a table beside the chart, names exactly as stored
    assert re.search(r'<th scope="row">Әбілқасымова Гүлнұр</th><td>10</td><td>90.0 %</td>', page.text)


def test_a_deans_figures_are_of_their_faculty_by_department() -> None:
    browser = signed_in("dean")
    browser.get("/oversight/filling")
    body = next(b for m, p, b in calls(browser) if p == "/api/v1/reports/filling")
    assert body["scope"] == {"faculty_id": "fac-med"} and body["group_by"] == "GROUP_BY_DEPARTMENT"


def test_the_dashboard_is_a_503_page_while_reports_are_unavailable() -> None:
    page = signed_in("vicerector").get("/dashboard")
    assert page.status_code == 503 and page.headers["retry-after"] == "3"


def test_the_chart_bar_lengths_follow_the_figures() -> None:
    page = signed_in("registrar").get("/oversight/filling").text
    widths = [int(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', page)]
    assert widths == [324, 90]  # 90 % and 25 % of a 360-wide bar


def test_a_task_shows_its_deadline_and_opens_the_case_with_its_history() -> None:
    browser = signed_in("head")
    listed = browser.get("/tasks", headers={"accept-language": "ru"}).text
    assert "Виза заведующего кафедрой" in listed and "просрочено" in listed
    case = browser.get("/tasks/cases/case-1", headers={"accept-language": "en"}).text
    assert "Бағаны қате бағанға қойдым" in case and "explained" in case
    assert 'action="/tasks/cases/case-1/visa"' in case and 'value="department_head"' in case
    assert "/council" not in case and "/reopening" not in case


def test_a_case_without_a_task_of_mine_offers_no_action() -> None:
    page = signed_in("dean").get("/tasks/cases/case-1").text
    assert '<form method="post" action="/tasks/cases' not in page


def test_a_case_not_visible_is_the_same_not_found_as_an_absent_one() -> None:
    browser = signed_in("teacher")
    assert browser.get("/tasks/cases/case-1").status_code == 404
    assert browser.get("/tasks/cases/nope").status_code == 404


def test_a_visa_goes_to_the_api_with_the_role_and_the_forms_csrf() -> None:
    browser = signed_in("head")
    form = {"role": "department_head", "decision": "approve", "csrf": browser.cookies["ej_csrf"]}
    answer = browser.post("/tasks/cases/case-1/visa", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/tasks?done=case-1"
    sent = [b for m, p, b in calls(browser) if p == "/api/v1/reopen-cases/case-1/visas"]
    assert sent == [{"role": "department_head", "approve": True, "comment": ""}]


def test_a_refusal_without_comment_names_the_field_in_the_users_language() -> None:
    browser = signed_in("head")
    form = {"role": "department_head", "decision": "refuse", "csrf": browser.cookies["ej_csrf"]}
    page = browser.post("/tasks/cases/case-1/visa", data=form, headers={"accept-language": "kk"})
    assert page.status_code == 422 and 'role="alert"' in page.text
    assert "Толтырыңыз: Түсініктеме." in page.text


def test_a_forged_csrf_is_refused_by_the_api() -> None:
    browser = signed_in("registrar")
    page = browser.post("/tasks/sanctions/prop-7", data={"reference": "№ 12", "csrf": "forged"})
    assert page.status_code == 403


def test_the_registrar_confirms_the_ladders_proposal_with_an_order() -> None:
    browser = signed_in("registrar")
    assert 'action="/tasks/sanctions/prop-7"' in browser.get("/tasks").text
    form = {"reference": "бұйрық № 12-к", "csrf": browser.cookies["ej_csrf"]}
    assert browser.post("/tasks/sanctions/prop-7", data=form).url.path == "/tasks"
    sent = [b for m, p, b in calls(browser) if p == "/api/v1/sanctions/prop-7/confirmation"]
    assert sent == [{"reference": "бұйрық № 12-к"}]


def test_a_statement_downloads_as_the_document_reporting_rendered() -> None:
    browser = signed_in("registrar")
    listed = browser.get("/registrar/statements", params={"journal_id": "j1"}).text
    assert 'href="/registrar/statements/st-9.pdf"' in listed
    document = browser.get("/registrar/statements/st-9.pdf")
    assert document.content == b"%PDF-1.7 statement" and document.headers["content-type"] == "application/pdf"
    sent = [b for m, p, b in calls(browser) if p == "/api/v1/documents"]
    assert sent == [{"format": "DOCUMENT_FORMAT_PDF", "statement": {"statement_id": "st-9"}}]


def test_the_navigation_offers_the_office_pages_to_the_registrar_only() -> None:
    registrar = signed_in("registrar").get("/home").text
    head = signed_in("head").get("/home").text
    for path in ("/registrar/reports", "/registrar/imports"):
        assert f'href="{path}"' in registrar and f'href="{path}"' not in head
    for path in ("/tasks", "/oversight/filling", "/registrar/statements"):
        assert f'href="{path}"' in head


def test_the_import_page_carries_the_csrf_and_the_translated_stages() -> None:
    browser = signed_in("registrar")
    page = browser.get("/registrar/imports", headers={"accept-language": "ru"}).text
    assert f'data-csrf="{browser.cookies["ej_csrf"]}"' in page and "/static/js/imports.mjs" in page
    assert "<progress" in page and 'value="teaching_load"' in page


def test_the_administrator_sees_login_requests_classrooms_and_no_unknown_person() -> None:
    browser = signed_in("admin")
    page = browser.get("/admin/people", params={"person_id": "nobody"}, headers={"accept-language": "en"})
    assert page.status_code == 200 and 'href="/admin/people"' in page.text
    assert "Сейітқали Айгерім" in page.text and '<th scope="row">204</th>' in page.text
    assert "No such person among those you may see." in page.text


@pytest.mark.rule("KG-08")
def test_the_weekly_checks_findings_are_said_in_the_readers_language() -> None:
    browser = signed_in("head")
    kazakh = browser.get("/checks", headers={"accept-language": "kk"})
    assert kazakh.status_code == 200
    assert "<li>бағасыз сабақтар: 4 ішінен 1</li>" in kazakh.text
    assert "<li>қатысу белгіленбеген</li>" in kazakh.text
    assert "lessons without marks" not in kazakh.text and "no attendance recorded" not in kazakh.text
    # a check recorded before keyed findings were kept shows its English, the only text it has
    assert "<li>2 of 8 cells empty</li>" in kazakh.text
    assert 'href="/checks?page_token=t2"' in kazakh.text
    russian = browser.get("/checks", headers={"accept-language": "ru"})
    assert "<li>занятий без отметок: 1 из 4</li>" in russian.text
