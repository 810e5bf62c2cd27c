"""A webhook subscriber of one university watching the full-stack scripted semester (issue 20): the
administrator registers it through the gateway before the semester is played; afterwards every
gradebook event of that university that the stack published meanwhile (read back from the internal
JetStream stream, the source of truth) reached the receiver exactly once, signed, in publication order
per subject, and nothing of the other university did."""

from __future__ import annotations

import asyncio
import base64
import os
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx
import nats
from nats.js.api import ConsumerConfig, DeliverPolicy

from deploy.demo import university as demo
from deploy.demo.model import unit_id
from deploy.local.servers import free_port
from ejournal_platform.contract import message_class
from examples.webhooks.receiver import WebhookReceiver
from tests.stack import Stack

STREAM, INTAKE = "EJOURNAL_GRADEBOOK", "subscribers-gradebook"


@dataclass
class Watch:
    receiver: WebhookReceiver
    university_id: str
    other_university_id: str
    since: datetime
    token: str
    subscriber_id: str


def _sign_in(http: httpx.Client, login: str) -> str:
    reply = http.post("/api/v1/session", json={"login": login, "password": demo.DEMO_PASSWORD})
    reply.raise_for_status()
    return str(reply.json()["access_token"])


async def _intake_caught_up(stack: Stack) -> None:
    nc = await nats.connect(f"nats://127.0.0.1:{stack.env['EJOURNAL_NATS_PORT']}")
    try:
        js = nc.jetstream()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            info = await js.consumer_info(STREAM, INTAKE)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"the subscribers service did not catch up with {STREAM}")
    finally:
        await nc.close()


def start_watching(stack: Stack) -> Watch:
    """Register a receiver for kz-kaznmu's gradebook events, once the service has consumed the past."""
    today = date.today()
    university, other = unit_id(demo.KZ_U, today), unit_id(demo.KG_U, today)
    with httpx.Client(base_url=stack.gateway, timeout=30) as http:
        token = _sign_in(http, demo.KZ_ADMIN.login)
        asyncio.run(_intake_caught_up(stack))
        port = free_port()
        secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
        receiver = WebhookReceiver(secret, port)
        receiver.start()
        reply = http.post(
            f"/api/v1/universities/{university}/subscribers",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            json={
                "url": f"http://127.0.0.1:{port}/sis",
                "event_types": ["ejournal.gradebook.>"],
                "name": "SIS",
                "secret": secret,
            },
        )
        assert reply.status_code == 201, reply.text
        body = reply.json()
    return Watch(receiver, university, other, datetime.now(UTC), token, body["subscriber"]["subscriber_id"])


@dataclass(frozen=True)
class Published:
    event_id: str
    subject: str
    university: str | None
    at: datetime


async def _published(stack: Stack) -> list[Published]:
    """Every gradebook event in the internal stream, in stream order, with the university it is of."""
    nc = await nats.connect(f"nats://127.0.0.1:{stack.env['EJOURNAL_NATS_PORT']}")
    try:
        js = nc.jetstream()
        last = (await js.stream_info(STREAM)).state.last_seq
        sub = await js.pull_subscribe(
            "ejournal.gradebook.>", stream=STREAM, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
        )
        journals: dict[str, str] = {}
        found: list[Published] = []
        seq = 0
        while seq < last:
            for msg in await sub.fetch(1000, timeout=10):
                seq = msg.metadata.sequence.stream
                headers = msg.headers or {}
                payload = message_class(headers["ce-type"])()
                payload.ParseFromString(msg.data)
                fields = payload.DESCRIPTOR.fields_by_name
                journal = str(getattr(payload, "journal_id", "")) if "journal_id" in fields else ""
                university = str(getattr(payload, "university_id", "")) if "university_id" in fields else ""
                if university and journal:
                    journals[journal] = university
                of = university or journals.get(journal)
                found.append(Published(headers["ce-id"], headers["ce-subject"], of, msg.metadata.timestamp))
                await msg.ack()
        return found
    finally:
        await nc.close()


def check(stack: Stack, watch: Watch) -> None:
    """Wait for the deliveries to settle, then compare them with the stream."""
    asyncio.run(_intake_caught_up(stack))
    published = asyncio.run(_published(stack))
    ours = [p for p in published if p.university == watch.university_id and p.at >= watch.since]
    assert ours, "the semester published no gradebook event of the watched university"
    headers = {"Authorization": f"Bearer {watch.token}"}
    deadline = time.monotonic() + 240
    with httpx.Client(base_url=stack.gateway, timeout=30) as http:
        while True:
            got = {d.event_id for d in watch.receiver.handled}
            status = http.get(
                f"/api/v1/universities/{watch.university_id}/subscribers", headers=headers
            ).json()
            mine = next(s for s in status["subscribers"] if s["subscriber_id"] == watch.subscriber_id)
            if {p.event_id for p in ours} <= got and int(mine["status"].get("pending", 0)) == 0:
                break
            assert time.monotonic() < deadline, (
                f"{len(got)} of {len(ours)} delivered; status {mine['status']}"
            )
            time.sleep(0.5)
    receiver = watch.receiver
    handled = receiver.handled
    # Exactly once, signed (the receiver verified each; nothing was refused).
    assert receiver.duplicates == 0 and receiver.rejected == 0
    assert len({d.event_id for d in handled}) == len(handled)
    # Nothing of the other university; everything received is of ours (or before our window).
    by_id = {p.event_id: p for p in published}
    assert all(by_id[d.event_id].university == watch.university_id for d in handled if d.event_id in by_id)
    assert not any(by_id[d.event_id].university == watch.other_university_id for d in handled)
    # In publication order per subject.
    position = {p.event_id: i for i, p in enumerate(published)}
    per_subject: dict[str, list[int]] = defaultdict(list)
    for d in handled:
        per_subject[d.headers["ce-subject"]].append(position[d.event_id])
    assert all(order == sorted(order) for order in per_subject.values())
    receiver.stop()
