"""A reference webhook receiver for ejournal's events (issue 20): verify, deduplicate, handle.

    python examples/webhooks/receiver.py --port 9000 --secret whsec_...   # the secret you were given

Each request is one event in CloudEvents binary mode: the body is the payload (canonical JSON, or
protobuf if you asked for it), the `ce-*` headers are its attributes, and `webhook-id`,
`webhook-timestamp`, `webhook-signature` sign it the Standard Webhooks way. This receiver:

1. verifies the signature (and that the timestamp is within 5 minutes) before reading anything; a
   forged or replayed request gets 401 and is not handled;
2. answers 2xx only once the event is handled (stored); anything else makes ejournal retry, with
   growing delays over about 11 hours, then park it in your dead-letter list (the administrator
   replays it from there);
3. deduplicates by `webhook-id` (= the event's `ce-id`): a retry after a lost answer sends the same
   id again. Keep the ids you handled in your own database, in the same transaction as the effect;
   this example keeps them in memory.

Order: events about one resource (`ce-subject`, e.g. journal/<id>) arrive one at a time, in order;
different resources arrive concurrently.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

TOLERANCE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]

    def json(self) -> Any:
        return json.loads(self.body)


def verify(secret: str, headers: dict[str, str], body: bytes) -> None:
    """Raise WebhookVerificationError unless the request was signed with `secret` in the last 5 minutes."""
    if headers.get("content-type", "").startswith("application/json"):
        Webhook(secret).verify(body, headers)  # the standardwebhooks package does it all for text bodies
        return
    # A binary (protobuf) body: the same HMAC-SHA256 over "{id}.{timestamp}." + the body's bytes.
    msg_id, stamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not stamp.isdigit() or abs(time.time() - int(stamp)) > TOLERANCE_SECONDS:
        raise WebhookVerificationError("missing or stale headers")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
    for candidate in headers.get("webhook-signature", "").split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return
    raise WebhookVerificationError("no matching signature")


class WebhookReceiver:
    """An HTTP server that verifies, deduplicates and hands each new event to `handle`."""

    def __init__(
        self,
        secret: str,
        port: int,
        host: str = "127.0.0.1",
        handle: Callable[[Delivery], None] = lambda delivery: None,
    ) -> None:
        self.secret, self.host, self.port, self._handle = secret, host, port, handle
        self.handled: list[Delivery] = []
        self.duplicates = 0
        self.rejected = 0
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def receive(self, path: str, headers: dict[str, str], body: bytes) -> int:
        try:
            verify(self.secret, headers, body)
        except WebhookVerificationError:
            with self._lock:
                self.rejected += 1
            return 401
        delivery = Delivery(path, headers, body)
        with self._lock:
            if delivery.event_id in self._seen:
                self.duplicates += 1
                return 200
            self._handle(delivery)  # raise to refuse: ejournal retries later
            self._seen.add(delivery.event_id)
            self.handled.append(delivery)
        return 204

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    status = receiver.receive(self.path, headers, body)
                except Exception:
                    status = 500
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--secret", required=True)
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    def show(delivery: Delivery) -> None:
        print(delivery.headers["ce-type"], delivery.headers["ce-subject"], delivery.body[:200])

    receiver = WebhookReceiver(args.secret, args.port, args.host, show)
    receiver.start()
    print(f"listening on http://{args.host}:{receiver.port}/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        receiver.stop()


if __name__ == "__main__":
    main()
