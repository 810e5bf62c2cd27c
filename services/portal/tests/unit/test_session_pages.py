"""Sign-in, lockout, language and the password form against a fake API (the real one is in the
browser tests, tests/e2e/portal)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from services.portal.tests.unit.fake_api import fake_gateway

pytestmark = pytest.mark.unit


def client(**options: int | bool) -> TestClient:
    # https: the session cookies are Secure, as in production
    return TestClient(fake_gateway(**options), base_url="https://portal.test")  # type: ignore[arg-type]


def test_the_root_is_the_sign_in_page_in_the_browsers_language() -> None:
    page = client().get("/", headers={"accept-language": "kk-KZ,kk;q=0.9,ru;q=0.8"})
    assert page.status_code == 200
    assert '<html lang="kk">' in page.text
    assert "Кіру" in page.text and 'href="#main"' in page.text


def test_signing_in_sets_the_session_and_opens_the_page_asked_for() -> None:
    browser = client()
    answer = browser.post("/sign-in", data={"login": "teacher", "password": "right", "next": "/account"},
                          follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    assert "ej_access" in browser.cookies
    page = browser.get("/account", headers={"accept-language": "en"})
    assert "Change password" in page.text


def test_a_wrong_password_and_a_lockout_are_told_apart() -> None:
    wrong = client().post(
        "/sign-in", data={"login": "teacher", "password": "wrong"}, headers={"accept-language": "en"}
    )
    assert wrong.status_code == 401 and "The login or password is not right." in wrong.text
    locked = client(locked_seconds=290).post("/sign-in", data={"login": "teacher", "password": "x"},
                                             headers={"accept-language": "ru"})  # fmt: skip
    assert "вход заблокирован" in locked.text and "5 мин" in locked.text


def test_a_next_that_leaves_the_site_is_ignored() -> None:
    form = {"login": "teacher", "password": "right", "next": "//evil.example/x"}
    answer = client().post("/sign-in", data=form, follow_redirects=False)
    assert answer.headers["location"] == "/home"


def test_a_page_without_a_session_returns_to_itself_after_sign_in() -> None:
    answer = client().get("/account", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/?next=/account"


def test_the_chosen_language_wins_over_the_browsers() -> None:
    browser = client()
    browser.post("/language", data={"language": "ky", "back": "/"})
    page = browser.get("/", headers={"accept-language": "en"})
    assert '<html lang="ky">' in page.text and "Кирүү" in page.text


@pytest.mark.rule("KG-03")
def test_kg_users_are_offered_no_password_form_and_its_post_is_refused() -> None:
    browser = client()
    browser.post("/sign-in", data={"login": "kgteacher", "password": "right"})
    page = browser.get("/account", headers={"accept-language": "en"})
    assert 'action="/account/password"' not in page.text and "do not let users change" in page.text
    csrf = browser.cookies["ej_csrf"]
    form = {"current_password": "a", "new_password": "b", "repeat_password": "b", "csrf": csrf}
    assert browser.post("/account/password", data=form).status_code == 403
    assert browser.app.state.seen["password_changes"] == []  # type: ignore[attr-defined]


def test_a_kz_user_changes_the_password_with_the_forms_csrf_echo() -> None:
    browser = client()
    browser.post("/sign-in", data={"login": "teacher", "password": "right"})
    csrf = browser.cookies["ej_csrf"]
    form = {
        "current_password": "right",
        "new_password": "N3w-pass",
        "repeat_password": "N3w-pass",
        "csrf": csrf,
    }
    assert browser.post("/account/password", data=form).url.path == "/account"
    forged = {**form, "csrf": "forged"}
    assert browser.post("/account/password", data=forged).status_code == 422
    assert len(browser.app.state.seen["password_changes"]) == 1  # type: ignore[attr-defined]


def test_navigation_offers_only_the_persons_pages_that_exist() -> None:
    browser = client()
    browser.post("/sign-in", data={"login": "student", "password": "right"})
    nav = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', browser.get("/home").text, re.S)
    assert nav is not None
    assert 'href="/account"' in nav.group(1) and "/teacher/" not in nav.group(1)


def test_an_unavailable_api_is_a_503_page_with_retry_after() -> None:
    page = client(unavailable=True).post("/sign-in", data={"login": "teacher", "password": "x"})
    assert page.status_code == 503 and page.headers["retry-after"] == "7"
