"""Chromium for the offline-entry tests (issue 21): persistent browser profiles, so closing and
reopening the browser keeps IndexedDB and the service worker as a real browser would.

Playwright's `set_offline` does not reach a service worker's own fetches; with its service-worker
network events switched on (the environment variable below, read when its driver starts), a route can
cut them too, which `offline()` in test_offline_entry.py does. Hence a package of its own, with its own
Playwright, so the other browser tests run unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, BrowserType, sync_playwright

from deploy.demo import university as u
from deploy.demo.semester.harness import Api
from tests.e2e.portal.browser import CHROMIUM, DESKTOP, Person

TEACHER = u.KG_TEACHER_INFO  # no other test uses this teacher; the pages speak Kyrgyz (their language)
OTHER = u.KG_TEACHER1


@pytest.fixture(scope="package")
def chromium() -> Iterator[BrowserType]:
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    try:
        with sync_playwright() as playwright:
            yield playwright.chromium
    finally:
        # The other browser tests run as before.
        del os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"]


@pytest.fixture(scope="session")
def portal(request: pytest.FixtureRequest) -> str:
    running = os.environ.get("EJOURNAL_PORTAL_URL")
    return running or str(request.getfixturevalue("stack").gateway)


@dataclass
class Browser:
    """A persistent Chromium profile: closing and launching it again keeps IndexedDB and the worker."""

    chromium: BrowserType
    profile: Path
    base: str
    context: BrowserContext | None = None

    def open(self, name: str) -> Person:
        self.context = self.chromium.launch_persistent_context(
            str(self.profile), executable_path=CHROMIUM, args=["--no-sandbox"], locale="ru",
            viewport=DESKTOP,  # type: ignore[arg-type]
        )  # fmt: skip
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        who = Person(page, self.base, name)
        who.watch()
        return who

    def close(self) -> None:
        assert self.context is not None
        self.context.close()
        self.context = None


@pytest.fixture
def browser_profile(chromium: BrowserType, portal: str, tmp_path: Path) -> Iterator[Browser]:
    browser = Browser(chromium, tmp_path / "profile", portal)
    yield browser
    if browser.context is not None:
        browser.close()


@pytest.fixture(scope="module")
def api(portal: str) -> Api:
    api = Api(portal)
    for who in (TEACHER, OTHER):
        assert api.sign_in(who).status_code == 200
    return api
