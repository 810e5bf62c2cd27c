"""My notices in a real browser (issue 17): a student's dispute reaches the teacher's notices page in
the teacher's language, unread; marked read there, it stays listed as read. Screenshots and axe on
each state."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import Browser, expect

from deploy.demo import university as u
from tests.e2e.portal.browser import person
from tests.e2e.portal.test_student_parent import api_as, last_open_lesson, mark_an_undisputed_lesson

pytestmark = pytest.mark.e2e


def test_a_dispute_shows_on_the_teachers_notices_page_and_is_marked_read(
    portal: str, browser: Browser
) -> None:
    student = "kz-101-11"
    journal, _ = last_open_lesson(portal, u.KZ_TEACHER1.login, u.KZ_G1.key)
    student_api, teacher_api = api_as(portal, student), api_as(portal, u.KZ_TEACHER1.login)
    lesson = mark_an_undisputed_lesson(teacher_api, student_api, journal, "41", "portal-notices")
    before = teacher_api.get("/api/v1/my/notices").json().get("unread", 0)
    dispute = {"column_id": lesson, "message": "41?", "idempotency_key": str(uuid.uuid4())}
    opened = student_api.post(f"/api/v1/journals/{journal}/disputes", json=dispute)
    assert opened.status_code in (200, 201), opened.text
    for _ in range(120):  # until the notifier has made the teacher's notice (events are asynchronous)
        if teacher_api.get("/api/v1/my/notices").json().get("unread", 0) > before:
            break
        time.sleep(0.5)

    teacher = person(browser, portal, "notices-teacher", language="kk")
    teacher.sign_in(u.KZ_TEACHER1.login)
    page = teacher.visit("/notices")
    unread = page.locator("li.card.unread", has_text="Студент бағаға дау айтады").first
    expect(unread).to_be_visible()
    expect(unread).to_contain_text("41")
    teacher.check("notices unread")
    unread.get_by_role("button").click()
    expect(page.get_by_role("status")).to_be_visible()
    teacher.check("notices marked read")
    assert teacher_api.get("/api/v1/my/notices").json().get("unread", 0) <= before
    teacher.assert_no_errors()
