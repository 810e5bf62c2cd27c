"""Telegram, against a local HTTP server implementing the two Bot API calls the notifier uses
(api.telegram.org is unreachable from here). The contract, from https://core.telegram.org/bots/api:

- `POST {base}/getUpdates` with JSON `{"offset": int, "timeout": int}` answers
  `{"ok": true, "result": [{"update_id": int, "message": {"chat": {"id": int}, "text": str}}]}`;
  updates with `update_id` < offset are confirmed and never returned again.
- `POST {base}/sendMessage` with JSON `{"chat_id": str|int, "text": str}` answers
  `{"ok": true, "result": {"message_id": int, ...}}`; an error is `{"ok": false, "error_code": int,
  "description": str}` with a 4xx/5xx status.

`{base}` is `https://api.telegram.org/bot<token>`; the notifier takes it as a setting.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.identity.v1 import identity_service_pb2 as ipb
from ejournal_platform.testing.fixtures import Databases
from services.identity.tests.harness import pid
from services.notifier.adapters.channels import TelegramBot
from services.notifier.service_layer.telegram_link import LINKED, REFUSED, TelegramLinker
from services.notifier.tests.harness import running_notifier

pytestmark = pytest.mark.integration


class BotApi:
    """The Bot API's two calls, in memory: updates to hand out, messages received."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.fail_sends = False

    def answer(self, method: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getUpdates":
            self.updates = [u for u in self.updates if u["update_id"] >= payload.get("offset", 0)]
            return 200, {"ok": True, "result": self.updates}
        if method == "sendMessage":
            if self.fail_sends:
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests"}
            self.sent.append(payload)
            return 200, {
                "ok": True,
                "result": {"message_id": len(self.sent), "chat": {"id": payload["chat_id"]}},
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}


@pytest.fixture
def bot_api() -> Iterator[tuple[BotApi, str]]:
    api = BotApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            method = self.path.rsplit("/", 1)[-1]
            status, body = api.answer(method, payload)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api, f"http://127.0.0.1:{server.server_address[1]}/bot123:TEST"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_person_links_their_chat_by_code_and_then_receives_notices_there(
    databases: Databases, bot_api: tuple[BotApi, str]
) -> None:
    api, base = bot_api
    bot = TelegramBot(base)
    async with running_notifier(databases, {"telegram": bot}) as notifier:
        code = (
            await notifier.identity.call("kz.teacher1", "StartTelegramLink", ipb.StartTelegramLinkRequest())
        ).code
        api.updates = [
            {"update_id": 10, "message": {"chat": {"id": 555}, "text": "/start WRONG1"}},
            {"update_id": 11, "message": {"chat": {"id": 777}, "text": f"/start {code}"}},
        ]
        linker = TelegramLinker(bot, notifier.directory, poll_timeout=0)
        assert await linker.poll_once() == 1
        assert [(m["chat_id"], m["text"].strip()) for m in api.sent] == [("555", REFUSED), ("777", LINKED)]
        assert await linker.poll_once() == 0 and api.updates == []  # confirmed updates do not come back

        await notifier.deliver(gb.DisputeOpened(
            dispute_id="d1", journal_id="j1", student_id=pid("kz.student1"), disputed_value="н/б",
            answer_due_at="2026-12-04T07:00:00+00:00", teacher_ids=[pid("kz.teacher1")],
        ))  # fmt: skip
        api.fail_sends = True  # the Bot API refuses once: the delivery is retried, not lost
        assert await notifier.dispatcher.dispatch_due() == 2  # e-mail (no SMTP here) and Telegram fail
        api.fail_sends = False
        notifier.clock.advance(seconds=60)
        assert await notifier.dispatcher.dispatch_due() == 2
        telegram = [m for m in api.sent if m["chat_id"] == "777"][-1]
        assert telegram["text"].startswith("Студент бағаға дау айтады") and "«н/б»" in telegram["text"]
        outcomes = await notifier.rows(
            "SELECT d.channel, a.outcome, a.error FROM delivery_attempts a"
            " JOIN deliveries d ON d.id = a.delivery_id ORDER BY a.seq"
        )
        by_channel = {(o.channel, o.outcome) for o in outcomes}
        assert {("telegram", "failed"), ("telegram", "sent"), ("email", "failed")} <= by_channel
        assert any("429" in o.error for o in outcomes if o.channel == "telegram")
    await bot.close()
