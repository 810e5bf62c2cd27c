"""My notices (issue 17) against a fake API: read and unread listed in the reader's language, one or all
marked read through the API with the form's CSRF echo, a forged form refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.portal.tests.unit.fake_api import fake_gateway

pytestmark = pytest.mark.unit


def signed_in(login: str = "teacher") -> TestClient:
    browser = TestClient(fake_gateway(), base_url="https://portal.test")
    browser.post("/sign-in", data={"login": login, "password": "right"})
    return browser


def test_my_notices_read_and_unread_in_my_language() -> None:
    page = signed_in().get("/notices", headers={"accept-language": "kk"})
    assert page.status_code == 200
    text = page.text
    assert "Студент бағаға дау айтады" in text and "Журнал бөлімі жабылды" in text
    assert text.count('class="card unread"') == 1  # the read one is listed too, not marked unread
    assert "2 желтоқсан 2026, 07:00 UTC" in text  # when, in the reader's language
    assert "Мерзімі: 4 желтоқсан 2026, 12:00" in text  # the text as the notifier rendered it
    assert 'name="notice_ids" value="n2"' in text and 'name="notice_ids" value="n1"' not in text
    assert 'href="/notices"' in text  # every signed-in person has the link


def test_marking_read_goes_to_the_api_with_the_forms_csrf() -> None:
    browser = signed_in("student")
    form = {"notice_ids": ["n2"], "csrf": browser.cookies["ej_csrf"]}
    answer = browser.post("/notices/read", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/notices?marked=1"
    assert browser.app.state.seen["notices_read"] == [["n2"]]  # type: ignore[attr-defined]
    shown = browser.get("/notices?marked=1", headers={"accept-language": "ru"}).text
    assert 'role="status"' in shown


def test_a_forged_form_marks_nothing() -> None:
    browser = signed_in()
    answer = browser.post("/notices/read", data={"notice_ids": ["n2"], "csrf": "forged"})
    assert answer.status_code == 403
    assert browser.app.state.seen["notices_read"] == []  # type: ignore[attr-defined]


def test_signed_out_the_page_asks_to_sign_in_and_comes_back() -> None:
    answer = TestClient(fake_gateway(), base_url="https://portal.test").get(
        "/notices", follow_redirects=False
    )
    assert answer.status_code in (302, 303) and "next=/notices" in answer.headers["location"]


def test_a_long_list_is_shown_a_page_at_a_time_with_the_next_page_link() -> None:
    """The portal follows the API's next_page_token (issue 22's pagination): a "Next page" link under
    the list asks for the following page; on it, "First page" returns to the start."""
    browser = signed_in()
    browser.app.state.notices_page_size = 1  # type: ignore[attr-defined]
    first = browser.get("/notices", headers={"accept-language": "en"}).text
    assert first.count('class="card') == 1
    assert 'href="/notices?page_token=1" rel="next">Next page' in first and "First page" not in first
    second = browser.get("/notices?page_token=1&marked=1", headers={"accept-language": "en"}).text
    assert second.count('class="card') == 1 and 'href="/notices">First page' in second
    assert "Next page" not in second  # the last page
    asked = browser.app.state.seen["notices_pages"]  # type: ignore[attr-defined]
    assert [a.get("page_token") for a in asked] == [None, "1"]
