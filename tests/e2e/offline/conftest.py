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

import pytest
from playwright.sync_api import BrowserType, sync_playwright


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
