"""A person at the portal in Debian's Chromium (Playwright): every page visited is screenshotted as an
artifact and checked with axe-core (no serious or critical violation), and any script error or
console error fails the test."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "portal"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "Ejournal-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Chromium reports every 4xx answer (a refused sign-in, a 422 for a value off the scale, a 409 for a
# stale cell) as a console error, though the page expects and shows it. Those are not script errors;
# any 5xx answer is caught separately, from the responses themselves.
CLIENT_ERROR_ANSWER = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d\b")
AXE = Axe()
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass
class Person:
    """One signed-in person in their own browser context (own cookies), named for the artifacts."""

    page: Page
    base: str
    name: str
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    def watch(self) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not CLIENT_ERROR_ANSWER.match(message.text):
                self.errors.append(f"console: {message.text}")

        def on_response(response: Response) -> None:
            if response.status >= 500:
                self.errors.append(f"{response.status} from {response.request.method} {response.url}")

        self.page.on("console", on_console)
        self.page.on("response", on_response)
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))

    def visit(self, path: str) -> Page:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 500, (path, response and response.status)
        self.check(path)
        return self.page

    def check(self, label: str) -> None:
        """Screenshot the page as it is now, and run axe on it."""
        self.page.wait_for_load_state("networkidle")
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "root"
        folder = ARTIFACTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{self.shots:02d}-{slug}.png"), full_page=True)
        violations = blocking_violations(self.page)
        assert not violations, f"{self.name} {label}: axe: {violations}"

    def sign_in(self, login: str, password: str = DEMO_PASSWORD) -> None:
        self.visit("/")
        self.page.get_by_label(re.compile("^(Логин|Login)$")).fill(login)
        self.page.locator("#password").fill(password)
        self.page.locator("form[action='/sign-in'] button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/home$|/teacher|/student|/parent"))
        self.check("after sign-in")

    def assert_no_errors(self) -> None:
        assert not self.errors, f"{self.name}: {self.errors}"


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    found = AXE.run(page).response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in found
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def person(browser: Browser, base: str, name: str, viewport: dict[str, int] = DESKTOP,
           language: str = "ru") -> Person:  # fmt: skip
    context = browser.new_context(viewport=viewport, locale=language)  # type: ignore[arg-type]
    who = Person(context.new_page(), base, name)
    who.watch()
    return who
