"""Marks, attendance and history are partitioned by term (migration 0007): a term's partitions exist before
its first cell, each term's rows stay in its own partitions, a journal's reads touch only its term's,
the guards hold on the partitions too, and the migration converts the rows it finds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from ejournal_platform.migrations import upgrade
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.adapters.grid_sql import MARKS
from services.gradebook.domain.history_chain import GENESIS, Change, StoredChange, link_batch, verify
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.integration.test_history import verify as verify_journal
from services.gradebook.tests.world import World, new_id

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def admin_sql(w: World, statement: str, *params: object) -> list[tuple[object, ...]]:
    """SQL as the database superuser: an operator, not the service."""
    url = w.admin_url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute(statement, params or None)
        return await cur.fetchall() if cur.description else []


async def test_each_term_has_its_partitions_before_its_first_cell_and_keeps_its_own_rows(w: World) -> None:
    autumn, spring = new_id(), new_id()
    first = await w.journal("kz-medical", students=2, lessons=2, term_id=autumn)
    for table in ("marks", "attendance", "history"):  # the journal (its course unit) made them
        assert await w.sql("SELECT to_regclass(%s) IS NOT NULL", f"{table}_{uuid.UUID(autumn).hex}") == [
            (True,)
        ]
    second = await w.journal("kz-medical", students=2, lessons=2, term_id=spring)
    await fill_current(w, first)
    await fill_current(w, second)
    where = await w.sql(
        "SELECT tableoid::regclass::text, count(DISTINCT journal_id) FROM marks GROUP BY 1 "
        "UNION ALL SELECT tableoid::regclass::text, count(DISTINCT journal_id) FROM history GROUP BY 1"
    )
    assert sorted(where) == sorted(
        (f"{table}_{uuid.UUID(term).hex}", 1) for table in ("marks", "history") for term in (autumn, spring)
    )
    for j in (first, second):  # the chain verifies as before: term_id is not part of a link
        assert (await verify_journal(w, j)).intact
    # Each row's term is its journal's.
    assert await w.sql(
        "SELECT count(*) FROM marks m JOIN journals j USING (journal_id) WHERE m.term_id <> j.term_id"
    ) == [(0,)]


async def test_a_journals_grid_reads_only_its_terms_partition(w: World) -> None:
    journals = [await w.journal("kz-medical", students=2, lessons=2) for _ in range(3)]
    for j in journals:
        await fill_current(w, j)
    target = journals[1]
    url = w.url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        cur = await conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + MARKS.replace("%b", "%s"),
            (target.journal_id, target.journal_id),
        )
        plan = "\n".join(str(r[0]) for r in await cur.fetchall())
    scanned = [line for line in plan.splitlines() if " on marks_" in line and "never executed" not in line]
    assert len(scanned) == 1 and uuid.UUID(target.term_id).hex in scanned[0], plan


async def test_the_guards_hold_on_a_partition_written_directly(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    await close(w, j, "current")
    term = uuid.UUID(j.term_id).hex
    lesson, student = j.lessons[0], j.students[0]
    for statement, params, code in (
        (f"UPDATE marks_{term} SET value = '100' WHERE column_id = %s AND student_id = %s", (lesson, student),
         "EJ005"),
        (f"UPDATE history_{term} SET new_value = '100' WHERE journal_id = %s", (j.journal_id,), "EJ009"),
        (f"DELETE FROM history_{term} WHERE journal_id = %s", (j.journal_id,), "EJ009"),
        (f"TRUNCATE history_{term}", (), "EJ009"),
        (f"TRUNCATE marks_{term}", (), "EJ009"),
    ):  # fmt: skip
        with pytest.raises(psycopg.Error) as refused:
            await admin_sql(w, statement, *params)
        assert refused.value.sqlstate == code, statement
    assert await w.sql(
        "SELECT value FROM marks WHERE column_id = %s AND student_id = %s", lesson, student
    ) == [("70",)]


def test_the_migration_moves_existing_rows_into_their_terms_partitions(databases: Databases) -> None:
    url = databases.empty()
    upgrade(MIGRATIONS, url, "0006_course_number")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    journal, term, faculty, university = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    column, students = uuid.uuid4(), [str(uuid.uuid4()) for _ in range(3)]
    at = datetime(2026, 10, 1, 12, tzinfo=UTC)
    shared = Change(
        journal_id=str(journal), position=0, kind="mark", column_id="", student_id="", old_value=None,
        new_value=None, author_id="t", on_behalf_of_id=None, reason=None, grant_id=None, case_id=None,
        recorded_at=at,
    )  # fmt: skip
    cells = [(str(column), s, None, str(80 + n)) for n, s in enumerate(students)]
    hashes = link_batch(GENESIS, 1, shared, cells)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
            " VALUES (%s, 'faculty', 'F', %s, now())",
            (faculty, university),
        )
        conn.execute(
            "INSERT INTO journals (journal_id, term_id, course_unit_id, group_id, lesson_type,"
            " profile_code, faculty_id)"
            " VALUES (%s, %s, gen_random_uuid(), gen_random_uuid(), 'practical', 'kz-medical', %s)",
            (journal, term, faculty),
        )
        conn.execute("INSERT INTO chain_heads VALUES (%s, %s, %s)", (journal, len(cells), hashes[-1]))
        for n, (_, student, _, value) in enumerate(cells):
            conn.execute(
                "INSERT INTO marks VALUES (%s, %s, %s, %s, 1, %s, 't')", (journal, column, student, value, at)
            )
            conn.execute(
                "INSERT INTO attendance (journal_id, column_id, student_id, status, source, version,"
                " updated_at, updated_by) VALUES (%s, %s, %s, 'present', 'teacher', 1, %s, 't')",
                (journal, column, student, at),
            )
            conn.execute(
                "INSERT INTO history (journal_id, position, kind, column_id, student_id, new_value,"
                " author_id, recorded_at, prev_hash, hash)"
                " VALUES (%s, %s, 'mark', %s, %s, %s, 't', %s, %s, %s)",
                (journal, n + 1, column, student, value, at, hashes[n - 1] if n else GENESIS, hashes[n]),
            )
    upgrade(MIGRATIONS, url)
    with psycopg.connect(plain, autocommit=True) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM ONLY marks), (SELECT count(*) FROM marks WHERE term_id = %s),"
            " (SELECT count(*) FROM attendance WHERE term_id = %s),"
            " (SELECT count(*) FROM history WHERE term_id = %s)",
            (term, term, term),
        ).fetchone()
        rows = conn.execute(
            "SELECT journal_id::text, position, kind, column_id::text, student_id::text, old_value,"
            " new_value, author_id, on_behalf_of_id, reason, grant_id, case_id, recorded_at, prev_hash, hash"
            f" FROM history_{term.hex} ORDER BY position"
        ).fetchall()
        routed = conn.execute(
            "SELECT university_id FROM journals WHERE journal_id = %s", (journal,)
        ).fetchone()
        # Migration 0008 backfills the journal's university onto its rows (the hash chain is untouched).
        carried = conn.execute(
            "SELECT (SELECT count(*) FROM marks WHERE university_id = %s),"
            " (SELECT count(*) FROM attendance WHERE university_id = %s),"
            " (SELECT count(*) FROM history WHERE university_id = %s),"
            " (SELECT count(*) FROM chain_heads WHERE university_id = %s)",
            (university,) * 4,
        ).fetchone()
    assert counts == (0, 3, 3, 3)  # the parent holds nothing itself; every row is in the term's partition
    stored = [StoredChange(Change(*r[:13]), bytes(r[13]), bytes(r[14])) for r in rows]
    assert verify(stored, (len(cells), hashes[-1])).intact
    assert routed == (university,)
    assert carried == (3, 3, 3, 1)


async def test_a_new_terms_partitions_are_made_while_another_term_is_being_written(w: World) -> None:
    """ATTACH PARTITION, not CREATE TABLE ... PARTITION OF: the parents are never locked exclusively, so
    the first course unit of a new term waits for no save or grid read of the current one."""
    j = await w.journal("kz-medical", students=2, lessons=2)
    url = w.url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url) as busy:
        # A save in flight (uncommitted) and a read, on all three parents.
        await busy.execute(
            "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by,"
            " term_id) VALUES (%s, %s, gen_random_uuid(), '5', 1, now(), 'x',"
            " (SELECT term_id FROM journals WHERE journal_id = %s))",
            (j.journal_id, j.lessons[0], j.journal_id),
        )
        await busy.execute("SELECT count(*) FROM attendance")
        await busy.execute("SELECT count(*) FROM history")
        term = uuid.uuid4()
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as other:
            await other.execute("SET lock_timeout = '5s'")  # an exclusive lock would wait for `busy`
            await other.execute(
                "INSERT INTO course_units (course_unit_id, kind, term_id)"
                " VALUES (gen_random_uuid(), 'discipline', %s)",
                (term,),
            )
            made = await (
                await other.execute("SELECT to_regclass(%s) IS NOT NULL", (f"history_{term.hex}",))
            ).fetchone()
        await busy.rollback()
    assert made == (True,)
