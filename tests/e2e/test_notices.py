"""Notices that reach people, end to end on the stack the launcher starts (with its real mail server):
the README's Demo produces real mail — each dispute to its teacher, each reopen visa task to its
approver, the KZ-14 measure to the teacher — each in the recipient's language, with a portal link that
works; an event delivered again sends nothing more."""

from __future__ import annotations

import asyncio
import email
import re
import time
from email.message import Message

import httpx
import nats
import pytest

from deploy.demo.semester import run
from deploy.demo.semester.cast import CASTS
from deploy.demo.university import DEMO_PASSWORD
from deploy.local.mail import subject_of, text_of
from ejournal.gradebook.v1 import events_pb2 as gb
from services.notifier.service_layer.render import Renderer
from tests.stack import Stack

pytestmark = pytest.mark.e2e
DISPUTE = gb.DisputeOpened.DESCRIPTOR.full_name
texts = Renderer("")


def mails(stack: Stack) -> list[Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted((stack.home / "mail").glob("*.eml"))]


def to(stack: Stack, login: str, subject: str) -> list[Message]:
    return [
        m for m in mails(stack) if m["To"] == f"{login}@demo.ejournal.example" and subject_of(m) == subject
    ]


def eventually(check: object, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.5)


async def disputes_and_replay(nats_url: str) -> list[gb.DisputeOpened]:
    """Every DisputeOpened on the gradebook's stream; the last one published again with the same event
    id (a new Nats-Msg-Id, so JetStream's own duplicate window does not hide it)."""
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        info = await js.stream_info("EJOURNAL_GRADEBOOK")
        found, last = [], None
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg("EJOURNAL_GRADEBOOK", seq)
            if message.subject == DISPUTE:
                found.append(gb.DisputeOpened.FromString(message.data or b""))
                last = message
        assert last is not None and last.headers is not None
        headers = {**last.headers, "Nats-Msg-Id": f"replay-{time.time_ns()}"}
        await js.publish(DISPUTE, last.data or b"", headers=headers)
        for _ in range(120):  # until the notifier's consumer has handled everything
            consumer = await js.consumer_info("EJOURNAL_GRADEBOOK", "notifier-gradebook")
            if consumer.num_pending == 0 and consumer.num_ack_pending == 0:
                break
            await asyncio.sleep(0.5)
        return found
    finally:
        await client.close()


@pytest.mark.rule("KG-10", "KZ-13", "KZ-14")
def test_the_demo_semester_sends_real_mail_in_each_recipients_language(stack: Stack) -> None:
    lines: list[str] = []
    assert run(stack.gateway, out=lines.append) == 0, "\n".join(lines)
    kz, kg = CASTS
    dispute_kk = texts.render("dispute_opened", "kk", {"student": "", "value": "", "journal": ""}).subject
    dispute_ky = texts.render("dispute_opened", "ky", {"student": "", "value": "", "journal": ""}).subject
    eventually(lambda: to(stack, kz.teacher.login, dispute_kk) and to(stack, kg.teacher.login, dispute_ky))

    # Each reopen visa task reaches its approver; the confirmed KZ-14 measure reaches the teacher.
    assert kz.reopen is not None
    for role, approver in kz.reopen.visas:
        subject = texts.gettext(approver.language, f"visa requested ({role})")
        eventually(lambda s=subject, a=approver: to(stack, a.login, s))
    measure = texts.render("sanction_confirmed", kz.teacher.language, {"measure": "warning", "reference": ""})
    eventually(lambda: to(stack, kz.teacher.login, measure.subject))

    # The dispute's mail: the teacher's language, the deadline in their zone, a link that works.
    mail = to(stack, kz.teacher.login, dispute_kk)[-1]
    body = text_of(mail)
    assert "Мерзімі:" in body and "(Asia/Almaty, UTC+05:00)" in body
    link = re.search(r"(http://\S+/api/v1/disputes\?journal_id=\S+)", body)
    assert link is not None and link.group(1).startswith(stack.gateway)
    credentials = {"login": kz.teacher.login, "password": DEMO_PASSWORD}
    token = httpx.post(f"{stack.gateway}/api/v1/session", json=credentials).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    opened = httpx.get(link.group(1), headers=bearer)
    assert opened.status_code == 200 and kz.student.id in opened.text

    # The portal's list: the same notice, unread until marked read.
    mine = httpx.get(f"{stack.gateway}/api/v1/my/notices", headers=bearer).json()
    listed = [n for n in mine["notices"] if n["subject"] == dispute_kk]
    assert listed and mine["unread"] >= 1
    marked = httpx.post(f"{stack.gateway}/api/v1/my/notices/read", headers=bearer,
                        json={"notice_ids": [listed[0]["notice_id"]]})  # fmt: skip
    assert marked.status_code == 200 and marked.json()["marked"] == 1

    # One mail per dispute, and a dispute event delivered again sends nothing more.
    disputes = asyncio.run(disputes_and_replay(f"nats://127.0.0.1:{stack.env['EJOURNAL_NATS_PORT']}"))
    teacher_disputes = [d for d in disputes if kz.teacher.id in d.teacher_ids]
    time.sleep(2)  # a dispatch round or more
    assert len(to(stack, kz.teacher.login, dispute_kk)) == len(teacher_disputes)
