"""A read-model row that arrives before the structure it names waits for its university (issue 18); it
is filled when that structure arrives, link by link along a chain, and only the rows naming what a
statement touched are re-asked (issue 19: 0007 re-updated every waiting row on each anchor statement,
and two consumers doing so at once deadlocked; the failed batch fell back to one event at a time).
A row and its parent written at once by two transactions do not miss each other (0010)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from ejournal_platform.db import make_engine
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.locks import done_or_blocked
from services.reporting.service_layer.projections import gradebook

pytestmark = pytest.mark.integration

UNIT = (
    "INSERT INTO rm_structure_unit (unit_id, kind, parent_id, defined_at)"
    " VALUES (:unit, :kind, :parent, now())"
)
JOURNAL = "INSERT INTO rm_journal (journal_id, faculty_id) VALUES (:journal, :faculty)"
MARK = (
    "INSERT INTO rm_mark (journal_id, column_id, student_id, value) VALUES (:journal, 'c1', :student, '5')"
    " ON CONFLICT (journal_id, column_id, student_id) DO UPDATE SET value = excluded.value"
)


@pytest.fixture
async def engine(databases: Databases) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(databases.fresh("reporting"))
    yield engine
    await engine.dispose()


async def universities(conn: AsyncConnection, sql: str) -> dict[str, str | None]:
    return {row[0]: row[1] for row in (await conn.execute(text(sql))).all()}


async def test_a_chain_waiting_for_its_faculty_is_filled_when_it_arrives(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        # Out of order: marks, their journal, a group and its department, all before the faculty.
        for student in ("s1", "s2"):
            await conn.execute(text(MARK), {"journal": "j-1", "student": student})
        await conn.execute(text(MARK), {"journal": "j-other", "student": "s1"})
        await conn.execute(text(JOURNAL), {"journal": "j-1", "faculty": "dep-1"})
        await conn.execute(text(UNIT), {"unit": "grp-1", "kind": "group", "parent": "dep-1"})
        await conn.execute(text(UNIT), {"unit": "dep-1", "kind": "department", "parent": "fac-1"})
        assert set((await universities(conn, "SELECT journal_id, university_id FROM rm_mark")).values()) == {
            None
        }
    async with engine.begin() as conn:
        before = await universities(conn, "SELECT journal_id || student_id, xmin::text FROM rm_mark")
        await conn.execute(text(UNIT), {"unit": "fac-1", "kind": "faculty", "parent": "uni-1"})
    async with engine.connect() as conn:
        units = await universities(conn, "SELECT unit_id, university_id FROM rm_structure_unit")
        # The faculty's own row waits for the university's row; what it places does not (0007's rule).
        assert units == {"fac-1": None, "dep-1": "uni-1", "grp-1": "uni-1"}
        assert await universities(conn, "SELECT journal_id, university_id FROM rm_journal") == {
            "j-1": "uni-1"
        }
        marks = await universities(conn, "SELECT journal_id || student_id, university_id FROM rm_mark")
        assert marks == {"j-1s1": "uni-1", "j-1s2": "uni-1", "j-others1": None}
        after = await universities(conn, "SELECT journal_id || student_id, xmin::text FROM rm_mark")
        assert after["j-others1"] == before["j-others1"], "a mark waiting for another journal is not touched"
        assert after["j-1s1"] != before["j-1s1"]


def url_of(engine: AsyncEngine) -> str:
    return engine.url.render_as_string(hide_password=False)


async def deadlocks_between_two_consumers(engine: AsyncEngine) -> bool:
    """The gradebook's consumer re-records a mark of a journal still waiting, then opens another journal;
    meanwhile the curriculum's consumer defines an unrelated faculty. Under 0007 the faculty's pass
    locks the waiting journal and then waits for the mark, and the journal's pass waits for the
    waiting journal: PostgreSQL fails one of them. True when it did."""
    async with engine.begin() as conn:
        await conn.execute(text(JOURNAL), {"journal": "j-waiting", "faculty": "fac-late"})
        await conn.execute(text(MARK), {"journal": "j-waiting", "student": "s1"})
    async with engine.connect() as gradebook, engine.connect() as curriculum:
        await gradebook.begin()
        await curriculum.begin()
        await gradebook.execute(text(MARK), {"journal": "j-waiting", "student": "s1"})
        faculty = asyncio.create_task(
            curriculum.execute(text(UNIT), {"unit": "fac-other", "kind": "faculty", "parent": "uni-1"})
        )
        await done_or_blocked(faculty, url_of(engine))  # 0007: blocked on the mark
        journal = asyncio.create_task(gradebook.execute(text(JOURNAL), {"journal": "j-new", "faculty": "x"}))
        results = await asyncio.gather(faculty, journal, return_exceptions=True)
        failures = [result for result in results if isinstance(result, BaseException)]
        for failure in failures:
            assert isinstance(failure, DBAPIError) and "deadlock" in str(failure), failure
        return bool(failures)


async def test_two_consumers_filling_at_once_do_not_deadlock(engine: AsyncEngine) -> None:
    assert not await deadlocks_between_two_consumers(engine)


async def test_the_deadlock_is_real_under_the_whole_table_pass(databases: Databases) -> None:
    """The same two consumers on migration 0008's schema (0007's pass): proves the test above can fail."""
    engine = make_engine(databases.migrated_to("reporting", "0008_outbox_partitions"))
    try:
        assert await deadlocks_between_two_consumers(engine)
    finally:
        await engine.dispose()


async def journal_after_a_race(engine: AsyncEngine, *, faculty_first: bool) -> str | None:
    """The gradebook's consumer opens a journal while the curriculum's defines its faculty, neither
    committed when the other writes; the second writer's statement runs while the first is open (or
    waits for it, if it must). The journal's university once both have committed."""
    journal = {"journal": "j-race", "faculty": "fac-race"}
    faculty = {"unit": "fac-race", "kind": "faculty", "parent": "uni-1"}
    async with engine.connect() as gradebook, engine.connect() as curriculum:
        await gradebook.begin()
        await curriculum.begin()
        first, second = (curriculum, gradebook) if faculty_first else (gradebook, curriculum)
        await first.execute(text(UNIT if faculty_first else JOURNAL), faculty if faculty_first else journal)
        written = asyncio.create_task(
            second.execute(text(JOURNAL if faculty_first else UNIT), journal if faculty_first else faculty)
        )
        await done_or_blocked(written, url_of(engine))
        await first.commit()
        await written
        await second.commit()
    async with engine.connect() as conn:
        return (
            await conn.execute(text("SELECT university_id FROM rm_journal WHERE journal_id = 'j-race'"))
        ).scalar()


