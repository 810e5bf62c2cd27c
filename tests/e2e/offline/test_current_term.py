"""Which term the offline prefetch treats as current (static/js/terms.mjs, issue 21), run in Chromium
without the stack: the term of the university's calendar whose dates hold today; between terms, from
the teacher's schedule, the term whose lessons began last on or before today stays current through
its exam session until the next term's lessons begin; before any has begun, the first to come."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType, Page

from tests.e2e.portal.browser import CHROMIUM

pytestmark = pytest.mark.e2e
TERMS = Path(__file__).parents[3] / "services" / "portal" / "static" / "js" / "terms.mjs"


@pytest.fixture(scope="module")
def page(chromium: BrowserType) -> Iterator[Page]:
    browser = chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    page = browser.new_page()
    source = TERMS.read_text(encoding="utf-8")
    for name in ("currentTerm", "termOn"):
        source = source.replace(f"export function {name}", f"window.{name} = function")
    page.evaluate(f"() => {{ {source} }}")
    yield page
    browser.close()


def current(page: Page, lessons: list[tuple[str, str]], today: str) -> str:
    found = page.evaluate(
        "([lessons, today]) => currentTerm(lessons.map(([term_id, date]) => ({ term_id, date })), today)",
        [lessons, today],
    )
    return str(found)


AUTUMN = [("autumn", f"2026-{m:02d}-{d:02d}") for m in (9, 10, 11) for d in (7, 14, 21)]
SPRING = [("spring", f"2027-{m:02d}-{d:02d}") for m in (2, 3, 4) for d in (7, 14, 21)]


def test_the_term_under_way_is_current(page: Page) -> None:
    assert current(page, AUTUMN + SPRING, "2026-10-01") == "autumn"
    assert current(page, SPRING + AUTUMN, "2027-03-01") == "spring"


def test_after_its_last_lesson_a_term_stays_current_until_the_next_begins(page: Page) -> None:
    assert current(page, AUTUMN + SPRING, "2026-12-20") == "autumn"  # the exam session
    assert current(page, AUTUMN + SPRING, "2027-02-07") == "spring"


def test_before_any_lesson_the_first_term_to_come_and_without_lessons_none(page: Page) -> None:
    assert current(page, SPRING + AUTUMN, "2026-08-25") == "autumn"
    assert current(page, [], "2026-10-01") == ""
    assert current(page, [("", "2026-10-01")], "2026-10-01") == ""  # a lesson without a term


YEARS = [
    {"id": "y1", "terms": [{"id": "autumn", "starts_on": "2026-09-01", "ends_on": "2027-01-20"},
                           {"id": "spring", "starts_on": "2027-02-01", "ends_on": "2027-06-30"}]},
]  # fmt: skip


def test_the_calendar_names_the_term_whose_dates_hold_today(page: Page) -> None:
    on = "([years, today]) => termOn(years, today)"
    assert page.evaluate(on, [YEARS, "2026-12-02"]) == "autumn"
    assert page.evaluate(on, [YEARS, "2027-01-20"]) == "autumn"  # the last day counts
    assert page.evaluate(on, [YEARS, "2027-02-01"]) == "spring"
    assert page.evaluate(on, [YEARS, "2027-01-25"]) == ""  # the holiday: the schedule decides
    assert page.evaluate(on, [[], "2026-12-02"]) == ""
