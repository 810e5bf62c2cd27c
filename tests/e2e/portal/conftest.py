"""Chromium for the portal's browser tests, against the stack the session fixture starts.

EJOURNAL_PORTAL_URL points the tests at a portal already running (a developer's local stack) instead,
which saves the stack's start while working on pages; CI never sets it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.portal.browser import CHROMIUM


# Package scope, not session: while Playwright's sync API is open it marks an event loop as running
# in the main thread, and every later test that runs asyncio (pytest-asyncio, asyncio.run) would fail.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def portal(request: pytest.FixtureRequest) -> str:
    """The portal's address (the gateway's)."""
    running = os.environ.get("EJOURNAL_PORTAL_URL")
    return running or str(request.getfixturevalue("stack").gateway)
