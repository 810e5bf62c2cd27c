"""Offline-first mark entry (issue 21) in Debian's Chromium against the whole stack: a teacher types
with no network, reloads, closes and reopens the browser, and every mark reaches the server exactly
once with the history chain intact; a conflicting change and a section closed meanwhile are shown,
never silently resolved; sign-out and another person's sign-in clear what the browser keeps."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from deploy.demo.model import Person as DemoPerson
from deploy.demo.semester.harness import Api
from tests.e2e.offline.conftest import OTHER, TEACHER, Browser
from tests.e2e.portal.browser import ARTIFACTS, Person, blocking_violations

# Each test starts a browser profile, signs in and waits for the network to come back: on the shared,
# loaded machine that takes longer than the default 300 s allows.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

READY = 20_000


@dataclass
class Column:
    journal_id: str
    column_id: str
    section: str
    students: list[str]


def _cut_worker(route: Route) -> None:
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def offline(context: BrowserContext) -> None:
    """No network for the pages and for the service worker's own fetches."""
    context.set_offline(True)
    context.route("**/*", _cut_worker)


def online(context: BrowserContext) -> None:
    context.unroute("**/*", _cut_worker)
    context.set_offline(False)


def empty_column(api: Api, teacher: DemoPerson, in_open_section: bool = False) -> Column:
    """A lesson column of the teacher's journals with no mark at all, in an open part of the journal."""
    for journal in api.call(teacher, "GET", "/api/v1/my/journals").json()["journals"]:
        if journal.get("locked_at"):
            continue
        grid = api.call(teacher, "GET", f"/api/v1/journals/{journal['journal_id']}/grid").json()
        sections = {s["section"]: s for s in journal.get("sections", [])}
        used = {c["column_id"] for c in grid.get("cells", [])}
        for column in grid["columns"]:
            section = sections.get(column.get("section", ""))
            if column["kind"] != "lesson" or column["column_id"] in used:
                continue
            if section is not None and section.get("closed_at"):
                continue
            if in_open_section and section is None:
                continue
            students = [s["student_id"] for s in grid["students"]]
            return Column(journal["journal_id"], column["column_id"], column.get("section", ""), students)
    raise AssertionError(f"{teacher.login} has no empty open column left")


def kept(page: Page, path: str) -> None:
    """Wait until the service worker's cache holds the page (it fetches the open journals a few
    seconds after a teacher's page loads). wait_for_function does not await a promise, hence a loop."""
    for _ in range(240):
        if page.evaluate("async path => !!(await caches.match(path))", path):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the worker never kept {path}")


def look(who: Person, label: str) -> None:
    """Person.check without waiting for the network to be idle (it is gone): a screenshot and axe."""
    who.shots += 1
    folder = ARTIFACTS / who.name
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    who.page.screenshot(path=str(folder / f"{who.shots:02d}-{slug}.png"), full_page=True)
    violations = blocking_violations(who.page)
    assert not violations, f"{who.name} {label}: axe: {violations}"


def open_journals(api: Api, teacher: DemoPerson) -> list[str]:
    journals = api.call(teacher, "GET", "/api/v1/my/journals").json()["journals"]
    closed = [j for j in journals if j.get("sections") and all(s.get("closed_at") for s in j["sections"])]
    return [j["journal_id"] for j in journals if not j.get("locked_at") and j not in closed]


def open_grid(who: Person, column: Column, column_index: bool = True) -> int:
    """The journal's grid, ready; the column's index in it."""
    page = who.page
    page.goto(f"{who.base}/teacher/journals/{column.journal_id}")
    expect(page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=READY)
    if not column_index:
        return -1
    index = page.evaluate(
        "id => [...document.querySelectorAll('#grid thead th[data-col]')]"
        ".findIndex(th => th.dataset.col === id)",
        column.column_id,
    )
    assert index >= 0
    return int(index)


