"""Offline attendance and the worker's versions (issue 21) in Debian's Chromium against the whole
stack: a lesson's attendance marked with no network survives a reload and a browser restart and
reaches the server once, with the time of marking in the history; a status changed on the server
meanwhile is held with both values and who set it; a section closed meanwhile is refused with a link
to the explanation that starts a reopen; a deploy never serves a page the previous deploy's scripts,
and the previous deploy's cache is deleted."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from deploy.demo.semester.harness import Api
from tests.e2e.offline.conftest import TEACHER, Browser
from tests.e2e.offline.test_offline_entry import (
    READY,
    Column,
    kept,
    look,
    offline,
    online,
    open_grid,
    open_journals,
    outbox_counts,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
STATUSES = ("present", "absent", "late", "excused")


@dataclass
class Lesson:
    journal_id: str
    lesson_id: str
    section: str
    students: list[str]

    @property
    def path(self) -> str:
        return f"/teacher/journals/{self.journal_id}/lessons/{self.lesson_id}"


def unmarked_lesson(api: Api, in_open_section: bool = False) -> Lesson:
    """A lesson of the teacher's open journals with no attendance and no mark, in an open section."""
    for journal in api.call(TEACHER, "GET", "/api/v1/my/journals").json()["journals"]:
        if journal.get("locked_at"):
            continue
        grid = api.call(TEACHER, "GET", f"/api/v1/journals/{journal['journal_id']}/grid").json()
        sections = {s["section"]: s for s in journal.get("sections", [])}
        used = {c["column_id"] for c in grid.get("cells", []) + grid.get("attendance", [])}
        for column in grid["columns"]:
            section = sections.get(column.get("section", ""))
            if column["kind"] != "lesson" or column["column_id"] in used or column.get("cancelled"):
                continue
            if (section is not None and section.get("closed_at")) or (in_open_section and section is None):
                continue
            students = [s["student_id"] for s in grid["students"]]
            return Lesson(journal["journal_id"], column["column_id"], column.get("section", ""), students)
    raise AssertionError(f"{TEACHER.login} has no unmarked open lesson left")


def open_lesson(page: Page, base: str, lesson: Lesson) -> None:
    page.goto(base + lesson.path)
    expect(page.locator("#attendance")).to_have_attribute("data-ready", "true", timeout=READY)


def controlled(page: Page, base: str, lesson: Lesson) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        open_lesson(page, base, lesson)
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


def row_of(page: Page, student: str) -> Any:
    return page.locator(f"#attendance tr[data-student='{student}']")


def mark(page: Page, student: str, status: str) -> None:
    row_of(page, student).locator(f"input[type=radio][value='{status}']").check()


