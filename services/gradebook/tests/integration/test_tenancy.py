"""Every gradebook row that belongs to a university carries it (issue 18, migration 0008): a journal's
cells, history, sections, statements and disputes take their journal's, the projections of curriculum
take their place in the structure, and the hot write path supplies it itself (the fill trigger is for
the other insert paths)."""

from __future__ import annotations

import psycopg
import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.tenancy import UNIVERSITY_ID
from services.gradebook.adapters import tables
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = pytest.mark.integration

ROUTED = sorted(name for name, table in tables.metadata.tables.items() if UNIVERSITY_ID in table.c)


async def admin_sql(w: World, statement: str, *params: object) -> list[tuple[object, ...]]:
    """SQL as the database superuser (the partitions and every table, whatever the service may read)."""
    url = w.admin_url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur_ = await conn.execute(statement, params or None)
        return await cur_.fetchall() if cur_.description else []


async def placed_journal(w: World, university: str) -> JournalSetup:
    """A journal whose structure the gradebook knows: university > faculty > department, specialty > group."""
    faculty, department, specialty, group = new_id(), new_id(), new_id(), new_id()
    for unit, kind, parent in (
        (university, "university", ""),
        (faculty, "faculty", university),
        (department, "department", faculty),
        (specialty, "specialty", faculty),
        (group, "group", specialty),
    ):
        await w.apply(
            cur.StructureUnitDefined(
                unit_id=unit, kind=kind, code=kind[:3], title=kind, parent_id=parent,
                defined_at="2026-09-01T00:00:00+00:00",
            )
        )  # fmt: skip
    return await w.journal(students=2, faculty_id=faculty, department_id=department, group_id=group)


async def record_attendance(w: World, j: JournalSetup) -> None:
    request = pb.RecordAttendanceRequest(
        journal_id=j.journal_id, lesson_id=j.lessons[0], idempotency_key=new_id()
    )
    for student in j.students:
        request.entries.add(student_id=student, status="present")
    await w.rpc.RecordAttendance(request, metadata=w.teacher(j.teacher_id))


async def test_every_row_of_two_universities_journals_carries_its_own_university(w: World) -> None:
    universities = [new_id(), new_id()]
    journals = {}
    for university in universities:
        j = await placed_journal(w, university)
        journals[university] = j
        await fill_current(w, j)
        await record_attendance(w, j)
        await w.substitute(j, new_id())
        student = w.student(j.students[0])
        dispute = await w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=j.lessons[0], message="Мен 80 алдым"),
            metadata=student,
        )
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(
                dispute_id=dispute.dispute.dispute_id, decision="rejected", reason="дұрыс"
            ),
            metadata=w.teacher(j.teacher_id),
        )
        await close(w, j, "current")
    found: dict[str, dict[str | None, int]] = {}
    for table in ROUTED:
        rows = await admin_sql(w, f"SELECT university_id::text, count(*) FROM {table} GROUP BY 1")
        found[table] = {str(u) if u is not None else None: int(str(n)) for u, n in rows}
    unplaced = {table: counts[None] for table, counts in found.items() if None in counts}
    assert unplaced == {}, "rows whose university was not filled"
    # Each university's rows are its own journal's (and nothing else's), in every table the scenario writes.
    written = set(ROUTED) - {"checkins", "reopen_grants", "reopen_grant_log"}
    assert {table for table, counts in found.items() if set(counts) == set(universities)} >= written
    for university, j in journals.items():
        for table in ROUTED:
            if "journal_id" in tables.metadata.tables[table].c:
                wrong = await admin_sql(
                    w,
                    f"SELECT count(*) FROM {table} WHERE journal_id = %s AND university_id <> %s",
                    j.journal_id,
                    university,
                )
                assert wrong == [(0,)], table


async def test_the_write_path_supplies_the_university_without_the_fill_trigger(w: World) -> None:
    """Marks, attendance and history are the hot path: the service's INSERTs name the university, so the
    triggers' WHEN is false there. With the triggers switched off, the rows still carry it."""
    university = new_id()
    j = await placed_journal(w, university)
    for table in ("marks", "attendance", "history"):
        await admin_sql(w, f"ALTER TABLE {table} DISABLE TRIGGER {table}_fill_university_id")
    await fill_current(w, j)
    await record_attendance(w, j)
    for table in ("marks", "attendance", "history"):
        rows = await admin_sql(
            w,
            f"SELECT university_id::text, count(*) FROM {table} WHERE journal_id = %s GROUP BY 1",
            j.journal_id,
        )
        assert len(rows) == 1 and rows[0][0] == university and int(str(rows[0][1])) > 0, (table, rows)


async def test_an_insert_that_leaves_it_out_gets_it_from_the_journal(w: World) -> None:
    """Other insert paths (imports, the benchmark's COPY, an operator's SQL) are filled by the trigger."""
    university = new_id()
    j = await placed_journal(w, university)
    await admin_sql(
        w,
        "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by,"
        " term_id) VALUES (%s, %s, %s, '70', 1, now(), 'operator', %s)",
        j.journal_id,
        j.lessons[0],
        j.students[0],
        j.term_id,
    )
    assert await admin_sql(
        w, "SELECT university_id::text FROM marks WHERE journal_id = %s", j.journal_id
    ) == [(university,)]
