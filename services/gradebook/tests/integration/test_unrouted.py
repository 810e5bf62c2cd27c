"""The record learns its university when its faculty arrives (issue 18, migration 0009, docs/scale.md
"What stays unrouted"): a journal whose faculty the gradebook did not know yet writes its record
without a university; when the structure arrives, every row of it (history, statements, a closed
section's marks, disputes…) and of its course unit and group learns it, so `deploy/ops/unrouted.py`
finds nothing, and the history chain still verifies (the university is not hashed). The guards let
through exactly that change: any other update of the record stays refused."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from deploy.ops.unrouted import unrouted
from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.migrations import upgrade
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.tests.integration.test_checkin import at_lesson, code_for, scan
from services.gradebook.tests.integration.test_closing import close, fill_current, grant
from services.gradebook.tests.integration.test_history import verify
from services.gradebook.tests.integration.test_tenancy import admin_sql, record_attendance
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def define_structure(w: World, units: list[tuple[str, str, str]]) -> None:
    for unit, kind, parent in units:
        await w.apply(
            cur.StructureUnitDefined(
                unit_id=unit, kind=kind, code=kind[:3], title=kind, parent_id=parent,
                defined_at="2026-09-01T00:00:00+00:00",
            )
        )  # fmt: skip


async def unplaced_journal_with_a_record(w: World) -> tuple[JournalSetup, list[tuple[str, str, str]]]:
    """A journal written, attended, checked in to, disputed, substituted, closed, then reopened and
    corrected under a grant that has ended, all before any unit of its structure arrived; returns it and
    the structure that places it (university > faculty > department, specialty > group)."""
    university, faculty, department, specialty, group = new_id(), new_id(), new_id(), new_id(), new_id()
    j = await w.journal(students=2, faculty_id=faculty, department_id=department, group_id=group)
    await fill_current(w, j)
    await record_attendance(w, j)
    at_lesson(w, j, "kz-medical", 1, index=1)  # a student's QR check-in at the second lesson
    await scan(w, j, j.students[1], await code_for(w, j, j.lessons[1]))
    w.clock.offset = timedelta()
    await w.substitute(j, new_id())
    dispute = await w.rpc.OpenDispute(
        pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=j.lessons[0], message="Мен 80 алдым"),
        metadata=w.student(j.students[0]),
    )
    await w.rpc.AnswerDispute(
        pb.AnswerDisputeRequest(dispute_id=dispute.dispute.dispute_id, decision="rejected", reason="дұрыс"),
        metadata=w.teacher(j.teacher_id),
    )
    await close(w, j, "current")  # a statement, its counter, and marks the closing guard freezes
    case = new_id()
    await grant(w, j, "current", case)  # a reopen grant and its append-only log
    await w.write(j, [(j.lessons[0], j.students[0], "90")], reason="дата қате")  # a correction under it
    await w.rpc.EndReopen(pb.EndReopenRequest(case_id=case, reason="submitted"), metadata=w.service())
    structure = [
        (university, "university", ""),
        (faculty, "faculty", university),
        (department, "department", faculty),
        (specialty, "specialty", faculty),
        (group, "group", specialty),
    ]
    return j, structure


@pytest.mark.rule("KZ-05")
async def test_the_record_learns_its_university_when_its_faculty_arrives(w: World) -> None:
    j, structure = await unplaced_journal_with_a_record(w)
    before = {u.table: u for u in unrouted("gradebook", w.admin_url)}
    assert {"history", "statements", "marks", "dispute_messages", "course_units", "enrollments"} <= set(
        before
    )
    assert before["history"].append_only and before["history"].rows > 0

    await define_structure(w, structure)

    university = structure[0][0]
    assert await admin_sql(
        w, "SELECT university_id::text FROM journals WHERE journal_id = %s", j.journal_id
    ) == [(university,)]
    assert unrouted("gradebook", w.admin_url) == []  # every row of every table, the record's included
    for table in ("history", "statements", "marks", "attendance", "dispute_messages", "lessons"):
        found = await admin_sql(w, f"SELECT DISTINCT university_id::text FROM {table}")
        assert found == [(university,)], table
    verdict = await verify(w, j)
    assert verdict.intact, verdict  # the university is not hashed: the chain is what it was


async def refused(w: World, statement: str, *params: object, as_service: bool = False) -> str:
    """The SQLSTATE that refuses `statement`, run as the service's role or as the superuser (whose
    updates only the triggers stop)."""
    with pytest.raises(psycopg.Error) as error:
        if as_service:
            await w.sql(statement, *params)
        else:
            await admin_sql(w, statement, *params)
    return str(error.value.sqlstate)


@pytest.mark.rule("KZ-05")
async def test_every_other_update_of_the_record_stays_refused(w: World) -> None:
    j, structure = await unplaced_journal_with_a_record(w)
    wrong = new_id()
    closed_mark = "UPDATE marks SET {} WHERE journal_id = %s AND column_id = %s"
    section = j.sections["current"]
    # Before the structure arrives: the service's role may write marks, but not route a closed one
    # to a university other than its journal's (which it does not know yet).
    assert (
        await refused(
            w, closed_mark.format("university_id = %s"), wrong, j.journal_id, section, as_service=True
        )
        == "EJ005"
    )
    # Nor any other unrouted row the guards protect: only the owner's routing may make that change.
    frozen_column = "UPDATE columns SET university_id = %s WHERE journal_id = %s AND column_id = %s"
    assert await refused(w, frozen_column, wrong, j.journal_id, j.lessons[0], as_service=True) == "EJ005"
    assert (
        await refused(w, "UPDATE statement_counters SET university_id = %s", wrong, as_service=True)
        == "EJ009"
    )
    await define_structure(w, structure)
    university = structure[0][0]
    # The service's role has no UPDATE on history at all; the superuser is stopped by the trigger.
    for as_service, code in ((True, "42501"), (False, "EJ009")):
        for change, params in (("reason = 'edited'", ()), ("university_id = %s", (wrong,))):
            statement = f"UPDATE history SET {change} WHERE journal_id = %s"
            assert await refused(w, statement, *params, j.journal_id, as_service=as_service) == code
    assert await refused(w, "UPDATE statements SET university_id = %s", wrong) == "EJ009"
    assert await refused(w, "UPDATE dispute_messages SET university_id = NULL") == "EJ009"
    # A closed section's marks: neither their value nor, once routed, their university moves.
    for change, params in (("value = '99'", ()), ("university_id = %s", (wrong,))):
        assert await refused(w, closed_mark.format(change), *params, j.journal_id, section) == "EJ005"
    # Back to NULL and then "learning" it again is two changes, the first of them refused.
    assert await refused(w, closed_mark.format("university_id = NULL"), j.journal_id, section) == "EJ005"
    assert await admin_sql(
        w, "SELECT DISTINCT university_id::text FROM marks WHERE journal_id = %s", j.journal_id
    ) == [(university,)]


def test_the_migration_routes_the_rows_that_waited_before_it(databases: Databases) -> None:
    """Under 0008 a journal learned its university and its record kept NULL: migration 0009 routes it
    once, its history's hashes untouched."""
    url = databases.empty()
    upgrade(MIGRATIONS, url, "0008_outbox_partitions")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    journal, term, faculty, university = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    column, student = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO journals (journal_id, term_id, course_unit_id, group_id, lesson_type,"
            " profile_code, faculty_id)"
            " VALUES (%s, %s, gen_random_uuid(), gen_random_uuid(), 'practical', 'kz-medical', %s)",
            (journal, term, faculty),
        )
        conn.execute(
            "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by,"
            " term_id) VALUES (%s, %s, %s, '80', 1, now(), 't', %s)",
            (journal, column, student, term),
        )
        conn.execute(
            "INSERT INTO history (journal_id, position, kind, column_id, student_id, new_value, author_id,"
            " recorded_at, prev_hash, hash, term_id)"
            " VALUES (%s, 1, 'mark', %s, %s, '80', 't', now(), '\\x00', '\\xab', %s)",
            (journal, column, student, term),
        )
        conn.execute(
            "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
            " VALUES (%s, 'faculty', 'F', %s, now())",
            (faculty, university),
        )  # the journal learns it; under 0008 its rows do not
        waiting = "SELECT (SELECT university_id FROM marks), (SELECT university_id FROM history)"
        assert conn.execute(waiting).fetchone() == (None, None)
    upgrade(MIGRATIONS, url)
    with psycopg.connect(plain, autocommit=True) as conn:
        assert conn.execute(waiting).fetchone() == (university, university)
        assert conn.execute("SELECT hash FROM history").fetchone() == (b"\xab",)