def shown(page: Page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('#attendance tr[data-student]')].map(
                tr => [tr.dataset.student, tr.querySelector('input[type=radio]:checked')?.value ?? '']))"""
        )
    )


def unsynced(page: Page) -> int:
    return int(page.locator("#attendance tr.dirty").count())


def server_attendance(api: Api, lesson: Lesson) -> dict[str, tuple[str, int]]:
    grid = api.call(TEACHER, "GET", f"/api/v1/journals/{lesson.journal_id}/grid").json()
    return {
        a["student_id"]: (a["status"], int(a["version"]))
        for a in grid.get("attendance", [])
        if a["column_id"] == lesson.lesson_id
    }


def history(api: Api, lesson: Lesson, student: str) -> list[dict[str, Any]]:
    path = f"/api/v1/journals/{lesson.journal_id}/cells/{lesson.lesson_id}/{student}/history"
    entries = api.call(TEACHER, "GET", path).json().get("entries", [])
    return [e for e in entries if e["kind"] == "attendance"]


@pytest.mark.rule("KZ-01")
def test_attendance_marked_offline_survives_reload_and_browser_restart_and_arrives_once(
    browser_profile: Browser,
    api: Api,
) -> None:
    lesson = unmarked_lesson(api)
    who = browser_profile.open("offline-attendance")
    who.sign_in(TEACHER.login)
    open_lesson(who.page, who.base, lesson)
    controlled(who.page, who.base, lesson)
    # The worker keeps the current term's open journals and the week's lesson pages for the teacher.
    kept(who.page, "/teacher/today")
    for journal in open_journals(api, TEACHER):
        kept(who.page, f"/teacher/journals/{journal}")
    statuses = {s: STATUSES[i % 4] for i, s in enumerate(lesson.students)}
    assert browser_profile.context is not None

    offline(browser_profile.context)
    for student, status in statuses.items():
        mark(who.page, student, status)
    who.page.locator("#attendance button[type=submit]").click()  # queued, not sent; the page stays
    expect(who.page.locator("#attendance-sync")).to_contain_text("Тармак жок")
    expect(who.page.locator("#attendance-sync")).to_have_attribute("data-waiting", "1")
    assert unsynced(who.page) == len(statuses)
    look(who, "attendance marked offline")

    who.page.reload()  # offline: the worker serves the page, the outbox the statuses
    expect(who.page.locator("#attendance")).to_have_attribute("data-ready", "true", timeout=READY)
    assert shown(who.page) == statuses
    assert unsynced(who.page) == len(statuses)

    browser_profile.close()
    who = browser_profile.open("offline-attendance-reopened")
    assert browser_profile.context is not None
    offline(browser_profile.context)
    open_lesson(who.page, who.base, lesson)
    assert shown(who.page) == statuses
    assert outbox_counts(who.page)["saves"] == 1
    assert server_attendance(api, lesson) == {}  # nothing reached the server yet

    online(browser_profile.context)
    expect(who.page.locator("#attendance-sync")).to_have_attribute("data-waiting", "0", timeout=30_000)
    expect(who.page.locator("#attendance-sync")).to_contain_text("Акыркы шайкештирүү")
    assert unsynced(who.page) == 0
    assert outbox_counts(who.page) == {"pending": 0, "saves": 0, "held": 0}
    who.check("attendance synced")
    assert server_attendance(api, lesson) == {s: (v, 1) for s, v in statuses.items()}
    for student, status in statuses.items():
        (entry,) = history(api, lesson, student)  # exactly once
        assert entry["new_value"] == status
        assert datetime.fromisoformat(entry["typed_at"]) < datetime.fromisoformat(entry["recorded_at"])
    verdict = api.call(TEACHER, "GET", f"/api/v1/journals/{lesson.journal_id}/verification").json()
    assert verdict["intact"], verdict
    who.assert_no_errors()


def test_an_attendance_change_made_on_the_server_while_offline_is_held_with_both_values(
    browser_profile: Browser,
    api: Api,
) -> None:
    lesson = unmarked_lesson(api)
    student = lesson.students[0]
    who = browser_profile.open("offline-attendance-conflict")
    who.sign_in(TEACHER.login)
    open_lesson(who.page, who.base, lesson)
    controlled(who.page, who.base, lesson)
    assert browser_profile.context is not None

    offline(browser_profile.context)
    mark(who.page, student, "absent")
    who.page.locator("#attendance button[type=submit]").click()
    path = f"/api/v1/journals/{lesson.journal_id}/lessons/{lesson.lesson_id}/attendance"
    reply = api.write(
        TEACHER, path, {"entries": [{"student_id": student, "status": "present", "expected_version": 0}]}
    )
    assert reply.status_code == 200, reply.text

    online(browser_profile.context)
    held = who.page.locator("#attendance-held li[data-kind='conflict']")
    expect(held).to_have_count(1, timeout=30_000)
    expect(held).to_contain_text(TEACHER.full_name)  # who set the server's status
    assert shown(who.page)[student] == "absent"  # what was marked stays until the teacher chooses
    assert server_attendance(api, lesson) == {student: ("present", 1)}
    who.check("attendance conflict")

    held.locator("button[data-choice='mine']").click()
    expect(who.page.locator("#attendance-held li")).to_have_count(0, timeout=30_000)
    expect(who.page.locator("#attendance-sync")).to_have_attribute("data-waiting", "0", timeout=30_000)
    assert server_attendance(api, lesson) == {student: ("absent", 2)}
    who.assert_no_errors()


@pytest.mark.rule("KZ-05")
def test_attendance_of_a_section_closed_while_offline_links_to_the_explanation_and_stays(
    browser_profile: Browser,
    api: Api,
) -> None:
    lesson = unmarked_lesson(api, in_open_section=True)
    who = browser_profile.open("offline-attendance-closed")
    who.sign_in(TEACHER.login)
    open_lesson(who.page, who.base, lesson)
    controlled(who.page, who.base, lesson)
    statuses = {s: "absent" for s in lesson.students[:2]}
    assert browser_profile.context is not None

    offline(browser_profile.context)
    for student, status in statuses.items():
        mark(who.page, student, status)
    who.page.locator("#attendance button[type=submit]").click()
    closing = {"reason": "deadline", "idempotency_key": str(uuid.uuid4())}
    reply = api.call(
        TEACHER,
        "POST",
        f"/api/v1/journals/{lesson.journal_id}/sections/{lesson.section}/closing",
        json=closing,
    )
    assert reply.status_code == 200, reply.text

    online(browser_profile.context)
    held = who.page.locator("#attendance-held li[data-kind='closed']")
    expect(held).to_have_count(len(statuses), timeout=30_000)
    link = who.page.locator("#attendance-held li.reopen-offer a")
    expect(link).to_have_attribute(
        "href", f"/teacher/journals/{lesson.journal_id}/sections/{lesson.section}/explanation"
    )
    assert {s: shown(who.page)[s] for s in statuses} == statuses  # what was marked stays visible
    assert outbox_counts(who.page) == {"pending": 0, "saves": 0, "held": len(statuses)}  # not retried
    assert server_attendance(api, lesson) == {}
    look(who, "attendance closed refused")
    link.click()  # the explanation form of the closed section
    expect(who.page).to_have_url(re.compile(rf"/sections/{lesson.section}/explanation$"))
    who.assert_no_errors()


NEXT = "next-deploy"


def _next_deploy(route: Route) -> None:
    """The server after a deploy, as the old worker meets it: pages of another asset version and a
    changed script. (The browser's own check for a new worker script is not routable, so the new
    worker's activation is driven below by registering again.)"""
    url = route.request.url
    response = route.fetch()
    headers = dict(response.headers)
    if url.endswith("/static/js/offline.mjs"):
        changed = response.text() + "\nwindow.nextDeploy = true;\n"
        route.fulfill(response=response, body=changed, headers=headers)
    elif "text/html" in headers.get("content-type", ""):
        route.fulfill(response=response, headers=headers | {"x-asset-version": NEXT})
    else:
        route.fulfill(response=response)


def caches_of_the_portal(page: Page) -> list[str]:
    names = page.evaluate("async () => (await caches.keys()).filter(n => n.startsWith('ejournal-portal-'))")
    return list(names)


def test_a_deploy_never_serves_the_previous_scripts_and_drops_the_previous_cache(
    browser_profile: Browser,
    api: Api,
) -> None:
    journal = Column(open_journals(api, TEACHER)[0], "", "", [])
    who = browser_profile.open("offline-deploy")
    who.sign_in(TEACHER.login)
    open_grid(who, journal, column_index=False)
    who.page.evaluate("() => navigator.serviceWorker.ready")
    open_grid(who, journal, column_index=False)
    assert who.page.evaluate("() => !!navigator.serviceWorker.controller")
    # The worker's cache is named after the version every page of this deploy says it was made for.
    version = who.page.evaluate("async () => (await fetch(location.href)).headers.get('X-Asset-Version')")
    assert version and version != "dev"
    assert caches_of_the_portal(who.page) == [f"ejournal-portal-{version}"]
    context: BrowserContext | None = browser_profile.context
    assert context is not None

    context.route("**/*", _next_deploy)
    try:
        # The first page of a new deploy, still under the old worker and its cache: the new script runs.
        open_grid(who, journal, column_index=False)
        assert who.page.evaluate("() => window.nextDeploy === true")
        open_grid(who, journal, column_index=False)
        assert who.page.evaluate("() => window.nextDeploy === true")
    finally:
        context.unroute("**/*", _next_deploy)

    # A worker that activates deletes every other deploy's cache and keeps its own.
    who.page.evaluate(
        """async () => {
          const older = await caches.open('ejournal-portal-0lder0deploy0000');
          await older.put('/static/js/grid.mjs', new Response('// an older deploy'));
          for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
        }"""
    )
    open_grid(who, journal, column_index=False)  # registers the worker again: install, activate
    who.page.evaluate("() => navigator.serviceWorker.ready")
    for _ in range(120):
        if caches_of_the_portal(who.page) == [f"ejournal-portal-{version}"]:
            break
        who.page.wait_for_timeout(500)
    assert caches_of_the_portal(who.page) == [f"ejournal-portal-{version}"]
    who.assert_no_errors()
