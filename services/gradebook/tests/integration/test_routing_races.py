"""A row and the structure that places it, written at once by two transactions, do not miss each other
(issue 18, migration 0010_routing_locks_parent): under READ COMMITTED the row's fill trigger saw no
university (the structure not committed yet) and the structure's routing saw no row (not committed
yet), so the row kept NULL for ever.

Each race is played deterministically, without timers: the first side's transaction is left open, the
second side runs until it has finished or waits for a lock (seen in pg_stat_activity), then the first
commits, then the second. Each is also played on migration 0009's schema, where the rows stay unrouted:
the tests can fail."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import psycopg
import pytest
from google.protobuf.message import Message

from deploy.ops.unrouted import unrouted
from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.locks import done_or_blocked
from services.gradebook.adapters import cells_sql
from services.gradebook.tests.world import LESSON_TYPES, JournalSetup, World, new_id, world

pytestmark = pytest.mark.integration

BEFORE_THE_LOCKS = "0009_record_learns_university"


@pytest.fixture
async def old(databases: Databases) -> AsyncIterator[World]:
    """A gradebook on migration 0009's schema (as its owner: the service's role is provisioned later)."""
    url = databases.migrated_to("gradebook", BEFORE_THE_LOCKS)
    async with world(url, databases.admin_url(url)) as found:
        yield found


def received(message: Message) -> ReceivedEvent:
    return ReceivedEvent(
        new_id(), message.DESCRIPTOR.full_name, "test", "", "", message.SerializeToString(), {}
    )


async def applied(w: World, messages: Sequence[Message], opened: asyncio.Event | None = None,
                  release: asyncio.Event | None = None) -> None:  # fmt: skip
    """The messages applied in one consumer transaction (as a batch consumer does); with `opened` and
    `release`, the transaction stays open between applying them and committing."""
    async with w.gradebook.unit_of_work() as uow:
        for message in messages:
            await w.projector.handle(uow, received(message))
        if opened is not None and release is not None:
            opened.set()
            await release.wait()
        await uow.commit()


async def race(w: World, first: Sequence[Message], second: Sequence[Message]) -> None:
    """`first` applied and left uncommitted while `second` is applied; then both commit."""
    opened, release = asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(applied(w, first, opened, release))
    await opened.wait()
    other = asyncio.create_task(applied(w, second))
    await done_or_blocked(other, w.admin_url)
    release.set()
    await holder
    await other


def structure_of(university: str, faculty: str, department: str, group: str) -> list[Message]:
    """Curriculum's structure for a journal: university > faculty > department, specialty > group."""
    specialty = new_id()
    units = [
        (university, "university", ""),
        (faculty, "faculty", university),
        (department, "department", faculty),
        (specialty, "specialty", faculty),
        (group, "group", specialty),
    ]
    return [
        cur.StructureUnitDefined(unit_id=unit, kind=kind, code=kind[:3], title=kind, parent_id=parent,
                                 defined_at="2026-09-01T00:00:00+00:00")
        for unit, kind, parent in units
    ]  # fmt: skip


async def journal_events(w: World, **options: object) -> tuple[list[Message], JournalSetup]:
    """The events World.journal applies (course unit, enrollments, teaching load, lessons, control
    events), collected instead of applied, so a test can apply them in one transaction of its own."""
    collected: list[Message] = []

    async def collect(*messages: Message) -> None:
        collected.extend(messages)

    w.apply = collect  # type: ignore[method-assign]
    try:
        j = await w.journal(**options)  # type: ignore[arg-type]
    finally:
        del w.apply
    return collected, j


async def a_journal_opened_while_its_structure_arrives(w: World, *, structure_first: bool) -> str:
    """Curriculum's consumer opens a journal (its course unit, group, teaching load, lessons and control
    events) while the structure that places it is being applied by another; the university."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    journal, _ = await journal_events(w, faculty_id=faculty, department_id=department, group_id=group)
    structure = structure_of(university, faculty, department, group)
    await race(w, *((structure, journal) if structure_first else (journal, structure)))
    return university


ORDERS = pytest.mark.parametrize("structure_first", [False, True], ids=["journal-first", "structure-first"])


@ORDERS
async def test_a_journal_opened_while_its_structure_arrives_is_routed(
    w: World, structure_first: bool
) -> None:
    university = await a_journal_opened_while_its_structure_arrives(w, structure_first=structure_first)
    assert unrouted("gradebook", w.admin_url) == []
    rows = await admin_rows(w, "SELECT DISTINCT university_id::text FROM journals")
    assert rows == [(university,)]


@ORDERS
async def test_without_the_locks_the_journal_waits_for_ever(old: World, structure_first: bool) -> None:
    """The same race on 0009's schema leaves the journal (and what hangs from it) without a university."""
    await a_journal_opened_while_its_structure_arrives(old, structure_first=structure_first)
    left = {u.table for u in unrouted("gradebook", old.admin_url)}
    assert "journals" in left or "columns" in left, left


