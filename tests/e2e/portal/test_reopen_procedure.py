"""KZ-13 through the pages: the teacher explains the error in the closed section's form; the department
head's, the dean for curation's and the dean's visas, the dean's council decision and the registrar's
reopening are given in Chromium on the case page their task opens; the teacher corrects a mark with its
reason and submits the correction on their case page, deadline shown (reopen_case.py); the dean then
downloads the case's individual statement as PDF, and the registrar confirms the sanction ladder's
proposal (KZ-14). Every page is screenshotted and checked with axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from deploy.demo.model import Person as DemoPerson
from deploy.demo.semester.cast import CASTS
from deploy.demo.semester.harness import Api
from tests.e2e.portal.browser import Person, person
from tests.e2e.portal.reopen_case import correct_through_the_page, eventually, explain_through_the_page

pytestmark = pytest.mark.e2e
KZ = next(cast for cast in CASTS if cast.profile == "kz-medical")


def signed_in(browser: Browser, portal: str, who: DemoPerson, name: str) -> Person:
    someone = person(browser, portal, name)
    someone.sign_in(who.login)
    return someone


def reload_until(page: Page, found: Locator, what: str) -> None:
    """The workflow moves a case on asynchronously: the page is reloaded until it shows `found`."""

    def shown() -> bool:
        if found.count():
            return True
        page.reload()
        return False

    eventually(shown, what)


def open_task(someone: Person, case_id: str) -> Page:
    """The person's task list, reloaded until the workflow has put the case there; then its case page."""
    page = someone.visit("/tasks")
    link = page.locator(f"a[href='/tasks/cases/{case_id}']")
    reload_until(page, link, f"{someone.name}'s task for the case")
    someone.check("tasks")
    link.click()
    page.wait_for_url(f"**/tasks/cases/{case_id}")
    someone.check("case")
    return page


def done(someone: Person, page: Page, label: str) -> None:
    expect(page).to_have_url(re.compile(r"/tasks\?done="))
    expect(page.locator("p.ok")).to_be_visible()
    someone.check(label)
    someone.assert_no_errors()


@pytest.mark.rule("KZ-13")
@pytest.mark.timeout(900)  # five people's pages, each screenshotted and checked by axe, and the workflow
def test_the_kz_reopen_procedure_through_the_pages(portal: str, browser: Browser, tmp_path: Path) -> None:
    assert KZ.reopen is not None
    api = Api(portal)
    for who in (KZ.teacher, KZ.registrar):
        api.sign_in(who)
    teacher = signed_in(browser, portal, KZ.teacher, "reopen-teacher")
    case = explain_through_the_page(teacher, api, KZ)

    for role, who in KZ.reopen.visas:
        signer = signed_in(browser, portal, who, f"reopen-visa-{role}")
        page = open_task(signer, case.case_id)
        expect(page.locator("input[name=role]")).to_have_value(role)  # the page offers this visa only
        page.locator("button[value=approve]").click()
        done(signer, page, "visa given")

    dean = signed_in(browser, portal, KZ.reopen.dean, "reopen-council")
    page = open_task(dean, case.case_id)
    page.locator("#protocol").fill("№ 3, факультет кеңесі")
    page.locator("button[value=approve]").click()
    done(dean, page, "council approved")

    registrar = signed_in(browser, portal, KZ.registrar, "reopen-registrar")
    page = open_task(registrar, case.case_id)
    page.locator("form[action$='/reopening'] button").click()
    done(registrar, page, "journal reopened")

    correct_through_the_page(teacher, api, KZ, case)
    teacher.assert_no_errors()

    # The dean downloads it: gradebook refuses a university-scoped registrar the journal's statement
    # list (statement.read is checked against the journal's scope, which names no university).
    page = dean.visit(f"/registrar/statements?journal_id={case.journal['journal_id']}")
    individual = page.locator("tbody tr[data-kind='individual']")
    reload_until(page, individual, "the individual statement")
    dean.check("statements with the individual one")
    with page.expect_download() as started:
        individual.last.locator("a[href$='.pdf']").click()
    saved = tmp_path / "individual.pdf"
    started.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    dean.assert_no_errors()

    # KZ-14: the reopen count calls for a measure; the registrar confirms it with an order.
    page = registrar.visit("/tasks")
    sanction_form = page.locator("form[action^='/tasks/sanctions/']")
    proposal = page.locator("li.card", has=sanction_form, has_text=KZ.teacher.id)
    reload_until(page, proposal, "the ladder's proposal")
    proposal.first.locator("input[name=reference]").fill("бұйрық / приказ № 12-к")
    proposal.first.locator("button").click()
    done(registrar, page, "measure confirmed")
