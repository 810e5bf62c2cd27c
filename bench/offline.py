# ruff: noqa: E501  (the browser snippets read best one statement a line)
"""Offline entry (issue 21) in a real Chromium: the time to sync 500 queued saves after reconnect,
beside sending the same 500 saves online from the same page.

500 saves of one cell each (the worst case: a teacher whose autosave fired for every cell while the
network was gone) wait in the person's IndexedDB outbox; the grid page is opened offline (served by
the service worker) and the network comes back. Ours: from going online to the outbox empty and the
page saying 0 waiting. Raw: the same 500 POSTs, one after another, with fetch() from the same page,
online, with their own Idempotency-Keys (what the outbox must send in order anyway).

The API is the real one: the gateway in front of gradebook and curriculum, each its own process
(bench/services.py), on a database seeded with one 30 x 60 journal (bench/seed.py). The page's origin
is a thin front (uvicorn, the real portal installed on it) that answers who the teacher is (identity
does not run here) and forwards the grid, the profile and every save to the gateway with the
teacher's session, so both sides go through the same hop. Each save writes a mark over the seeded
one (expected version = the grid's), in the outbox's order; the second side writes the same cells
again over the versions the first made. With EJOURNAL_BENCH_OFFLINE_STAND_IN=1 the API is
bench/portal.py's in-process stand-in instead (the outbox's own cost without gateway and database).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response
from playwright.sync_api import sync_playwright

from bench.gateway import prepare
from bench.harness import servers
from bench.portal import JOURNAL, free_port, stand_in_api
from bench.report import figure, size
from bench.seed import UniversitySize
from bench.services import gateway_stack
from services.portal.app import install

SAVES = size(500, 20)

QUEUE = """async ([journal, count]) => {
  const { Outbox } = await import('/static/js/outbox.mjs');
  const box = await Outbox.open(document.body.dataset.person);
  const heads = [...document.querySelectorAll('#grid thead th[data-col]')];
  const rows = [...document.querySelectorAll('#grid tbody tr')];
  const cells = heads.flatMap((th, c) => th.classList.contains('closed') ? [] : rows.map((tr) => [th.dataset.col, tr.dataset.student, tr.cells[c + 1]]));
  const saves = cells.slice(0, count).map(([column_id, student_id, td], i) => ({
    journal, key: crypto.randomUUID(), sent: false,
    cells: [{ column_id, student_id, value: String(i % 101), expected_version: Number(td.dataset.v || 0),
              typed_at: new Date().toISOString() }],
  }));
  await box.write(saves.map((save) => ['add', 'saves', save]));
  box.close();
  return saves.map((s) => s.cells);
}"""

ONLINE = """async ([url, cells]) => {
  // The same cells again, over the versions the outbox's saves made (the grid shows them).
  const version = (c) => Number(document.querySelector(`#grid tbody tr[data-student="${c.student_id}"]`)
    .cells[[...document.querySelectorAll('#grid thead th[data-col]')].findIndex((th) => th.dataset.col === c.column_id) + 1].dataset.v || 0);
  const batches = cells.map((batch) => batch.map((c, i) => ({ ...c, value: String((Number(c.value) + 1) % 101), expected_version: version(c) })));
  const t = performance.now();
  for (const batch of batches) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
                                 body: JSON.stringify({ cells: batch }) });
    if (!r.ok) throw new Error(`raw save: ${r.status} ${await r.text()}`);
    await r.json();
  }
  return performance.now() - t;
}"""


def front(gateway: str, session: dict[str, str], teacher_id: str) -> tuple[FastAPI, list[int]]:
    """The page's origin: the real portal, who the teacher is, and the API forwarded to the gateway."""
    app, batches = FastAPI(), []
    client = httpx.AsyncClient(base_url=gateway, headers=session, timeout=120)
    me = {"person_id": teacher_id, "login": "bench", "full_name": "Bench Teacher", "language": "ru",
          "roles": [{"role": "teacher", "scope_type": "department", "scope_id": teacher_id}],
          "profile_code": "kz-medical", "may_change_own_password": True}  # fmt: skip
    passed = ("accept", "accept-language", "content-type", "idempotency-key", "if-match", "if-none-match")

    async def forward(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() in passed}
        reply = await client.request(
            request.method, request.url.path, params=request.query_params, content=await request.body(),
            headers=headers,
        )  # fmt: skip
        kept = {
            k: v for k, v in reply.headers.items() if k.lower() in ("content-type", "etag", "retry-after")
        }
        return Response(reply.content, status_code=reply.status_code, headers=kept)

    @app.get("/api/v1/session/me")
    async def who() -> dict[str, Any]:
        return me

    @app.post("/api/v1/journals/{journal_id}/marks")
    async def write(request: Request, journal_id: str) -> Response:
        batches.append(len((await request.json())["cells"]))
        return await forward(request)

    for path in ("/api/v1/journals/{journal_id}/grid", "/api/v1/profiles/{code}"):
        app.add_api_route(path, forward, methods=["GET"])
    install(app)
    return app, batches


def measure(app: FastAPI, batches: list[int], journal: str) -> None:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    grid = f"{base}/teacher/journals/{journal}"
    try:
        with sync_playwright() as playwright:
            chromium = shutil.which("chromium") or "/usr/bin/chromium"
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()
            page.goto(base + "/home")
            page.evaluate("() => navigator.serviceWorker.ready")
            page.goto(grid)  # controlled by the worker now, which keeps the page
            page.wait_for_selector("#grid[data-ready='true']")
            context.set_offline(True)
            queued = page.evaluate(QUEUE, [journal, SAVES])
            page.reload()
            page.wait_for_selector("#grid[data-ready='true']")
            page.wait_for_selector(f"#grid-sync[data-waiting='{SAVES}']")
            before = len(batches)
            started = time.perf_counter()
            context.set_offline(False)
            page.wait_for_selector("#grid-sync[data-waiting='0']", timeout=600_000)
            synced_s = time.perf_counter() - started
            assert batches[before:] == [1] * SAVES, "each queued save is one call, sent once"
            assert page.locator("#grid-held li").count() == 0, "no save was refused"
            online_s = page.evaluate(ONLINE, [f"/api/v1/journals/{journal}/marks", queued]) / 1000
            browser.close()
    finally:
        server.should_exit = True
    figure(f"offline_sync_{SAVES}_s: queued saves sent after reconnect", synced_s, online_s, "s", False)
    print(f"{'':<48} {SAVES} calls, each save once (checked)")


def main() -> None:
    if os.environ.get("EJOURNAL_BENCH_OFFLINE_STAND_IN") == "1":
        app, batches = stand_in_api()
        measure(app, batches, JOURNAL)
        return
    one = UniversitySize(groups=1, teachers=1, terms=1, graded_per_group=1, other_per_group=0)
    with servers() as s:
        gradebook, curriculum, (seeded,) = prepare(s, "offline", [(one, 21)])
        journal = seeded.graded[-1]
        with gateway_stack(gradebook, curriculum) as stack:
            app, batches = front(
                stack.gateway, stack.cookies(str(journal.teacher_id)), str(journal.teacher_id)
            )
            measure(app, batches, str(journal.journal_id))
