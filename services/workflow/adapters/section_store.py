"""Journals and sections as the gradebook's events describe them, late admissions, once-only effects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.tenancy import anchor_lock_sql
from services.workflow.adapters.tables import (
    corrective_measures,
    counted_reopens,
    effects,
    fill_flags,
    journal_checks,
    journal_sections,
    journals,
    late_admissions,
    reopen_case_history,
    reopen_cases,
    sanction_proposals,
)
from services.workflow.domain.reopen_facts import LateAdmission
from services.workflow.domain.sections import SectionFacts


def _keep_known(column: str) -> Any:
    """On upsert, a value the event leaves empty keeps what an earlier event said."""
    new = getattr(insert(journal_sections).excluded, column)
    return func.coalesce(func.nullif(new, ""), getattr(journal_sections.c, column))


async def upsert_section(session: AsyncSession, facts: SectionFacts) -> None:
    values = {k: v for k, v in facts.__dict__.items()}
    values["teacher_ids"] = list(facts.teacher_ids)
    statement = insert(journal_sections).values(**values)
    updates: dict[str, Any] = {
        c: _keep_known(c)
        for c in (
            "control_kind",
            "department_id",
            "faculty_id",
            "term_id",
            "profile_code",
            "event_date",
            "closed_by",
        )
    }
    if facts.teacher_ids:
        updates["teacher_ids"] = statement.excluded.teacher_ids
    if facts.closed_at is not None:
        updates["closed_at"] = statement.excluded.closed_at
    await session.execute(
        statement.on_conflict_do_update(index_elements=["journal_id", "section"], set_=updates)
    )


async def journal_teachers(session: AsyncSession, journal_id: str) -> set[str]:
    """Everyone the journal and its sections name as its teachers (empty for an unknown journal)."""
    on_journal = await session.scalar(
        select(journals.c.teacher_ids).where(journals.c.journal_id == journal_id)
    )
    on_sections = await session.scalars(
        select(journal_sections.c.teacher_ids).where(journal_sections.c.journal_id == journal_id)
    )
    return {t for ids in [on_journal or [], *on_sections] for t in ids}


# What an event may not know yet: an empty one never replaces a known one.
KEPT_NAMES = ("group_name", "specialty_name", "specialty_code", "university_id")


async def upsert_journal(session: AsyncSession, values: dict[str, Any]) -> None:
    statement = insert(journals).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["journal_id"],
            set_={
                k: (
                    func.coalesce(func.nullif(getattr(statement.excluded, k), ""), getattr(journals.c, k))
                    if k in KEPT_NAMES
                    else getattr(statement.excluded, k)
                )
                for k in values
                if k != "journal_id"
            },
        )
    )


# Exclusive: the one key the fill triggers of rows still without a university take shared (migration 0010).
LEARNING = text(f"SELECT {anchor_lock_sql('university_of_faculty', chr(39) * 2, shared=False)}")


async def learn_university(session: AsyncSession, faculty_id: str, university_id: str) -> None:
    """A faculty belongs to one university: rows of the faculty stored before their university was
    known (an earlier JournalOpened without it, rows older than migration 0008) learn it now."""
    if not (faculty_id and university_id):
        return
    # Before reading the rows to update: a row stored at this moment either waits for this commit
    # (its fill trigger takes the key shared, migration 0010) or is seen here once it has committed.
    await session.execute(LEARNING)
    for table in (journals, reopen_cases, sanction_proposals, journal_sections, counted_reopens, fill_flags,
                  journal_checks):  # fmt: skip
        await session.execute(
            update(table)
            .where(table.c.faculty_id == faculty_id, table.c.university_id == "")
            .values(university_id=university_id)
        )
    # Rows with no faculty of their own learn it through their case or journal (updated just above).
    through = ((reopen_case_history, reopen_cases, "case_id"), (corrective_measures, reopen_cases, "case_id"),
               (late_admissions, journals, "journal_id"))  # fmt: skip
    for table, parent, key in through:
        await session.execute(
            update(table)
            .where(
                table.c[key] == parent.c[key], parent.c.faculty_id == faculty_id, table.c.university_id == ""
            )
            .values(university_id=university_id)
        )


@dataclass(frozen=True)
class ClosedSection:
    journal_id: str
    section: str
    closed_at: datetime
    teacher_ids: tuple[str, ...]
    department_id: str
    faculty_id: str
    term_id: str
    profile_code: str
    # What a reopen explanation is checked against (issue 13); "" while unknown.
    group_name: str = ""
    specialty_name: str = ""
    specialty_code: str = ""
    event_date: str = ""  # the section's control event (its last day)
    university_id: str = ""  # the journal's ("" while unknown)
    previous_date: str = ""  # the journal's previous section's control event ("" for the first)


async def closed_section(session: AsyncSession, journal_id: str, section: str) -> ClosedSection | None:
    """The section if it is closed, with what the case needs (journal facts fill the gaps)."""
    s, j = journal_sections.c, journals.c
    row = (
        await session.execute(
            select(
                s.closed_at,
                s.teacher_ids,
                func.coalesce(func.nullif(s.department_id, ""), j.department_id).label("department_id"),
                func.coalesce(func.nullif(s.faculty_id, ""), j.faculty_id).label("faculty_id"),
                func.coalesce(func.nullif(s.term_id, ""), j.term_id).label("term_id"),
                func.coalesce(func.nullif(s.profile_code, ""), j.profile_code).label("profile_code"),
                j.teacher_ids.label("journal_teachers"),
                func.coalesce(j.group_name, "").label("group_name"),
                func.coalesce(j.specialty_name, "").label("specialty_name"),
                func.coalesce(j.specialty_code, "").label("specialty_code"),
                func.coalesce(j.university_id, "").label("university_id"),
                s.event_date,
            )
            .select_from(journal_sections.outerjoin(journals, j.journal_id == s.journal_id))
            .where(s.journal_id == journal_id, s.section == section)
        )
    ).first()
    if row is None or row.closed_at is None:
        return None
    teachers = tuple(row.teacher_ids or row.journal_teachers or ())
    previous = ""
    if row.event_date:
        previous = (
            await session.scalar(
                select(func.max(journal_sections.c.event_date)).where(
                    journal_sections.c.journal_id == journal_id,
                    journal_sections.c.event_date != "",
                    journal_sections.c.event_date < row.event_date,
                )
            )
        ) or ""
    return ClosedSection(
        journal_id,
        section,
        row.closed_at,
        teachers,
        row.department_id or "",
        row.faculty_id or "",
        row.term_id or "",
        row.profile_code or "",
        group_name=row.group_name,
        specialty_name=row.specialty_name,
        specialty_code=row.specialty_code,
        event_date=row.event_date or "",
        previous_date=previous,
        university_id=row.university_id,
    )


async def teachers_of_section(session: AsyncSession, section: str) -> list[tuple[str, tuple[str, ...]]]:
    """(journal, teachers) of every journal that has this control event's section."""
    rows = await session.execute(
        select(journal_sections.c.journal_id, journal_sections.c.teacher_ids).where(
            journal_sections.c.section == section
        )
    )
    return [(r.journal_id, tuple(r.teacher_ids)) for r in rows.all()]


