"""Sign-in and the session in a real browser, for both profiles: the language, the password form
where the profile allows it (KG-03), sign-out, and a lockout told apart from a wrong password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.portal.browser import person

pytestmark = pytest.mark.e2e


@pytest.mark.rule("KG-03")
@pytest.mark.parametrize(("login", "may_change"), [("kz.teacher2", True), ("kg.teacher2", False)])
def test_sign_in_account_and_sign_out(portal: str, browser: Browser, login: str, may_change: bool) -> None:
    who = person(browser, portal, f"session-{login}", language="en")
    who.sign_in(login)
    page = who.visit("/account")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("kk|ky|ru|en"))
    assert (page.locator("form[action='/account/password']").count() == 1) is may_change
    page.select_option("#language-choice", "en")
    page.locator("form.language button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    who.check("account in English")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    who.check("signed out")
    assert who.visit("/account").url.endswith("/?next=/account")
    who.assert_no_errors()


def test_a_wrong_password_is_refused_in_the_users_language(portal: str, browser: Browser) -> None:
    who = person(browser, portal, "session-wrong-password", language="kk")
    page = who.visit("/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.locator("#login").fill("kz.student3")
    page.locator("#password").fill("not-the-password")
    page.locator("form[action='/sign-in'] button").click()
    expect(page.get_by_role("alert")).to_contain_text("Логин немесе құпиясөз қате")
    who.check("wrong password")
    who.assert_no_errors()
