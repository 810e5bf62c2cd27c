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
from tests.e2e.portal.test_student_parent import api_as, last_open_lesson

pytestmark = pytest.mark.e2e


def test_a_dispute_shows_on_the_teachers_notices_page_and_is_marked_read(
    portal: str, browser: Browser
) -> None:
    student = "kz-101-11"
    journal, _ = last_open_lesson(portal, u.KZ_TEACHER1.login, u.KZ_G1.key)
    student_api, teacher_api = api_as(portal, student), api_as(portal, u.KZ_TEACHER1.login)
    sid = student_api.get("/api/v1/session/me").json()["person_id"]
    disputed = {
        d["column_id"]
        for d in student_api.get("/api/v1/disputes", params={"student_id": sid}).json()["disputes"]
    }
    grid = teacher_api.get(f"/api/v1/journals/{journal}/grid").json()
    closed = {s["section"] for s in grid["journal"]["sections"] if s["closed_at"]}
    lesson = next(
        c["column_id"]
        for c in reversed(grid["columns"])
        if c["kind"] == "lesson" and c["section"] not in closed and c["column_id"] not in disputed
    )
    cell = {"column_id": lesson, "student_id": sid, "value": "41"}
    wrote = teacher_api.post(f"/api/v1/journals/{journal}/marks", json={"cells": [cell]},
                             headers={"Idempotency-Key": f"portal-notices-{lesson}-{sid}"})  # fmt: skip
    assert wrote.status_code == 200, wrote.text
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
