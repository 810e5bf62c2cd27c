"""Notices delivered through a real SMTP server process: once, in the recipient's language; retries then
the dead-letter stream when the server fails; a day's digest as one message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from deploy.local.mail import subject_of, text_of
from deploy.local.servers import NatsServer, free_port
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.identity.v1 import identity_service_pb2 as ipb
from ejournal.notifier.v1 import events_pb2 as nev
from ejournal.workflow.v1 import events_pb2 as wev
from ejournal_platform.events import stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxRelay, OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from services.identity.tests.harness import pid
from services.notifier.adapters import tables
from services.notifier.adapters.channels import Sender, SmtpChannel, SmtpConnection
from services.notifier.service_layer.deps import Deps
from services.notifier.tests.harness import PORTAL, mail_server, running_notifier, smtp_to

pytestmark = pytest.mark.integration
ABOUT_CASE = "journal {journal}, section {section}, teacher {teacher_person}"


def dispute(value: str = "н/б") -> gb.DisputeOpened:
    return gb.DisputeOpened(
        dispute_id="d1", journal_id="j1", column_id="c1", student_id=pid("kz.student1"), disputed_value=value,
        opened_at="2026-12-02T07:00:00+00:00", answer_due_at="2026-12-04T07:00:00+00:00",
        teacher_ids=[pid("kz.teacher1")],
    )  # fmt: skip


async def test_a_dispute_reaches_its_teacher_once_in_their_language(
    databases: Databases, tmp_path: Path
) -> None:
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            event_id = await notifier.deliver(dispute())
            assert await notifier.dispatcher.dispatch_due() == 1
            (mail,) = server.messages()
            assert mail["To"] == "kz.teacher1@demo.ejournal.example"
            assert subject_of(mail) == "Студент бағаға дау айтады"  # kz.teacher1 reads Kazakh
            body = text_of(mail)
            assert "Жұмабеков" in body and "«н/б»" in body  # the student by name; the mark value is data
            assert "4 желтоқсан 2026, 12:00 (Asia/Almaty, UTC+05:00)" in body
            assert f"{PORTAL}/api/v1/disputes?journal_id=j1" in body
            # The same event again (a redelivery past the inbox): no second notice, no second mail.
            await notifier.deliver(dispute(), event_id)
            assert await notifier.dispatcher.dispatch_due() == 0
            assert len(server.messages()) == 1
            assert await notifier.rows("SELECT outcome FROM delivery_attempts") == [("sent",)]
            # Issue 18: the notice, its delivery and its attempts carry the recipient's university
            # (identity's ResolveRecipients says it; the database copies it down).
            universities = await notifier.rows(
                "SELECT n.university_id, d.university_id, a.university_id FROM notices n"
                " JOIN deliveries d ON d.notice_id = n.id JOIN delivery_attempts a ON a.delivery_id = d.id"
            )
            teacher = await notifier.identity.call(
                "kz.admin", "GetPerson", ipb.GetPersonRequest(person_id=pid("kz.teacher1"))
            )
            assert universities == [(teacher.person.placement.university_id,) * 3] and universities[0][0]
    finally:
        server.stop()


async def test_a_failing_smtp_server_leads_to_retries_then_the_dead_letter_stream(
    databases: Databases, nats_server: NatsServer, tmp_path: Path
) -> None:
    server = mail_server(tmp_path / "mail", free_port(), refuse=True)
    nc = await connect(nats_server.url, "notifier-dead-letters")
    js = nc.jetstream()
    await ensure_stream(js, "notifier")
    try:
        async with running_notifier(
            databases, {"email": smtp_to(server)}, retry_delays=(60, 300)
        ) as notifier:
            await notifier.deliver(dispute())
            assert await notifier.dispatcher.dispatch_due() == 1
            assert await notifier.dispatcher.dispatch_due() == 0  # not due again before its backoff
            notifier.clock.advance(seconds=60)
            assert await notifier.dispatcher.dispatch_due() == 1
            notifier.clock.advance(seconds=299)
            assert await notifier.dispatcher.dispatch_due() == 0
            notifier.clock.advance(seconds=1)
            assert await notifier.dispatcher.dispatch_due() == 1
            attempts = await notifier.rows("SELECT outcome, error FROM delivery_attempts ORDER BY seq")
            assert [a.outcome for a in attempts] == ["failed", "failed", "dead_lettered"]
            assert all("451" in a.error for a in attempts)
            assert await notifier.rows("SELECT status, attempts FROM deliveries") == [("dead", 3)]
            (payload,) = [r.payload for r in await notifier.rows("SELECT payload FROM outbox")]
            dead = nev.DeliveryDeadLettered.FromString(payload)
            # Nothing lost: the dead letter carries the whole message and where it was going.
            assert (dead.address, dead.attempts, dead.subject) == (
                "kz.teacher1@demo.ejournal.example", 3, "Студент бағаға дау айтады",
            )  # fmt: skip
            assert "«н/б»" in dead.body and server.messages() == []
            notifier.clock.advance(days=1)
            assert await notifier.dispatcher.dispatch_due() == 0  # dead stays dead: no endless retries
            # The outbox relay puts it on the notifier's stream, where an operator's tools read it.
            relay = OutboxRelay(notifier.engine, OutboxWriter(tables.outbox), js, "ejournal/notifier")
            assert await relay.publish_pending() == 1
            subject = nev.DeliveryDeadLettered.DESCRIPTOR.full_name
            on_stream = await js.get_last_msg(stream_name("notifier"), subject)
            assert nev.DeliveryDeadLettered.FromString(on_stream.data or b"") == dead
    finally:
        server.stop()
        await nc.close()


async def test_a_digest_gathers_a_days_notices_into_one_message(databases: Databases, tmp_path: Path) -> None:
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            digest = [ipb.NoticePreference(category="dispute", delivery="daily_digest")]
            await notifier.identity.call("kz.teacher1", "UpdateContacts", ipb.UpdateContactsRequest(
                person_id=pid("kz.teacher1"), language="ru", timezone="Asia/Almaty", digest_hour=18,
                email="kz.teacher1@demo.ejournal.example", preferences=digest,
            ))  # fmt: skip
            await notifier.deliver(dispute("н/б"))
            await notifier.deliver(dispute("0"))
            closed = gb.SectionClosed(journal_id="j1", teacher_ids=[pid("kz.teacher1")], statement_number=7)
            await notifier.deliver(closed)
            assert await notifier.dispatcher.dispatch_due() == 1  # the section's notice is immediate
            assert [subject_of(m) for m in server.messages()] == ["Раздел журнала закрыт"]
            notifier.clock.advance(hours=5, seconds=59 * 60)  # 17:59 in Almaty
            assert await notifier.dispatcher.dispatch_due() == 0
            notifier.clock.advance(minutes=1)  # 18:00: the day's digest
            assert await notifier.dispatcher.dispatch_due() == 2
            digest_mail = server.messages()[1]
            assert subject_of(digest_mail) == "Ваши уведомления за день"
            body = text_of(digest_mail)
            assert body.count("Студент оспаривает оценку") == 2 and "«н/б»" in body and "«0»" in body
            assert len(server.messages()) == 2
            sent = await notifier.rows("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'")
            assert sent[0].n == 3
    finally:
        server.stop()


async def test_my_notices_read_and_unread(databases: Databases, tmp_path: Path) -> None:
    from ejournal_platform.context import Principal
    from ejournal_platform.pagination import page_request
    from services.notifier.service_layer import my_notices

    async with running_notifier(databases, {}) as notifier:
        await notifier.deliver(dispute())
        teacher = Principal(subject=pid("kz.teacher1"))
        deps = Deps.over(notifier.sessions, notifier.clock)
        rows, unread, _ = await my_notices.list_my_notices(
            deps, teacher, False, page_request(0, "")
        )
        assert unread == 1 and rows[0].subject == "Студент бағаға дау айтады"
        other = Principal(subject=pid("kz.teacher2"))
        read = my_notices.MarkNoticesRead(notice_ids=(str(rows[0].id),))
        assert await my_notices.mark_read(deps, other, read) == 0
        assert await my_notices.mark_read(deps, teacher, read) == 1
        rows, unread, _ = await my_notices.list_my_notices(
            deps, teacher, True, page_request(0, "")
        )
        assert (list(rows), unread) == ([], 0)
        async with notifier.engine.connect() as conn:
            undelivered = (await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar()
        assert undelivered == 1  # no channel configured: the delivery waits, nothing is dropped


class CountingSmtp(SmtpChannel):
    """The real SMTP channel, counting the connections its batches open (the server is real)."""

    connections = 0

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[Sender]:
        async with super().batch() as connection:
            yield connection
            assert isinstance(connection, SmtpConnection)
            self.connections += connection.opened


async def test_a_round_of_messages_travels_over_one_smtp_connection(
    databases: Databases, tmp_path: Path
) -> None:
    server = mail_server(tmp_path / "mail", free_port())
    smtp = CountingSmtp("127.0.0.1", server.port, "ejournal <noreply@ejournal.example>", timeout=5)
    try:
        async with running_notifier(databases, {"email": smtp}) as notifier:
            for n in range(5):
                await notifier.deliver(
                    gb.SectionClosed(journal_id=f"j{n}", teacher_ids=[pid("kz.teacher1")], statement_number=n)
                )
            assert await notifier.dispatcher.dispatch_due() == 5
            assert len(server.messages()) == 5
            assert smtp.connections == 1
            sent = await notifier.rows("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'")
            assert sent[0].n == 5
    finally:
        server.stop()


async def test_a_refused_message_leaves_the_rest_of_the_round_to_go_out(
    databases: Databases, tmp_path: Path
) -> None:
    """The round's first message refused: the shared connection is reset, not lost, and the rest go."""
    server = mail_server(tmp_path / "mail", free_port())
    smtp = CountingSmtp("127.0.0.1", server.port, "ejournal <noreply@ejournal.example>", timeout=5)
    try:
        async with running_notifier(databases, {"email": smtp}) as notifier:
            for n in range(3):
                await notifier.deliver(
                    gb.SectionClosed(journal_id=f"j{n}", teacher_ids=[pid("kz.teacher1")], statement_number=n)
                )
                notifier.clock.advance(seconds=1)  # due one after another: the first goes first
            # An address the server cannot take as a mailbox is refused at RCPT TO.
            async with notifier.engine.begin() as conn:
                await conn.execute(text(
                    "UPDATE deliveries SET address = 'broken address@' WHERE id = "
                    "(SELECT id FROM deliveries ORDER BY due_at LIMIT 1)"
                ))  # fmt: skip
            assert await notifier.dispatcher.dispatch_due() == 3
            assert len(server.messages()) == 2
            outcomes = await notifier.rows("SELECT outcome, count(*) AS n FROM delivery_attempts GROUP BY 1")
            assert sorted((o.outcome, o.n) for o in outcomes) == [("failed", 1), ("sent", 2)]
            assert smtp.connections == 1
    finally:
        server.stop()


