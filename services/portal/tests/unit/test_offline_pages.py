"""What the server gives offline entry (issue 21) against a fake API: the service worker named after
the static files' version (a deploy that changes a script changes the worker and its cache), each
page saying which version it was made for, and a lesson's attendance page ready for the outbox, whose
closed section links to the explanation that starts a reopen. The browser's side is in
tests/e2e/offline."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.portal.app import STATIC, asset_version, service_worker_source
from services.portal.tests.unit.fake_office_api import fake_office_gateway

pytestmark = pytest.mark.unit


def signed_in(login: str) -> TestClient:
    browser = TestClient(fake_office_gateway(), base_url="https://portal.test")
    browser.post("/sign-in", data={"login": login, "password": "any"})
    return browser


def test_the_worker_and_every_page_carry_the_static_files_version() -> None:
    browser = signed_in("teacher")
    worker = browser.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    version = asset_version()
    assert f'const ASSETS = "{version}";' in worker.text and 'const ASSETS = "dev";' not in worker.text
    assert "const CACHE = `ejournal-portal-${ASSETS}`;" in worker.text
    page = browser.get("/teacher/journals/j-1")
    assert page.headers["x-asset-version"] == version


def test_a_changed_script_changes_the_version_and_so_the_worker(tmp_path: Path) -> None:
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    before = asset_version(copy)
    assert before == asset_version(STATIC)
    grid = copy / "js" / "grid.mjs"
    grid.write_text(grid.read_text(encoding="utf-8") + "\n// the next deploy\n", encoding="utf-8")
    after = asset_version(copy)
    assert after != before
    assert service_worker_source(after, copy) != service_worker_source(before, copy)
    (copy / "js" / "new.mjs").write_text("export {};\n", encoding="utf-8")  # a file added counts too
    assert asset_version(copy) != after


def test_every_script_a_page_loads_is_kept_by_the_worker() -> None:
    worker = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    kept = set(re.findall(r'"(/static/[^"]+)"', worker))
    offline = {"grid.mjs", "grid-save.mjs", "outbox.mjs", "offline.mjs", "api.mjs", "attendance.mjs"}
    assert {f"/static/js/{name}" for name in offline} | {"/static/portal.css"} <= kept
    # Every script the offline pages import is among them (a new import would miss offline otherwise).
    for name in offline:
        source = (STATIC / "js" / name).read_text(encoding="utf-8")
        for imported in re.findall(r'from "\./([\w-]+\.mjs)"', source):
            assert f"/static/js/{imported}" in kept, f"{name} imports {imported}: the worker lacks it"


@pytest.mark.rule("KZ-13")
def test_the_attendance_page_of_a_closed_section_links_to_the_explanation() -> None:
    page = signed_in("teacher").get("/teacher/journals/j-1/lessons/col-1", headers={"accept-language": "ru"})
    assert page.status_code == 200
    html = page.text
    assert '<script type="module" src="/static/js/attendance.mjs">' in html
    assert 'href="/teacher/journals/j-1/sections/s1/explanation"' in html
    form = re.search(r'<form method="post" id="attendance"[^>]*>', html, re.S)
    assert form is not None
    assert 'data-journal="j-1"' in form[0] and 'data-lesson="col-1"' in form[0]
    assert 'data-section="s1"' in form[0] and 'data-closed="true"' in form[0]
    assert 'id="attendance-sync"' in html and 'id="attendance-held"' in html
    assert '<tr data-student="st-1">' in html