async def faculty_of_department(session: AsyncSession, department_id: str) -> str:
    """The department's faculty as a journal of it says ("" when no journal of it is known)."""
    found = await session.scalar(
        select(journals.c.faculty_id).where(journals.c.department_id == department_id).limit(1)
    )
    return str(found or "")


async def university_of_faculty(session: AsyncSession, faculty_id: str) -> str:
    """The faculty's university as its journals say ("" while none of them knows it)."""
    if not faculty_id:
        return ""
    found = await session.scalar(
        select(journals.c.university_id)
        .where(journals.c.faculty_id == faculty_id, journals.c.university_id != "")
        .limit(1)
    )
    return str(found or "")


async def departments_of_profile(session: AsyncSession, profile_code: str) -> list[str]:
    rows = await session.execute(
        select(journals.c.department_id).where(journals.c.profile_code == profile_code).distinct()
    )
    return sorted(r.department_id for r in rows.all())


async def late_admission(
    session: AsyncSession, journal_id: str, section: str, teacher_id: str
) -> LateAdmission | None:
    row = (
        await session.execute(
            select(late_admissions).where(
                late_admissions.c.journal_id == journal_id,
                late_admissions.c.section == section,
                late_admissions.c.teacher_id == teacher_id,
            )
        )
    ).first()
    return None if row is None else LateAdmission(row.admitted_by, row.admitted_at, row.reason)


async def admit_late(
    session: AsyncSession, journal_id: str, section: str, teacher_id: str, admission: LateAdmission
) -> LateAdmission:
    """Record the admission once; a repeated call returns the first one."""
    await session.execute(
        insert(late_admissions)
        .values(
            journal_id=journal_id,
            section=section,
            teacher_id=teacher_id,
            admitted_by=admission.admitted_by,
            admitted_at=admission.admitted_at,
            reason=admission.reason,
        )
        .on_conflict_do_nothing()
    )
    found = await late_admission(session, journal_id, section, teacher_id)
    assert found is not None
    return found


async def claim_effect(session: AsyncSession, key: str) -> bool:
    """True the first time a key is claimed (in the caller's transaction): do the effect then only."""
    inserted = await session.scalar(
        insert(effects).values(effect_key=key).on_conflict_do_nothing().returning(effects.c.effect_key)
    )
    return inserted is not None
