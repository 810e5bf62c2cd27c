# ruff: noqa: E501  (the browser snippets read best one statement a line)
"""Offline entry (issue 21) in a real Chromium: the time to sync 500 queued saves after reconnect,
beside sending the same 500 saves online from the same page.

500 saves of one cell each (the worst case: a teacher whose autosave fired for every cell while the
network was gone) wait in the person's IndexedDB outbox; the grid page is opened offline (served by
the service worker) and the network comes back. Ours: from going online to the outbox empty and the
page saying 0 waiting. Raw: the same 500 POSTs, one after another, with fetch() from the same page,
online, with their own Idempotency-Keys (what the outbox must send in order anyway). The API is the
stand-in of bench/portal.py (in process, uvicorn, the real portal installed on it), so the ratio is
the outbox's own cost: IndexedDB writes, rebasing, the page's updates.
"""

from __future__ import annotations

import shutil
import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from bench.portal import JOURNAL, free_port, stand_in_api
from bench.report import figure, size

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

ONLINE = """async ([url, batches]) => {
  const t = performance.now();
  for (const cells of batches) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
                                 body: JSON.stringify({ cells }) });
    await r.json();
  }
  return performance.now() - t;
}"""


def main() -> None:
    app, batches = stand_in_api()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    grid = f"{base}/teacher/journals/{JOURNAL}"
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
            queued = page.evaluate(QUEUE, [JOURNAL, SAVES])
            page.reload()
            page.wait_for_selector("#grid[data-ready='true']")
            page.wait_for_selector(f"#grid-sync[data-waiting='{SAVES}']")
            before = len(batches)
            started = time.perf_counter()
            context.set_offline(False)
            page.wait_for_selector("#grid-sync[data-waiting='0']", timeout=600_000)
            synced_s = time.perf_counter() - started
            assert batches[before:] == [1] * SAVES, "each queued save is one call, sent once"
            online_s = page.evaluate(ONLINE, [f"/api/v1/journals/{JOURNAL}/marks", queued]) / 1000
            browser.close()
    finally:
        server.should_exit = True
    figure(f"offline_sync_{SAVES}_s: queued saves sent after reconnect", synced_s, online_s, "s", False)
    print(f"{'':<48} {SAVES} calls, each save once (checked)")
