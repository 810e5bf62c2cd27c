"""My contacts and notice preferences in a real browser (issue 17): the teacher's own record shown in
their language, edited with the keyboard and saved through the API, a wrong e-mail refused beside its
field in the person's language; axe on each state. The record is put back as it was afterwards (other
tests send this teacher mail)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from deploy.demo import university as u
from tests.e2e.portal.browser import person
from tests.e2e.portal.test_student_parent import api_as

pytestmark = pytest.mark.e2e


def test_a_teacher_edits_their_contacts_with_the_keyboard(portal: str, browser: Browser) -> None:
    api = api_as(portal, u.KZ_TEACHER2.login)
    me = api.get("/api/v1/session/me").json()["person_id"]
    before = api.get(f"/api/v1/people/{me}/contacts").json()["contacts"]
    hour = (int(before.get("digest_hour", 0)) + 1) % 24
    teacher = person(browser, portal, "contacts-teacher", language="kk")
    teacher.sign_in(u.KZ_TEACHER2.login)
    try:
        page = teacher.visit("/account/contacts")
        expect(page.locator("h1")).to_have_text("Байланыстар және хабарламалар")
        expect(page.locator("#pref_deadline option[value=off]")).to_have_count(0)  # legal: never off
        page.locator("#digest_hour").select_option(str(hour))
        page.get_by_role("button", name="Сақтау").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_be_visible()
        teacher.check("contacts saved")
        after = api.get(f"/api/v1/people/{me}/contacts").json()["contacts"]
        assert int(after.get("digest_hour", 0)) == hour

        page.locator("#email").fill("teacher@localhost")  # the browser accepts it; identity does not
        page.locator("#email").press("Enter")
        expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#email-error")).to_be_visible()
        teacher.check("contacts refused")
    finally:
        current = api.get(f"/api/v1/people/{me}/contacts").json()["contacts"]
        restore = {k: before.get(k, "") for k in ("email", "phone", "language", "timezone")}
        restore |= {k: int(before.get(k, 0)) for k in ("quiet_from_hour", "quiet_to_hour", "digest_hour")}
        restore |= {"preferences": before.get("preferences", []), "expected_version": int(current["version"])}
        put = api.put(f"/api/v1/people/{me}/contacts", json=restore)
        assert put.status_code == 200, put.text
    teacher.assert_no_errors()