def controlled_by_the_worker(page: Page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    expect(page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=READY)
    assert page.evaluate("() => !!navigator.serviceWorker.controller")


# The grid's cells are text; one editor input (#grid-editor) moves into the cell being typed into.
READ_CELLS = """(c) => [...document.querySelectorAll('#grid tbody tr')].map(
    (tr) => { const td = tr.cells[c + 1]; return td.querySelector('input')?.value ?? td.textContent; })"""


def cell(page: Page, row: int, column: int) -> Locator:
    return page.locator("#grid tbody tr").nth(row).locator("td").nth(column)


def type_column(page: Page, index: int, values: list[str]) -> None:
    cell(page, 0, index).click()
    expect(page.locator("#grid-editor")).to_be_focused()
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Enter")


def column_values(page: Page, index: int) -> list[str]:
    return list(page.evaluate(READ_CELLS, index))


def unsynced(page: Page) -> int:
    """Cells marked in the grid as not on the server yet."""
    return int(page.locator("#grid td.dirty").count())


def page_rows(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("#grid tbody tr", "rows => rows.map(r => r.dataset.student)"))


def history(api: Api, teacher: DemoPerson, column: Column, student: str) -> list[dict[str, Any]]:
    path = f"/api/v1/journals/{column.journal_id}/cells/{column.column_id}/{student}/history"
    return list(api.call(teacher, "GET", path).json().get("entries", []))


def server_cells(api: Api, teacher: DemoPerson, column: Column) -> dict[str, tuple[str, int]]:
    grid = api.call(teacher, "GET", f"/api/v1/journals/{column.journal_id}/grid").json()
    return {
        c["student_id"]: (c["value"], int(c["version"]))
        for c in grid.get("cells", [])
        if c["column_id"] == column.column_id
    }


def outbox_counts(page: Page) -> dict[str, int]:
    """What this person's IndexedDB outbox holds (pending cells, queued saves, held cells)."""
    return dict(
        page.evaluate(
            """async () => {
              const { Outbox } = await import('/static/js/outbox.mjs');
              const box = await Outbox.open(document.body.dataset.person);
              try { return await box.counts(); } finally { box.close(); }
            }"""
        )
    )


@pytest.mark.rule("KZ-01")
def test_a_column_typed_offline_survives_reload_and_browser_restart_and_arrives_once(
    browser_profile: Browser, api: Api
) -> None:
    column = empty_column(api, TEACHER)
    who = browser_profile.open("offline-column")
    who.sign_in(TEACHER.login)
    index = open_grid(who, column)
    controlled_by_the_worker(who.page)
    rows = page_rows(who.page)
    # The worker also keeps the teacher's other open journals, never opened in this browser.
    other = next(j for j in open_journals(api, TEACHER) if j != column.journal_id)
    kept(who.page, f"/teacher/journals/{other}")
    values = ["нб" if r % 3 == 1 else str(5 - r % 4) for r in range(len(rows))]  # kg-jasu scale
    assert browser_profile.context is not None

    offline(browser_profile.context)
    type_column(who.page, index, values)  # the last row's Enter saves: queued, not sent
    expect(who.page.locator("#grid-sync")).to_contain_text("Тармак жок")
    expect(who.page.locator("#grid-sync")).to_have_attribute("data-waiting", "1")
    assert unsynced(who.page) == len(rows)
    look(who, "typed offline")

    who.page.reload()  # offline: the worker serves the page, the outbox the typed values
    expect(who.page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=READY)
    assert column_values(who.page, index) == values
    assert unsynced(who.page) == len(rows)
    open_grid(who, Column(other, "", "", []), column_index=False)  # offline, never visited: prefetched
    look(who, "another journal offline")

    browser_profile.close()  # the browser closed with the network still gone
    who = browser_profile.open("offline-column-reopened")
    assert browser_profile.context is not None
    offline(browser_profile.context)
    who.page.goto(f"{who.base}/teacher/journals/{column.journal_id}")
    expect(who.page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=READY)
    assert column_values(who.page, index) == values
    assert unsynced(who.page) == len(rows)
    assert outbox_counts(who.page)["saves"] == 1
    look(who, "reopened offline")
    open_grid(who, Column(other, "", "", []), column_index=False)  # still kept after the restart
    who.page.goto(f"{who.base}/teacher/journals/{column.journal_id}")
    expect(who.page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=READY)
    assert server_cells(api, TEACHER, column) == {}  # nothing reached the server yet

    online(browser_profile.context)
    expect(who.page.locator("#grid-sync")).to_have_attribute("data-waiting", "0", timeout=30_000)
    expect(who.page.locator("#grid-sync")).to_contain_text("Акыркы шайкештирүү")
    assert unsynced(who.page) == 0
    assert outbox_counts(who.page) == {"pending": 0, "saves": 0, "held": 0}
    who.check("synced")

    by_student = dict(zip(rows, values, strict=True))
    assert server_cells(api, TEACHER, column) == {s: (v, 1) for s, v in by_student.items()}
    for student, value in by_student.items():
        (entry,) = history(api, TEACHER, column, student)  # exactly once
        assert entry["new_value"] == value
        typed = datetime.fromisoformat(entry["typed_at"])
        assert typed < datetime.fromisoformat(entry["recorded_at"])  # typed offline, accepted on reconnect
    verdict = api.call(TEACHER, "GET", f"/api/v1/journals/{column.journal_id}/verification").json()
    assert verdict["intact"], verdict
    who.assert_no_errors()


def test_a_change_made_on_the_server_while_offline_is_shown_with_both_values_and_its_author(
    browser_profile: Browser, api: Api
) -> None:
    column = empty_column(api, TEACHER)
    who = browser_profile.open("offline-conflict")
    who.sign_in(TEACHER.login)
    index = open_grid(who, column)
    controlled_by_the_worker(who.page)
    student = page_rows(who.page)[0]
    assert browser_profile.context is not None

    offline(browser_profile.context)
    type_column(who.page, index, ["5"])
    who.page.locator("#grid-save").click()
    # Meanwhile the teacher's other device (the API, same person) writes the same cell.
    written = {"column_id": column.column_id, "student_id": student, "value": "2", "expected_version": 0}
    reply = api.write(TEACHER, f"/api/v1/journals/{column.journal_id}/marks", {"cells": [written]})
    assert reply.status_code == 200, reply.text

    online(browser_profile.context)
    held = who.page.locator("#grid-held li[data-kind='conflict']")
    expect(held).to_have_count(1, timeout=30_000)
    expect(held).to_contain_text("серверде 2")
    expect(held).to_contain_text("сиздики 5")
    expect(held).to_contain_text(TEACHER.full_name)  # who wrote the server's value
    assert column_values(who.page, index)[0] == "5"  # what was typed stays until the teacher chooses
    expect(cell(who.page, 0, index)).to_have_class(re.compile(r"\bconflict\b"))
    assert server_cells(api, TEACHER, column) == {student: ("2", 1)}
    who.check("conflict shown")

    who.page.reload()  # the choice waits across a reload
    expect(held).to_have_count(1, timeout=READY)
    held.get_by_role("button", name="Меникин калтыруу").click()
    expect(who.page.locator("#grid-held li")).to_have_count(0, timeout=30_000)
    expect(who.page.locator("#grid-sync")).to_have_attribute("data-waiting", "0", timeout=30_000)
    assert server_cells(api, TEACHER, column) == {student: ("5", 2)}
    assert [e["new_value"] for e in history(api, TEACHER, column, student)] == ["2", "5"]
    who.check("conflict resolved")
    who.assert_no_errors()


@pytest.mark.rule("KZ-05")
def test_a_section_closed_while_offline_is_refused_with_the_reopen_offer_and_the_values_stay(
    browser_profile: Browser, api: Api
) -> None:
    column = empty_column(api, TEACHER, in_open_section=True)
    who = browser_profile.open("offline-closed")
    who.sign_in(TEACHER.login)
    index = open_grid(who, column)
    controlled_by_the_worker(who.page)
    rows = page_rows(who.page)
    values = [str(2 + r % 4) for r in range(len(rows))]
    assert browser_profile.context is not None

    offline(browser_profile.context)
    type_column(who.page, index, values)
    closing = {"reason": "deadline", "idempotency_key": str(uuid.uuid4())}
    path = f"/api/v1/journals/{column.journal_id}/sections/{column.section}/closing"
    reply = api.call(TEACHER, "POST", path, json=closing)
    assert reply.status_code == 200, reply.text

    online(browser_profile.context)
    held = who.page.locator("#grid-held li[data-kind='closed']")
    expect(held).to_have_count(len(rows), timeout=30_000)
    expect(who.page.locator("#grid-held li.reopen-offer")).to_be_visible()
    assert column_values(who.page, index) == values  # typed values stay visible
    assert outbox_counts(who.page) == {"pending": 0, "saves": 0, "held": len(rows)}  # not retried
    assert server_cells(api, TEACHER, column) == {}
    look(who, "closed refused")

    who.page.reload()
    expect(held).to_have_count(len(rows), timeout=READY)
    assert column_values(who.page, index) == values
    who.assert_no_errors()


def test_sign_out_clears_what_the_browser_keeps_and_another_person_never_sees_it(
    browser_profile: Browser, api: Api
) -> None:
    column = empty_column(api, TEACHER)
    who = browser_profile.open("offline-sign-out")
    who.sign_in(TEACHER.login)
    index = open_grid(who, column)
    controlled_by_the_worker(who.page)
    assert browser_profile.context is not None
    context = browser_profile.context
    stored = """async () => ({
        databases: (await indexedDB.databases()).map(d => d.name).filter(n => n.startsWith('ejournal-')),
        caches: (await caches.keys()).filter(n => n.startsWith('ejournal-')),
        workers: (await navigator.serviceWorker.getRegistrations()).length,
    })"""

    # One person's typing stays on the device, then someone else signs in on the same browser.
    offline(context)
    type_column(who.page, index, ["4"])
    who.page.locator("#grid-save").click()
    expect(who.page.locator("#grid-sync")).to_have_attribute("data-waiting", "1")
    # Signing out now would drop a typed mark: the first click says so and keeps the session.
    who.page.locator("form.sign-out button[type=submit]").click()
    expect(who.page.locator("#status")).to_contain_text("1 өзгөртүү")
    assert who.page.url.endswith(f"/teacher/journals/{column.journal_id}")
    context.clear_cookies()  # the session ended without a sign-out
    online(context)
    expect(who.page.locator("#grid-state")).to_contain_text("кайра кириңиз", timeout=30_000)  # kept
    other = Person(who.page, who.base, "offline-other-person")
    other.sign_in(OTHER.login)
    kept = who.page.evaluate(stored)
    assert kept["databases"] in ([], [f"ejournal-{OTHER.id}"])  # the first person's outbox is gone
    assert server_cells(api, TEACHER, column) == {}

    # Sign-out: the worker, the page cache and the outbox go; the server says so too.
    who.page.goto(f"{who.base}/home")
    who.page.evaluate(stored)  # the page started the worker and its cache
    with who.page.expect_response(lambda r: r.url.endswith("/sign-out")) as signed_out:
        who.page.locator("form.sign-out button[type=submit]").click()
    who.page.wait_for_url(re.compile(r"/(\?.*)?$"))
    assert '"storage"' in signed_out.value.all_headers().get("clear-site-data", "")
    assert who.page.evaluate(stored) == {"databases": [], "caches": [], "workers": 0}
    who.assert_no_errors()