async def a_lesson_scheduled_while_the_structure_arrives(w: World, *, structure_first: bool) -> JournalSetup:
    """A journal opened (and written) before its structure; then a lesson is scheduled for it (a new
    column and lesson) while the structure arrives."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    await w.write(j, [(j.lessons[0], j.students[0], "80")])
    lesson = cur.LessonScheduled(
        lesson_id=new_id(), course_unit_id=j.course_unit_id, group_id=j.group_id,
        lesson_type=LESSON_TYPES["practical"], date="2026-09-20", starts_at="09:00", ends_at="10:30",
        classroom_id=j.classroom_id, topic="Жаңа",
        number=9, teacher_id=j.teacher_id, term_id=j.term_id, revision=1,
    )  # fmt: skip
    structure = structure_of(university, faculty, department, group)
    await race(w, *((structure, [lesson]) if structure_first else ([lesson], structure)))
    return j


@ORDERS
async def test_a_column_added_while_the_structure_arrives_is_routed(w: World, structure_first: bool) -> None:
    j = await a_lesson_scheduled_while_the_structure_arrives(w, structure_first=structure_first)
    assert unrouted("gradebook", w.admin_url) == []
    rows = await admin_rows(w, "SELECT count(*) FROM columns WHERE journal_id = %s", j.journal_id)
    assert int(str(rows[0][0])) > len(j.lessons) + len(j.sections)  # the new lesson's column is among them


@ORDERS
async def test_without_the_locks_the_column_waits_for_ever(old: World, structure_first: bool) -> None:
    await a_lesson_scheduled_while_the_structure_arrives(old, structure_first=structure_first)
    left = {u.table for u in unrouted("gradebook", old.admin_url)}
    assert {"columns", "lessons"} & left, left


async def admin_rows(w: World, statement: str, *params: object) -> list[tuple[object, ...]]:
    url = w.admin_url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        found = await conn.execute(statement, params or None)
        return await found.fetchall()


async def marks_university(w: World, j: JournalSetup) -> list[tuple[object, ...]]:
    return await admin_rows(
        w,
        "SELECT DISTINCT university_id::text FROM marks WHERE journal_id = %s"
        " UNION SELECT DISTINCT university_id::text FROM history WHERE journal_id = %s",
        j.journal_id,
        j.journal_id,
    )


async def test_a_teachers_write_during_the_routing_waits_for_it(w: World) -> None:
    """The structure arrives first (uncommitted); a teacher's save of the unplaced journal waits for it
    on the chain head and then writes its marks and history with the university. Passes on 0009 too:
    it holds the routing to updating the head before the cells."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    opened, release = asyncio.Event(), asyncio.Event()
    structure = structure_of(university, faculty, department, group)
    holder = asyncio.create_task(applied(w, structure, opened, release))
    await opened.wait()
    save = asyncio.create_task(w.write(j, [(j.lessons[0], j.students[0], "80")]))
    await done_or_blocked(save, w.admin_url)
    release.set()
    await holder
    await save
    assert await marks_university(w, j) == [(university,)]
    assert unrouted("gradebook", w.admin_url) == []


async def test_a_write_holding_the_chain_head_is_waited_for_without_a_deadlock(w: World) -> None:
    """A writer has locked the chain head (cells_sql.LOCK_HEAD, as every save does first) when the
    structure arrives; the routing waits for the head; then the writer inserts marks and history still
    without a university (its journal has none yet) and commits. The routing then routes them. Had the
    routing taken the journal's key before the head, the writer's marks would wait for that key while
    the routing waits for the head: a deadlock."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    journal_id = uuid.UUID(j.journal_id)
    url = w.url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url) as writer:  # the service's role
        position, head = await cells_sql.lock_chain_head(writer, journal_id)
        routing = asyncio.create_task(applied(w, structure_of(university, faculty, department, group)))
        await done_or_blocked(routing, w.admin_url)
        assert not routing.done(), "the routing waits for the writer's chain head"
        await cells_sql.upsert_marks(
            writer, journal_id, datetime.now(UTC), j.teacher_id, [j.lessons[0]], [j.students[0]], ["80"], [1]
        )
        await writer.execute(
            "INSERT INTO history (journal_id, position, kind, column_id, student_id, new_value, author_id,"
            " recorded_at, prev_hash, hash, term_id)"
            " VALUES (%s, %s, 'mark', %s, %s, '80', 't', now(), %s, %s, %s)",
            (journal_id, position + 1, j.lessons[0], j.students[0], head, b"\xab" * 32, j.term_id),
        )
        await writer.commit()
    await routing
    assert await marks_university(w, j) == [(university,)]


async def a_dispute_opened_while_the_structure_arrives(w: World) -> JournalSetup:
    """A student disputes a mark of an unplaced journal (OpenDispute: a dispute and its first message)
    while the structure that places the journal is being applied, not yet committed."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    await w.write(j, [(j.lessons[0], j.students[0], "60")])
    opened, release = asyncio.Event(), asyncio.Event()
    structure = structure_of(university, faculty, department, group)
    holder = asyncio.create_task(applied(w, structure, opened, release))
    await opened.wait()
    request = pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=j.lessons[0], message="Мен 80 алдым")

    async def open_dispute() -> None:
        await w.rpc.OpenDispute(request, metadata=w.student(j.students[0]))

    dispute = asyncio.create_task(open_dispute())
    await done_or_blocked(dispute, w.admin_url)
    release.set()
    await holder
    await dispute
    return j


async def test_a_dispute_opened_while_the_structure_arrives_is_routed(w: World) -> None:
    j = await a_dispute_opened_while_the_structure_arrives(w)
    assert unrouted("gradebook", w.admin_url) == []
    assert await admin_rows(w, "SELECT count(*) FROM dispute_messages") == [(1,)], j.journal_id


async def test_without_the_locks_the_dispute_waits_for_ever(old: World) -> None:
    await a_dispute_opened_while_the_structure_arrives(old)
    left = {u.table for u in unrouted("gradebook", old.admin_url)}
    assert {"disputes", "dispute_messages"} <= left, left