async def test_a_workflow_notice_built_at_run_time_arrives_in_the_readers_language_with_names(
    databases: Databases, tmp_path: Path
) -> None:
    """The workflow sends catalog keys and values; a person id among them is shown as the name."""
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            teacher = pid("kz.teacher1")
            values = {"journal": "ЖМ-21-01", "section": "ST-1", "teacher_person": teacher,
                      "due_at": "2026-12-04T07:00:00+00:00"}  # fmt: skip
            await notifier.deliver(wev.NotificationRequested(
                recipient_id=teacher, kind="reopen_case", what="no correction by …",
                what_key="the section re-closed at the deadline; lateness recorded",
                why_key="no correction by {due_at}: " + ABOUT_CASE,
                values=values,
            ))  # fmt: skip
            assert await notifier.dispatcher.dispatch_due() == 1
            (mail,) = server.messages()
            assert subject_of(mail) == "Бөлім мерзімінде қайта жабылды; кешігу тіркелді"
            body = text_of(mail)
            assert "4 желтоқсан 2026, 12:00 (Asia/Almaty, UTC+05:00) дейін түзету енгізілмеді" in body
            assert "оқытушы Әбілқасымова" in body and teacher not in body  # the name, not the id
    finally:
        server.stop()


async def test_a_journal_is_named_by_its_discipline_group_and_lesson_type_in_the_readers_language(
    databases: Databases, tmp_path: Path
) -> None:
    """Statement-deadline and reopen texts carry journal ids; the mail names each journal as the
    gradebook's JournalOpened did, in the reader's language (a journal never opened here: its id)."""
    server = mail_server(tmp_path / "mail", free_port())
    try:
        async with running_notifier(databases, {"email": smtp_to(server)}) as notifier:
            teacher, journal = pid("kz.teacher1"), "0b7c1f0e-5d1a-4c53-9a55-3f1f6a0f2c11"
            discipline = "ПВБ-3201 Пропедевтика внутренних болезней"
            names = gb.StructureNames(group="ЖМ-21-01", discipline=discipline)
            await notifier.deliver(gb.JournalOpened(
                journal_id=journal, group_id="g-1", profile_code="kz-medical", lesson_type="practical",
                title="Пропедевтика внутренних болезней", teacher_ids=[teacher], names=names,
            ))  # fmt: skip
            values = {"control_event": "ce-1", "deadline_at": "2026-12-05T18:59:00+00:00", "cells": "12",
                      "journal": journal}  # fmt: skip
            await notifier.deliver(wev.NotificationRequested(
                recipient_id=teacher, kind="statement", what=f"… journal {journal}",
                what_key="statement not formed by the deadline: {cells} cells unfilled in journal {journal}",
                why_key="the statement of control event {control_event} is due {deadline_at} (KZ-15)",
                values=values,
            ))  # fmt: skip
            await notifier.deliver(wev.NotificationRequested(
                recipient_id=teacher, kind="statement", what="…",
                what_key="{count} journals still incomplete before the statement deadline: {journals}",
                why_key="the statement of control event {control_event} is due {deadline_at} (KZ-15)",
                values={**values, "count": "2", "journals": f"{journal}, never-opened"},
            ))  # fmt: skip
            assert await notifier.dispatcher.dispatch_due() == 2
            late, both = server.messages()
            assert subject_of(late) == (
                "Ведомость мерзімінде жасалмады: «ПВБ-3201 Пропедевтика внутренних болезней» "
                "(ЖМ-21-01, практикалық) журналында толтырылмаған ұяшықтар: 12"
            )
            assert journal not in text_of(late)
            assert subject_of(both) == (
                "Ведомость мерзіміне дейін толтырылмаған журналдар: 2 («ПВБ-3201 Пропедевтика внутренних "
                "болезней» (ЖМ-21-01, практикалық), never-opened)"
            )
    finally:
        server.stop()
