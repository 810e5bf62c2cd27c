"""The oversight and office pages in Chromium for both profiles: each role's pages render their
charts with the figures beside them (axe: no serious or critical violation), and an administrator's
import follows the streamed progress to the result, each row's error in the user's language."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, FilePayload, expect

from tests.e2e.portal.browser import person

pytestmark = pytest.mark.e2e
PAGES = {
    "vicerector": ("/tasks", "/dashboard", "/oversight/filling", "/checks"),
    "registrar": (
        "/tasks",
        "/oversight/filling",
        "/checks",
        "/registrar/calendar",
        "/registrar/reports",
        "/registrar/statements",
        "/registrar/imports",
    ),
    "head.anatomy": (
        "/tasks",
        "/oversight/filling",
        "/checks",
        "/registrar/statements",
        "/department/substitutions",
        "/department/teaching-load",
    ),
    "dean.med": (
        "/tasks",
        "/oversight/filling",
        "/checks",
        "/registrar/statements",
        "/department/substitutions",
        "/department/teaching-load",
        "/department/curators",
    ),
    "admin": ("/admin/people", "/registrar/imports"),
}
KG_LOGINS = {"vicerector": "kg.vicerector", "registrar": "kg.academic", "head.anatomy": "kg.head.math",
             "dean.med": "kg.dean.physmath", "admin": "kg.admin"}  # fmt: skip


@pytest.mark.parametrize("profile", ["kz", "kg"])
@pytest.mark.parametrize("role", list(PAGES))
def test_each_oversight_page_of_the_role(portal: str, browser: Browser, profile: str, role: str) -> None:
    login = f"kz.{role}" if profile == "kz" else KG_LOGINS[role]
    who = person(browser, portal, f"office-{login}")
    who.sign_in(login)
    nav = who.page.get_by_role("navigation")
    for path in PAGES[role]:
        expect(nav.locator(f"a[href='{path}']")).to_have_count(1)  # offered to this role
        page = who.visit(path)
        expect(page.locator("h1")).to_have_count(1)
        if path in ("/dashboard", "/registrar/reports", "/oversight/filling"):
            # a chart is drawn with its table beside it, or the panel says there are no figures yet
            charts, tables = page.locator("svg.chart[role=img]").count(), page.locator("table.data").count()
            assert charts == tables and page.locator("section.figures").count() >= 1
    for path in set().union(*PAGES.values()) - set(PAGES[role]):
        expect(nav.locator(f"a[href='{path}']")).to_have_count(0)  # nothing the API would refuse
    who.assert_no_errors()


def test_an_administrators_import_follows_the_progress_to_each_rows_error(
    portal: str, browser: Browser
) -> None:
    admin = person(browser, portal, "office-import-admin")
    admin.sign_in("kz.admin")
    page = admin.visit("/registrar/imports")
    expect(page.locator("html")).to_have_attribute("lang", "kk")  # the administrator's own language
    header = "Логин студента;ФИО;Группа;Подгруппа;Номер приказа;Дата приказа;Дата зачисления"
    rows = [f"portal.import{i};Студент {i} Әлиұлы;ЖМ-999;;124-с;20.08.2026;2026-09-01" for i in range(3)]
    page.select_option("#kind", "contingent")
    csv = FilePayload(name="contingent.csv", mimeType="text/csv", buffer="\n".join([header, *rows]).encode())
    page.locator("#file").set_input_files(files=[csv])
    page.locator("#reason").fill("порталдан тексеру")
    page.locator("#import-form button[type=submit]").click()
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible(timeout=60_000)
    expect(errors.locator("tbody tr")).to_have_count(3)
    expect(errors.locator("tbody tr").first).to_contain_text("ЖМ-999")
    expect(page.locator("#import-stage")).to_contain_text(re.compile("Ештеңе қолданылмады"))
    assert page.locator("#import-progress").get_attribute("max") == "3"
    admin.check("import rejected with row errors")
    admin.assert_no_errors()


@pytest.mark.rule("KZ-06")
def test_the_registrar_moves_a_deadline_with_a_reason_in_the_calendar(portal: str, browser: Browser) -> None:
    registrar = person(browser, portal, "office-calendar-registrar")
    registrar.sign_in("kz.registrar")
    page = registrar.visit("/registrar/calendar")
    terms = page.locator("#term_id option")
    today = date.today().isoformat()
    # a control event still ahead, so moving its closing deadline a day later disturbs no test
    ahead = """(today) => [...document.querySelectorAll('#control-events tr[data-event]')].filter(
        (tr) => tr.cells[0].textContent > today && /^\\d{4}-/.test(tr.cells[5].textContent)
      ).map((tr) => tr.dataset.event)[0] || ''"""
    event = ""
    for value in [terms.nth(i).get_attribute("value") for i in range(terms.count())]:
        page.goto(f"{portal}/registrar/calendar?term_id={value}")
        event = page.evaluate(ahead, today)
        if event:
            break
    assert event, "no control event ahead of today in any term"
    row = page.locator(f"#control-events tr[data-event='{event}']")
    before = row.locator("td").nth(4).inner_text()  # the closing deadline
    registrar.check("calendar of a term")
    row.locator("a").click()
    registrar.check("move a deadline")
    moved = datetime.fromisoformat(before.replace(" ", "T")) + timedelta(days=1)
    page.select_option("#deadline_kind", "DEADLINE_KIND_CLOSING")
    page.locator("#new_deadline").fill(moved.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#reason").fill("бұйрық № 7 / приказ № 7")
    page.locator("form[action$='/deadline'] button[type=submit]").click()
    expect(page.locator("p.ok")).to_be_visible()
    shown = page.locator(f"#control-events tr[data-event='{event}'] td").nth(4)
    expect(shown).to_have_text(moved.strftime("%Y-%m-%d %H:%M"))
    registrar.check("deadline moved")
    registrar.assert_no_errors()


def test_the_administrator_rotates_a_classrooms_qr_secret(portal: str, browser: Browser) -> None:
    admin = person(browser, portal, "office-rotate-admin")
    admin.sign_in("kz.admin")
    page = admin.visit("/admin/people")
    room = page.locator("section[aria-labelledby=rooms-title] tbody tr").first
    code = room.locator("th").inner_text()
    version = int(room.locator("td").nth(2).inner_text())
    room.locator("button").click()
    expect(page.locator("p.ok")).to_be_visible()
    again = page.locator("section[aria-labelledby=rooms-title] tbody tr", has_text=code).first
    expect(again.locator("td").nth(2)).to_have_text(str(version + 1))
    admin.check("qr secret rotated")
    admin.assert_no_errors()
