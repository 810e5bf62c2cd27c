"""My contacts and notice preferences (issue 17) against a fake API: my own record shown in my language,
saved through the API with the form's CSRF echo and the record's version, legal notices offered no
"off", a refusal naming the field in my language, and a one-time Telegram code."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from services.portal.tests.unit.fake_api import fake_gateway

pytestmark = pytest.mark.unit


def signed_in(login: str = "teacher") -> TestClient:
    browser = TestClient(fake_gateway(), base_url="https://portal.test")
    browser.post("/sign-in", data={"login": login, "password": "right"})
    return browser


def options(text: str, name: str) -> list[str]:
    select = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', text, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]+)"', select.group(1))


def test_my_contacts_in_my_language_with_legal_notices_that_cannot_be_turned_off() -> None:
    page = signed_in().get("/account/contacts", headers={"accept-language": "kk"})
    assert page.status_code == 200
    assert 'value="t@example.kz"' in page.text and 'name="version" value="3"' in page.text
    assert "<h1>Байланыстар және хабарламалар</h1>" in page.text
    assert options(page.text, "pref_deadline") == ["immediate", "daily_digest"]  # no "off"
    assert options(page.text, "pref_dispute") == ["immediate", "daily_digest", "off"]
    assert re.search(r'<option value="daily_digest" selected>', page.text)  # the dispute's choice
    assert '<label for="pref_dispute">' in page.text  # every control labelled (keyboard, screen readers)
    assert 'href="/account/contacts"' in signed_in().get("/account").text


def test_saving_sends_my_choices_with_the_version_and_a_refusal_names_the_field() -> None:
    browser = signed_in()
    form = {"csrf": browser.cookies["ej_csrf"], "version": "3", "email": "t2@example.kz", "phone": "",
            "language": "ky", "timezone": "Asia/Bishkek", "quiet_from_hour": "22", "quiet_to_hour": "7",
            "digest_hour": "19", "pref_dispute": "off"}  # fmt: skip
    saved = browser.post("/account/contacts", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/account/contacts?saved=1"
    person, body = browser.app.state.seen["contacts_updates"][0]  # type: ignore[attr-defined]
    assert person == "p-teacher" and body["expected_version"] == 3 and body["quiet_from_hour"] == 22
    assert {"category": "dispute", "delivery": "off"} in body["preferences"]
    refused = browser.post("/account/contacts", data={**form, "email": "nowhere"},
                           headers={"accept-language": "kk"})  # fmt: skip
    assert refused.status_code == 422
    assert '<p class="error" id="email-error">электрондық пошта мекенжайы қате</p>' in refused.text
    assert 'aria-invalid="true" aria-describedby="email-error"' in refused.text
    assert 'value="nowhere"' in refused.text  # what was typed stays
    forged = browser.post("/account/contacts", data={**form, "csrf": "forged"})
    assert forged.status_code == 403


def test_a_telegram_code_is_given_to_send_to_the_bot() -> None:
    browser = signed_in()
    page = browser.post("/account/contacts/telegram", data={"csrf": browser.cookies["ej_csrf"]},
                        headers={"accept-language": "ru"})  # fmt: skip
    assert page.status_code == 200 and "/start 482913" in page.text
