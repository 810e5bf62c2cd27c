"""Saves queued in the outbox are sent from any portal page of the person (issue 21), not only from
the grid or lesson page of their journal: offline.mjs, loaded by every page, drains the whole queue
(grid-save.mjs drainAll) under the Web Lock the savers take. Run in Chromium without the stack: the
portal's static files and a stand-in API are served by routes on a localhost origin (a secure
context, so Web Locks exist)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserType, Page, Route

from tests.e2e.portal.browser import CHROMIUM

pytestmark = pytest.mark.e2e
STATIC = Path(__file__).parents[3] / "services" / "portal" / "static"
ORIGIN = "http://localhost:9"
PERSON = "p-any-page"

PAGE = f"""<!doctype html><html lang="ru">
<head><script type="module" src="/static/js/offline.mjs"></script></head>
<body data-person="{PERSON}" data-teacher="false"><p id="status"></p></body></html>"""


class Portal:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.posts: list[tuple[str, str, list[dict[str, object]]]] = []
        self.online = True
        page.route(f"{ORIGIN}/**", self.serve)

    def serve(self, route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        if path.startswith("/static/"):
            source = (STATIC / path.removeprefix("/static/")).read_bytes()
            route.fulfill(body=source, content_type="text/javascript")
        elif path.startswith("/api/v1/journals/") and route.request.method == "POST":
            body = json.loads(route.request.post_data or "{}")
            journal = path.split("/")[4]
            self.posts.append((journal, route.request.headers.get("idempotency-key", ""), body["cells"]))
            cells = [{**cell, "version": 1} for cell in body["cells"]]
            route.fulfill(status=200, content_type="application/json", body=json.dumps({"cells": cells}))
            self.page.evaluate("window.sent = (window.sent || 0) + 1")
        elif path == "/bare":  # the origin without offline.mjs, to set the outbox up
            route.fulfill(content_type="text/html", body="<!doctype html><title>bare</title>")
        elif path.startswith("/"):
            route.fulfill(status=404 if path == "/sw.js" else 200, content_type="text/html", body=PAGE)

    def queue(self, saves: list[tuple[str, str]]) -> None:
        """Put saves (journal, value) in the person's outbox, as closed grid pages would have left them."""
        self.page.evaluate(
            """async ([person, saves]) => {
              const { Outbox } = await import("/static/js/outbox.mjs");
              const outbox = await Outbox.open(person);
              await outbox.write(saves.map(([journal, value], i) => ["add", "saves", {
                journal, of: "marks", lesson: "", key: `key-${i}`, sent: false,
                cells: [{
                  column_id: "c1", student_id: "s1", value, expected_version: 0,
                  typed_at: "2026-12-02T10:00:00Z",
                }],
              }]));
              outbox.close();
            }""",
            [PERSON, saves],
        )

    def left(self) -> list[str]:
        found = self.page.evaluate(
            """async (person) => {
              const { Outbox } = await import("/static/js/outbox.mjs");
              const outbox = await Outbox.open(person);
              const saves = await outbox.all("saves");
              outbox.close();
              return saves.sort((a, b) => a.seq - b.seq).map((s) => s.journal);
            }""",
            PERSON,
        )
        return list(found)


@pytest.fixture
def portal(chromium: BrowserType) -> Iterator[Portal]:
    browser = chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    page = browser.new_page()
    yield Portal(page)
    browser.close()


def test_saves_of_every_journal_are_sent_from_a_page_that_is_no_journal_of_theirs(portal: Portal) -> None:
    portal.page.goto(f"{ORIGIN}/bare")
    portal.queue([("j-a", "5"), ("j-b", "4"), ("j-a", "3")])
    portal.page.goto(f"{ORIGIN}/notices")  # any page: offline.mjs sends the queue
    portal.page.wait_for_function("(n) => window.sent === n", arg=3)
    # Journal by journal, in the order each journal's first save was made, each save once, its own key.
    assert [(j, key, [c["value"] for c in cells]) for j, key, cells in portal.posts] == [
        ("j-a", "key-0", ["5"]),
        ("j-a", "key-2", ["3"]),
        ("j-b", "key-1", ["4"]),
    ]
    assert portal.posts[1][2][0]["expected_version"] == 1  # rebased onto the version the first save made
    assert portal.left() == []


def test_the_journal_a_page_sends_itself_is_left_to_it_and_another_page_sending_is_waited_for(
    portal: Portal,
) -> None:
    portal.page.goto(f"{ORIGIN}/bare")
    portal.queue([("j-open", "5"), ("j-other", "4")])
    # Another page of the person holds the lock (sending): nothing goes out until it lets go.
    portal.page.evaluate(
        """(person) => {
          const held = () => new Promise((done) => { window.letGo = done; });
          navigator.locks.request(`ejournal-outbox-${person}`, held);
        }""",
        PERSON,
    )
    result = portal.page.evaluate(
        """async (person) => {
          let posts = 0;
          const fetching = window.fetch;
          window.fetch = (...args) => { posts += 1; return fetching(...args); };
          const { drainAll } = await import("/static/js/grid-save.mjs");
          const draining = drainAll(person, { except: ["j-open"] });
          const tick = () => new Promise((done) => setTimeout(done, 10));
          while (!(await navigator.locks.query()).pending.length) await tick();
          const before = posts; // drainAll waits in the lock's queue
          window.letGo();
          return { before, result: await draining };
        }""",
        PERSON,
    )
    assert result["before"] == 0
    assert result["result"] == {"sent": 1, "held": 0, "signin": False}
    assert [j for j, _, _ in portal.posts] == ["j-other"]
    assert portal.left() == ["j-open"]  # the grid page of j-open sends it with its own saver
