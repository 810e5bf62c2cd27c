"""The department's and faculty's lists in Chromium against the real stack (axe on every page, a
screenshot of each): a department head appoints a substitute and ends the substitution choosing
teachers and course units by name; a dean for curation reads the department's teaching load and a
group's curator attendance list; a dean's filling chart names departments; a teacher lists their own
reopen cases; an administrator finds a person by name and grants a role choosing the role and the
scope by name."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.portal.browser import person

pytestmark = pytest.mark.e2e
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


@pytest.mark.rule("KZ-07")
def test_a_department_head_appoints_and_ends_a_substitution_choosing_by_name(
    portal: str, browser: Browser
) -> None:
    head = person(browser, portal, "department-head-substitution")
    head.sign_in("kz.head.anatomy")
    page = head.visit("/department/substitutions")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    teachers = page.locator("#absent_teacher_id option:not([value=''])")
    assert teachers.count() >= 2
    absent, substitute = teachers.nth(0).inner_text(), teachers.nth(1).inner_text()
    assert not UUID.search(absent + substitute)  # names, not ids
    page.select_option("#absent_teacher_id", label=absent)
    page.select_option("#substitute_id", label=substitute)
    page.locator("input[name=course_unit_ids]").first.check()
    start = date.today() + timedelta(days=30)
    page.fill("#starts_on", start.isoformat())
    page.fill("#ends_on", (start + timedelta(days=6)).isoformat())
    page.fill("#reason", "біліктілікті арттыру курсы")
    page.fill("#protocol_number", "12")
    page.fill("#protocol_date", date.today().isoformat())
    page.locator("form[action='/department/substitutions'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"done=appointed"))
    head.check("substitute appointed")
    row = page.locator("#substitutions tbody tr", has_text=absent)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(substitute)
    row.locator("input[name=reason]").fill("оқытушы оралды")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"done=ended"))
    head.check("substitution ended")
    expect(page.locator("#substitutions tbody tr", has_text=absent).locator("form")).to_have_count(0)
    head.assert_no_errors()


def test_a_dean_for_curation_reads_teaching_load_and_a_curator_list_by_name(
    portal: str, browser: Browser
) -> None:
    dean = person(browser, portal, "dean-curation-lists")
    dean.sign_in("kz.curation.med")
    page = dean.visit("/department/teaching-load")
    page.select_option("#department_id", label="Қалыпты анатомия кафедрасы")  # the faculty's, by name
    page.locator("form[action='/department/teaching-load'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    dean.check("teaching load of the anatomy department")
    rows = page.locator("#loads tbody tr")
    assert rows.count() >= 1
    assert not UUID.search(page.locator("#loads tbody").inner_text())  # teachers, units, groups by name
    page = dean.visit("/department/curators")
    expect(page.locator("#group_id option", has_text="ЖМ-101")).to_have_count(1)
    page.select_option("#group_id", label="ЖМ-101")
    page.locator("form[action='/department/curators'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    dean.check("curator list of a group")
    expect(page.locator("main .error")).to_have_count(0)  # the dean's office may read its groups' lists
    expect(page.locator("#curator-list tbody th[scope=row]")).not_to_have_count(0)  # students by name
    assert not UUID.search(page.locator("#curator-list tbody").inner_text())
    dean.assert_no_errors()


def test_a_deans_filling_chart_names_the_departments(portal: str, browser: Browser) -> None:
    dean = person(browser, portal, "dean-filling-names")
    dean.sign_in("kz.dean.med")
    page = dean.visit("/oversight/filling")
    names = page.locator("section.figures table.data tbody th").all_inner_texts()
    assert not UUID.search(" ".join(names)), names
    dean.assert_no_errors()


def test_a_teacher_lists_their_own_reopen_cases(portal: str, browser: Browser) -> None:
    teacher = person(browser, portal, "teacher-own-cases")
    teacher.sign_in("kg.teacher1")
    expect(teacher.page.get_by_role("navigation").locator("a[href='/teacher/cases']")).to_have_count(1)
    page = teacher.visit("/teacher/cases")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#my-cases, main p:not(.hint)").first).to_be_visible()
    teacher.assert_no_errors()


def test_an_administrator_grants_a_role_choosing_role_and_scope_by_name(
    portal: str, browser: Browser
) -> None:
    admin = person(browser, portal, "admin-grant-by-name")
    admin.sign_in("kz.admin")
    page = admin.visit("/admin/people")
    page.fill("#q", "петрова")  # a part of the name, any case: nobody types a person's id
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"q="))
    admin.check("people found by name")
    page.locator("#found-people a", has_text="Петрова Анна Игоревна").click()
    page.wait_for_url(re.compile(r"person_id="))
    admin.check("the person found")
    expect(page.locator("input[name=scope_id]")).to_have_count(0)  # no raw ids to type
    page.select_option("#role", value="curator")
    page.select_option("#scope", label="ОМ-103")
    page.locator("form[action$='/roles'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"done=granted"))
    admin.check("role granted")
    expect(page.locator("table.data tbody tr", has_text="ОМ-103")).not_to_have_count(0)
    admin.assert_no_errors()