@pytest.mark.parametrize("faculty_first", [False, True], ids=["journal-first", "faculty-first"])
async def test_a_journal_and_its_faculty_written_at_once_meet(
    engine: AsyncEngine, faculty_first: bool
) -> None:
    assert await journal_after_a_race(engine, faculty_first=faculty_first) == "uni-1"


@pytest.mark.parametrize("faculty_first", [False, True], ids=["journal-first", "faculty-first"])
async def test_without_the_locks_the_journal_waits_for_ever(
    databases: Databases, faculty_first: bool
) -> None:
    """The same race on 0009's schema leaves the journal without its university: the test above can fail."""
    engine = make_engine(databases.migrated_to("reporting", "0009_fill_waiting_by_anchor"))
    try:
        assert await journal_after_a_race(engine, faculty_first=faculty_first) is None
    finally:
        await engine.dispose()


def mark_row(journal: str, student: str) -> dict[str, object]:
    at = datetime(2026, 10, 1, 9, tzinfo=UTC)
    return {
        "journal_id": journal,
        "student_id": student,
        "recorded_at": at,
        "first_recorded_at": at,
        "version": 1,
        "column_id": "c1",
        "value": "5",
        "column_kind": "lesson",
        "section": "",
        "author_id": "t1",
        "on_behalf_of_id": "",
        "case_id": "",
    }


async def test_a_projected_batch_takes_its_journals_university_and_the_rest_still_wait(
    databases: Databases,
) -> None:
    """Issue 19: the marks' upsert joins rm_journal for the whole batch instead of the row trigger's
    look-up per row. With rm_mark's trigger off, only that join can fill a mark; a mark whose journal
    has not arrived gets NULL from it and, the trigger back on, waits and is filled as before."""
    url = databases.fresh("reporting")
    engine, admin = make_engine(url), make_engine(databases.admin_url(url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text(UNIT), {"unit": "fac-1", "kind": "faculty", "parent": "uni-1"})
            await conn.execute(text(JOURNAL), {"journal": "j-1", "faculty": "fac-1"})
        async with admin.begin() as conn:
            await conn.execute(text("ALTER TABLE rm_mark DISABLE TRIGGER rm_mark_fill_university_id"))
        async with AsyncSession(engine) as session:
            await gradebook.MARK.write(session, [mark_row("j-1", "s1"), mark_row("j-2", "s1")])
            await session.commit()
        async with admin.begin() as conn:
            await conn.execute(text("ALTER TABLE rm_mark ENABLE TRIGGER rm_mark_fill_university_id"))
        async with engine.connect() as conn:
            marks = await universities(conn, "SELECT journal_id, university_id FROM rm_mark")
        assert marks == {"j-1": "uni-1", "j-2": None}
        async with engine.begin() as conn:
            await conn.execute(text(JOURNAL), {"journal": "j-2", "faculty": "fac-1"})
        async with engine.connect() as conn:
            marks = await universities(conn, "SELECT journal_id, university_id FROM rm_mark")
        assert marks == {"j-1": "uni-1", "j-2": "uni-1"}
    finally:
        await engine.dispose()
        await admin.dispose()
