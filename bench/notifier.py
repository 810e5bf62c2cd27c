"""The notifier's figure: notices rendered and handed to SMTP per second, beside a bare aiosmtplib send
of the same messages to the same server, in the same run.

    .venv/bin/python -m bench notifier

Ours, per notice: the event's template rendered in the recipient's language (Jinja2 + Babel catalog, the
deadline in their zone), the notice and its delivery stored (real PostgreSQL, one transaction per event
as the consumer runs it), then the dispatcher takes due deliveries (FOR UPDATE SKIP LOCKED), sends each
through aiosmtplib over one SMTP connection per round and records the attempt. Raw: the identical
already-rendered messages sent bare by aiosmtplib over one connection; and, as the second figure,
`aiosmtplib.send` per message (a connection each, as the notifier did before it kept one). The mail
server is the local stack's (aiosmtpd, every message kept as .eml). Recipients come from a fixed in-
memory directory: identity's ResolveRecipients is a gRPC round trip measured with identity's own
figures, not here.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.harness import servers
from bench.report import figure, median
from deploy.local.mail import MailServer
from deploy.local.servers import free_port
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.logging import configure_logging
from ejournal_platform.outbox import OutboxWriter
from services.notifier.adapters import tables
from services.notifier.adapters.channels import SmtpChannel, email_message
from services.notifier.domain.notices import Audience, Recipient
from services.notifier.service_layer.dispatch import Dispatcher
from services.notifier.service_layer.intake import Intake
from services.notifier.service_layer.render import Renderer

N = 300
SENDER = "ejournal <noreply@ejournal.example>"
TEACHER = Recipient("t1", "Әбілқасымова Гүлнұр Серікқызы", "kz.teacher1@demo.ejournal.example", language="kk")
STUDENT = Recipient("s1", "Жұмабекова Айгерім Қуанышқызы", language="kk")


class FixedDirectory:
    async def recipients(self, audience: Audience) -> list[Recipient]:
        return [TEACHER] if TEACHER.person_id in audience.person_ids else [STUDENT]

    async def link_telegram(self, code: str, chat_id: str) -> str:
        raise NotImplementedError


def dispute(i: int) -> ReceivedEvent:
    payload = gb.DisputeOpened(
        dispute_id=f"d{i}", journal_id="j1", student_id="s1", disputed_value="н/б",
        answer_due_at="2026-12-04T07:00:00+00:00", teacher_ids=["t1"],
    )  # fmt: skip
    return ReceivedEvent(
        str(uuid.uuid4()), payload.DESCRIPTOR.full_name, "bench", "", "", payload.SerializeToString(), {}
    )


async def ours(url: str, smtp: SmtpChannel) -> tuple[float, list[tuple[str, str]]]:
    engine = make_engine(url, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    renderer = Renderer("http://127.0.0.1:8080")
    clock = lambda: datetime.now(UTC)  # noqa: E731
    outbox = OutboxWriter(tables.outbox)
    dispatcher = Dispatcher(lambda: UnitOfWork(sessions, outbox), {"email": smtp}, renderer, clock,
                            retry_delays=(60,), batch=100)  # fmt: skip
    intake = Intake(FixedDirectory(), renderer, clock)
    started = time.perf_counter()
    for i in range(N):
        async with UnitOfWork(sessions, outbox) as uow:
            await intake.handle(uow, dispute(i))
            await uow.commit()
    stored = time.perf_counter()
    while await dispatcher.dispatch_due():
        pass
    took = time.perf_counter() - started
    intake_rate, dispatch_rate = N / (stored - started), N / (took - (stored - started))
    print(f"  round: intake (render + store) {intake_rate:,.0f} notices/s, dispatch {dispatch_rate:,.0f}/s")
    async with sessions() as session:
        rendered = [(r.subject, r.body) for r in (await session.execute(select(tables.notices))).all()]
    await engine.dispose()
    return N / took, rendered


async def raw(messages: list[tuple[str, str]], port: int) -> float:
    started = time.perf_counter()
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port) as smtp:
        for subject, body in messages:
            await smtp.send_message(email_message(SENDER, TEACHER.email, subject, body))
    return len(messages) / (time.perf_counter() - started)


async def raw_connection_each(messages: list[tuple[str, str]], port: int) -> float:
    started = time.perf_counter()
    for subject, body in messages:
        await aiosmtplib.send(
            email_message(SENDER, TEACHER.email, subject, body), hostname="127.0.0.1", port=port
        )
    return len(messages) / (time.perf_counter() - started)


async def main() -> None:
    configure_logging("bench", "WARNING", "console")
    with servers() as s, tempfile.TemporaryDirectory(prefix="ejournal-mail-") as tmp:
        mail = MailServer(Path(tmp), free_port())
        mail.start()
        try:
            smtp = SmtpChannel("127.0.0.1", mail.port, SENDER)
            ours_rates, raw_rates, each_rates = [], [], []
            for round_ in range(3):  # medians of 3, alternating so both see the same machine
                rate, rendered = await ours(s.database(f"bench_notifier_{round_}", "notifier"), smtp)
                ours_rates.append(rate)
                raw_rates.append(await raw(rendered, mail.port))
                each_rates.append(await raw_connection_each(rendered, mail.port))
            assert len(mail.messages()) == 3 * 3 * N  # every message of every side arrived
            figure(
                "notices rendered, stored and sent by SMTP /s", median(ours_rates), median(raw_rates), "msg/s"
            )
            figure(
                "notices sent /s vs bare aiosmtplib.send, a connection each",
                median(ours_rates),
                median(each_rates),
                "msg/s",
            )
        finally:
            mail.stop()
