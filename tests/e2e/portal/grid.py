"""The journal grid in a test's browser: its cells are text, and one editor input (#grid-editor) moves
into the cell being typed into; these helpers find a column to type into and read what a column shows."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

READ_CELLS = """(c) => [...document.querySelectorAll('#grid tbody tr')].map(
    (tr) => { const td = tr.cells[c + 1]; return td.querySelector('input')?.value ?? td.textContent; })"""


def cell(page: Page, row: int, column: int) -> Locator:
    return page.locator("#grid tbody tr").nth(row).locator("td").nth(column)


def column_values(page: Page, column: int) -> list[str]:
    return list(page.evaluate(READ_CELLS, column))


def open_column(page: Page) -> int:
    """The first column the teacher may type into whose cells are all empty, or -1."""
    index = page.evaluate(
        """() => {
          const heads = [...document.querySelectorAll('#grid thead th[data-col]')];
          const rows = [...document.querySelectorAll('#grid tbody tr')];
          const value = (td) => td.querySelector('input')?.value ?? td.textContent;
          return heads.findIndex((th, c) => !th.classList.contains('closed')
                                  && rows.every((tr) => value(tr.cells[c + 1]) === ''));
        }"""
    )
    return int(index)


def open_a_journal_with_an_empty_column(page: Page) -> int:
    links = page.locator("table.data tbody th a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        page.goto(page.url.split("/teacher/")[0] + str(href))
        expect(page.locator("#grid")).to_have_attribute("data-ready", "true", timeout=20_000)
        column = open_column(page)
        if column >= 0:
            return column
    raise AssertionError("none of the teacher's journals has an open empty column")
