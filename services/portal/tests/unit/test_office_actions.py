"""The registrar's calendar and the administrator's actions against a fake API: each form sends what
the API expects (with the form's CSRF echo), a refusal names the field in the person's language, and
a generated password is shown once on the answer page, never in an address."""

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


def sent(browser: TestClient, method: str, path: str) -> Any:
    calls = browser.app.state.calls  # type: ignore[attr-defined]
    return [body for m, p, body in calls if m == method and p == path]


def test_the_calendar_lists_a_terms_control_events_with_names_and_deadlines() -> None:
    browser = signed_in("registrar")
    page = browser.get("/registrar/calendar", params={"term_id": "term-1"}, headers={"accept-language": "ru"})
    assert page.status_code == 200
    assert "Анатомия" in page.text and "ЖМ-101" in page.text and "рубежный контроль" in page.text
    assert "2026-11-07 18:59" in page.text and "Перенести срок" in page.text


def test_moving_a_deadline_sends_the_seen_revision_the_zone_and_the_reason() -> None:
    browser = signed_in("registrar")
    form = {"term_id": "term-1", "deadline_kind": "DEADLINE_KIND_CLOSING", "new_deadline": "2026-11-10T18:00",
            "current": "2026-11-07T18:59:00+05:00", "revision": "4", "reason": "приказ № 5",
            "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    answer = browser.post("/registrar/calendar/ce-1/deadline", data=form, follow_redirects=False)
    assert answer.status_code == 303 and "moved=ce-1" in answer.headers["location"]
    assert sent(browser, "PUT", "/api/v1/control-events/ce-1/deadline") == [
        {"deadline_kind": "DEADLINE_KIND_CLOSING", "new_deadline": "2026-11-10T18:00:00+05:00",
         "reason": "приказ № 5", "expected_revision": 4}
    ]  # fmt: skip


def test_a_deadline_move_without_a_reason_is_refused_naming_it_in_kazakh() -> None:
    browser = signed_in("registrar")
    form = {"term_id": "term-1", "deadline_kind": "DEADLINE_KIND_CLOSING", "new_deadline": "2026-11-10T18:00",
            "revision": "4", "csrf": browser.cookies["ej_csrf"]}  # fmt: skip
    page = browser.post("/registrar/calendar/ce-1/deadline", data=form, headers={"accept-language": "kk"})
    assert page.status_code == 422 and "Тексеріңіз: Себебі." in page.text
    assert 'action="/registrar/calendar/ce-1/deadline"' in page.text  # the form is shown again


def test_approving_a_login_request_shows_the_first_password_once_on_the_page() -> None:
    browser = signed_in("admin")
    form = {"decision": "approve", "login": "a.seitkali", "csrf": browser.cookies["ej_csrf"]}
    page = browser.post("/admin/login-requests/lr-1/decision", data=form, follow_redirects=False)
    assert page.status_code == 200 and "Tq7-once-only" in page.text and "a.seitkali" in page.text
    assert sent(browser, "POST", "/api/v1/login-requests/lr-1/decision") == [
        {"approve": True, "login": "a.seitkali", "reason": ""}
    ]
    assert "Tq7-once-only" not in browser.get("/admin/people").text


def test_granting_and_revoking_a_role_go_to_the_api_with_scope_and_reason() -> None:
    browser = signed_in("admin")
    shown = browser.get("/admin/people", params={"person_id": "p-9"}, headers={"accept-language": "en"}).text
    assert 'action="/admin/roles/as-1/revocation"' in shown and 'action="/admin/people/p-9/roles"' in shown
    # roles and scopes are chosen from lists, by name: no raw codes or ids to type
    assert '<option value="curator">curator</option>' in shown
    assert '<option value="group|g-1">ЖМ-101</option>' in shown
    assert '<option value="department|dep-anat">Анатомия кафедрасы</option>' in shown
    assert '<option value="faculty|fac-med">Медицина факультеті</option>' in shown
    assert 'name="scope_id"' not in shown
    # a grant already held is shown by the scope's name
    assert "<td>Анатомия кафедрасы</td>" in shown
    csrf = browser.cookies["ej_csrf"]
    grant = {"role": "curator", "scope": "group|g-1", "csrf": csrf}
    answer = browser.post("/admin/people/p-9/roles", data=grant, follow_redirects=False)
    assert answer.status_code == 303 and "done=granted" in answer.headers["location"]
    body = sent(browser, "POST", "/api/v1/people/p-9/roles")[0]
    assert (body["role"], body["scope_type"], body["scope_id"]) == ("curator", "group", "g-1")
    # a parent's scope is their child: the student's person id
    parent = {"role": "parent", "scope": "student|", "student_id": "st-1", "csrf": csrf}
    browser.post("/admin/people/p-9/roles", data=parent, follow_redirects=False)
    body = sent(browser, "POST", "/api/v1/people/p-9/roles")[1]
    assert (body["role"], body["scope_type"], body["scope_id"]) == ("parent", "student", "st-1")
    ru = browser.get("/admin/people", params={"person_id": "p-9"}, headers={"accept-language": "ru"}).text
    assert '<option value="department_head">заведующий кафедрой</option>' in ru
    refused = browser.post("/admin/roles/as-1/revocation", data={"person_id": "p-9", "csrf": csrf},
                           headers={"accept-language": "en"})  # fmt: skip
    assert refused.status_code == 422 and "Please check: Reason." in refused.text


def test_new_credentials_and_a_rotated_qr_secret() -> None:
    browser = signed_in("admin")
    csrf = browser.cookies["ej_csrf"]
    page = browser.post("/admin/people/p-9/credentials", data={"csrf": csrf})
    assert page.status_code == 200 and "Zx9-once-only" in page.text
    answer = browser.post("/admin/classrooms/r1/secret", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and "done=rotated" in answer.headers["location"]
    assert sent(browser, "POST", "/api/v1/classrooms/r1/secret/rotation") == [{}]


def test_an_administrator_action_without_the_forms_csrf_is_refused() -> None:
    browser = signed_in("admin")
    forged = {"csrf": "forged"}
    page = browser.post("/admin/classrooms/r1/secret", data=forged, headers={"accept-language": "en"})
    assert page.status_code == 403 and "This action is not yours to take." in page.text


def test_an_import_posted_without_javascript_shows_the_result_and_each_rows_error() -> None:
    browser = signed_in("registrar")
    form = {
        "kind": "contingent",
        "academic_year": "y1",
        "reason": "тексеру",
        "csrf": browser.cookies["ej_csrf"],
    }
    file = {"file": ("contingent.csv", "Логин;Группа\nx;ЖМ-999\ny;ЖМ-999\n".encode(), "text/csv")}
    page = browser.post("/registrar/imports", data=form, files=file, headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Nothing applied: the file has errors (2)." in page.text
    assert page.text.count("ЖМ-999: жоқ топ") == 2 and 'id="import-errors" hidden' not in page.text
    sent_import = sent(browser, "POST", "/api/v1/imports")[0]
    assert (sent_import["kind"], sent_import["file_name"], sent_import["academic_year_id"]) == (
        "contingent",
        "contingent.csv",
        "y1",
    )
    assert sent_import["dry_run"] == "false" and sent_import["content"].endswith("y;ЖМ-999\n")


def test_a_sync_import_without_javascript_previews_the_counts_then_applies_when_confirmed() -> None:
    """Issue 22: a sync import is a dry run first; the page shows its counts and a form to apply them."""
    browser = signed_in("registrar")
    csrf = browser.cookies["ej_csrf"]
    form = {"kind": "contingent", "academic_year": "y1", "reason": "түзету", "sync": "on",
            "sync_order_number": "131-с", "sync_order_date": "2026-10-01", "csrf": csrf}  # fmt: skip
    file = {"file": ("contingent.csv", "Логин;Группа\nx;ЖМ-101\n".encode(), "text/csv")}
    page = browser.post("/registrar/imports", data=form, files=file, headers={"accept-language": "en"})
    assert page.status_code == 200
    asked = sent(browser, "POST", "/api/v1/imports")[-1]
    assert (asked["dry_run"], asked["sync"], asked["sync_order_number"], asked["sync_order_date"]) == (
        "true", "true", "131-с", "2026-10-01",
    )  # fmt: skip
    html = page.text
    assert (
        'id="import-preview"' in html
        and 'id="import-preview" class="card narrow" aria-labelledby="preview-title" hidden' not in html
    )
    assert "Preview: nothing is applied yet" in html and "Apply these changes" in html
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {"rows_added": "1", "rows_updated": "2", "rows_removed": "3", "removals_refused": "0"}
    confirm = html[html.index('id="import-confirm"') :]
    for name, value in (("kind", "contingent"), ("academic_year", "y1"), ("sync_order_number", "131-с"),
                        ("confirmed", "1"), ("sync", "on")):  # fmt: skip
        assert f'name="{name}" value="{value}"' in confirm
    assert '<option value="contingent" selected>' in html and 'value="131-с"' in html  # the form is kept
    applied = browser.post(
        "/registrar/imports", data={**form, "confirmed": "1"}, files=file, headers={"accept-language": "ru"}
    )
    assert sent(browser, "POST", "/api/v1/imports")[-1]["dry_run"] == "false"
    assert (
        "Применено" in applied.text
        and 'id="import-preview" class="card narrow" aria-labelledby="preview-title" hidden' in applied.text
    )
    assert "Удалено" in applied.text and "Добавлено" in applied.text  # the counts, in the reader's language


def test_the_people_search_follows_the_next_page_token() -> None:
    """Issue 22: FindPeople pages; the administrator's search offers the next page."""
    browser = signed_in("admin")
    first = browser.get("/admin/people", params={"q": "ай"}, headers={"accept-language": "en"}).text
    assert (
        "a.seitkali" in first
        and 'href="/admin/people?q=%D0%B0%D0%B9&amp;page_token=page-2" rel="next"' in first
    )
    second = browser.get(
        "/admin/people", params={"q": "ай", "page_token": "page-2"}, headers={"accept-language": "en"}
    ).text
    assert (
        "a.seitov" in second
        and "a.seitkali" not in second
        and 'rel="next"' not in second.split("found-people")[1]
    )


def test_an_administrator_finds_a_person_by_name_and_suspends_the_account_with_a_reason() -> None:
    browser = signed_in("admin")
    found = browser.get("/admin/people", params={"q": "Сейіт"}, headers={"accept-language": "en"}).text
    assert '<a href="/admin/people?person_id=p-9">Сейітқали Айгерім </a>' in found and "a.seitkali" in found
    assert ("GET", "/api/v1/people", None) in browser.app.state.calls  # type: ignore[attr-defined]
    nobody = browser.get("/admin/people", params={"q": "zz"}, headers={"accept-language": "en"}).text
    assert "Nobody among those you manage." in nobody
    csrf = browser.cookies["ej_csrf"]
    suspend = {"status": "ACCOUNT_STATUS_SUSPENDED", "csrf": csrf}
    refused = browser.post("/admin/people/p-9/status", data=suspend, headers={"accept-language": "ru"})
    assert refused.status_code == 422 and "Проверьте: Причина." in refused.text
    with_reason = {**suspend, "reason": "демалыс"}
    done = browser.post("/admin/people/p-9/status", data=with_reason, follow_redirects=False)
    assert done.status_code == 303 and "done=status" in done.headers["location"]
    assert sent(browser, "PUT", "/api/v1/people/p-9/status")[-1] == {
        "status": "ACCOUNT_STATUS_SUSPENDED",
        "reason": "демалыс",
    }
