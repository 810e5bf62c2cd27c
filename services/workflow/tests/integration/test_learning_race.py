"""A row stored while its faculty's university is being learned does not miss it (issue 18, migration
0010_waiting_rows_lock): under READ COMMITTED a section of a journal the workflow had not heard of yet,
stored while a JournalOpened of the same faculty named its university, found no journal that knew it
(not committed yet), and learn_university found no section (not committed yet): it kept "".

Played deterministically: one side's transaction is left open, the other runs until it has finished or
waits for a lock (pg_stat_activity), then the first commits, then the second. The same race on
migration 0009's schema leaves the section without its university: the test can fail."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.locks import done_or_blocked
from services.workflow.adapters import tables
from services.workflow.service_layer.journal_facts import (
    LearnJournal,
    LearnSection,
    learn_journal,
    learn_section,
)

pytestmark = pytest.mark.integration

Step = Callable[[UnitOfWork], Awaitable[None]]


async def section_after_a_race(url: str, admin_url: str, *, learning_first: bool) -> tuple[str, str]:
    """The consumer learns journal 1 of a faculty, with its university, while another stores a section
    of journal 2 of the same faculty (not opened yet); the university, and the section's once both
    have committed."""
    engine = make_engine(url)
    units = async_sessionmaker(engine, expire_on_commit=False)
    faculty, university, section_journal = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    journal = LearnJournal(
        journal_id=str(uuid.uuid4()), term_id="t", course_unit_id="u", group_id="g", department_id="d",
        faculty_id=faculty, profile_code="kz-medical", teacher_ids=(), title="J", university_id=university,
    )  # fmt: skip
    section = LearnSection(journal_id=section_journal, section="current", faculty_id=faculty)

    async def learning(uow: UnitOfWork) -> None:
        await learn_journal(uow, journal)

    async def storing(uow: UnitOfWork) -> None:
        await learn_section(uow, section)

    first, second = (learning, storing) if learning_first else (storing, learning)
    try:
        async with UnitOfWork(units, OutboxWriter(tables.outbox)) as held:
            await first(held)

            async def other_side() -> None:
                async with UnitOfWork(units, OutboxWriter(tables.outbox)) as uow:
                    await second(uow)
                    await uow.commit()

            task = asyncio.create_task(other_side())
            await done_or_blocked(task, admin_url)
            await held.commit()
        await task
        async with AsyncSession(engine) as session:
            found = await session.scalar(
                tables.journal_sections.select()
                .with_only_columns(tables.journal_sections.c.university_id)
                .where(tables.journal_sections.c.journal_id == section_journal)
            )
        assert found is not None
        return university, str(found)
    finally:
        await engine.dispose()


ORDERS = pytest.mark.parametrize("learning_first", [False, True], ids=["section-first", "learning-first"])


@ORDERS
async def test_a_section_stored_while_its_faculty_learns_its_university_learns_it(
    databases: Databases, learning_first: bool
) -> None:
    url = databases.fresh("workflow")
    university, found = await section_after_a_race(
        url, databases.admin_url(url), learning_first=learning_first
    )
    assert found == university


@ORDERS
async def test_without_the_lock_the_section_keeps_no_university(
    databases: Databases, learning_first: bool
) -> None:
    url = databases.migrated_to("workflow", "0009_outbox_partitions")
    _, found = await section_after_a_race(url, databases.admin_url(url), learning_first=learning_first)
    assert found == ""
