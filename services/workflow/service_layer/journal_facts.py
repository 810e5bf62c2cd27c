"""What the gradebook's events tell the workflow about journals and sections (the reopen procedure's
teachers, closing reminders' recipients, monitored departments), stored in the consumer's unit of
work: the event consumer (entrypoints/consumers.py) translates an event into one of these commands."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_platform.db import UnitOfWork
from services.workflow.adapters import section_store
from services.workflow.domain.sections import SectionFacts


@dataclass(frozen=True, kw_only=True)
class LearnJournal:
    journal_id: str
    term_id: str
    course_unit_id: str
    group_id: str
    department_id: str
    faculty_id: str
    profile_code: str
    teacher_ids: tuple[str, ...]
    title: str
    # Names and the university an event may not know yet: empty ones keep what was known.
    group_name: str = ""
    specialty_name: str = ""
    specialty_code: str = ""
    university_id: str = ""


# A section scheduled or closed: the command is the section's facts as the event states them, so the
# field list is written once (domain/sections.py) for the use case and the store.
LearnSection = SectionFacts


async def learn_journal(uow: UnitOfWork, cmd: LearnJournal) -> None:
    values = {**cmd.__dict__, "teacher_ids": list(cmd.teacher_ids)}
    await section_store.upsert_journal(uow.session, values)
    # The faculty's rows stored before their university was known learn it now.
    await section_store.learn_university(uow.session, cmd.faculty_id, cmd.university_id)


async def learn_section(uow: UnitOfWork, cmd: LearnSection) -> None:
    await section_store.upsert_section(uow.session, cmd)
