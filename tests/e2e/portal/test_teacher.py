"""A teacher's day in the browser, for both profiles: sign in, open a journal, type a whole column
from the keyboard (with the absent mark and one value off the scale), save it in ONE API call with
an Idempotency-Key, see a cell's history, show the rotating QR code."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Request, expect

from tests.e2e.portal.browser import person
from tests.e2e.portal.grid import cell, column_values, open_a_journal_with_an_empty_column

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Day:
    login: str
    absent: str  # the profile's absent mark (KZ-12, KG-05)
    other_absent: str  # the other profile's: off this scale
    marks: tuple[str, ...]


DAYS = {
    "kz-medical": Day("kz.teacher4", "н/б", "нб", ("85", "0", "100", "67")),
    "kg-jasu": Day("kg.teacher3", "нб", "н/б", ("5", "4", "3", "2")),
}


@pytest.mark.rule("KZ-12", "KG-05", "KG-04")
@pytest.mark.parametrize("profile", list(DAYS))
def test_a_teachers_day(portal: str, browser: Browser, profile: str) -> None:
    day = DAYS[profile]
    who = person(browser, portal, f"teacher-{profile}")
    page = who.page
    who.sign_in(day.login)
    who.visit("/teacher/today")
    who.visit("/teacher/journals")
    column = open_a_journal_with_an_empty_column(page)
    who.check("journal grid")
    names = page.locator("#grid tbody th").all_inner_texts()
    # students by name, as stored (the grid answer carries them), not by id
    assert names and all(re.fullmatch(r"\S+ \S+( \S+)?", n.strip()) for n in names), names

    count = len(names)
    values = [day.absent if i % 4 == 1 else day.marks[i % len(day.marks)] for i in range(count)]
    writes: list[Request] = []
    page.on(
        "request", lambda r: writes.append(r) if r.method == "POST" and r.url.endswith("/marks") else None
    )

    cell(page, 0, column).click()
    editor = page.locator("#grid-editor")
    expect(editor).to_be_focused()
    # a value off this profile's scale is refused in place, naming the allowed values; focus stays
    page.keyboard.type(day.other_absent)
    page.keyboard.press("Enter")
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#grid-problem")).to_contain_text(day.absent)
    expect(editor).to_be_focused()
    assert page.evaluate("document.activeElement.closest('tr').sectionRowIndex") == 0
    who.check("value off the scale refused")
    page.keyboard.press("Control+A")
    # the whole column from the keyboard: type, Enter, type, Enter ... the last Enter saves
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    expect(page.locator("#grid-state")).to_have_text(re.compile("Сохранено|Сақталды|Сакталды|Saved"))
    assert len(writes) == 1, [w.post_data for w in writes]
    sent = writes[0]
    assert sent.headers.get("idempotency-key")
    batch = sent.post_data_json
    assert batch is not None and len(batch["cells"]) == count
    assert all(c["expected_version"] == 0 for c in batch["cells"])
    who.check("column saved")

    # what was saved is what the API holds: a fresh page shows it
    page.reload()
    expect(page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=20_000)
    assert sorted(column_values(page, column)) == sorted(values)

    # the history of a cell: who wrote what, when
    cell(page, 1, column).click()
    page.locator("#grid-history").click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    assert day.absent in page.locator("table.data tbody").inner_text()
    who.check("cell history")
    who.assert_no_errors()
