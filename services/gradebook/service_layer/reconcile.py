"""Bring a journal's sections and columns in line with the curriculum's lessons and control events.

Called after any curriculum event that may change a journal; idempotent. Control events of the
journal's course unit (and, for the last block of an integrated discipline, the discipline's own
integrated exam, KZ-02) become sections with a control column each; lessons of the journal's lesson
type and subgroup become lesson columns (self-study columns for self-study work); each non-control
column falls into the section of the first control event on or after its date. Closed sections are
left exactly as they were closed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.gradebook.adapters import reconcile_repo as rows
from services.gradebook.domain.sections import SectionSpan, ordered, section_for
from services.gradebook.domain.vocabulary import CONTROL, LESSON, SELF_STUDY


def default_deadline(profile_code: str, day: object) -> datetime | None:
    """KZ-05's default when the calendar gives none: the end of the day `days` after the event."""
    try:
        profile = get_profile(profile_code)
    except KeyError:
        return None
    closing = profile.closing.closing_deadline(day)  # type: ignore[arg-type]
    return None if closing is None else datetime.combine(closing, time(23, 59, 59), UTC)


async def reconcile_journal(session: AsyncSession, journal_id: uuid.UUID) -> list[Event]:
    journal = await rows.journal(session, journal_id)
    if journal is None:
        return []
    events = await rows.control_events(session, journal)
    existing = {s.section_id: s for s in await rows.sections(session, journal_id)}
    teachers = [str(x) for x in await rows.active_teachers(session, journal_id)]
    published: list[Event] = []
    for ce in events:
        deadline = ce.closing_deadline or default_deadline(journal.profile_code, ce.date)
        before = existing.get(ce.control_event_id)
        if before is not None and before.closed_at is not None:
            continue
        changed = before is None or (before.date, before.closing_deadline, before.control_kind) != (
            ce.date,
            deadline,
            ce.kind,
        )
        if not changed:
            continue
        values = {"control_kind": ce.kind, "date": ce.date, "closing_deadline": deadline}
        await rows.put_section(session, journal_id, ce.control_event_id, values)
        column = {
            "kind": CONTROL,
            "date": ce.date,
            "section_id": ce.control_event_id,
            "control_kind": ce.kind,
        }
        await rows.put_column(session, journal_id, ce.control_event_id, column)
        published.append(
            Event(
                ev.SectionScheduled(
                    journal_id=str(journal_id),
                    section=str(ce.control_event_id),
                    control_kind=ce.kind,
                    date=ce.date.isoformat(),
                    closing_deadline=deadline.isoformat() if deadline else "",
                    teacher_ids=teachers,
                    department_id=str(journal.department_id or ""),
                    faculty_id=str(journal.faculty_id or ""),
                    group_id=str(journal.group_id),
                    course_unit_id=str(journal.course_unit_id),
                    profile_code=journal.profile_code,
                ),
                subject=f"journal/{journal_id}",
            )
        )
    lessons = await rows.lessons(session, journal)
    sections = await rows.sections(session, journal_id)
    spans = ordered(
        [SectionSpan(str(s.section_id), s.control_kind, s.date, s.closed_at is not None) for s in sections]
    )
    closed = {span.section_id for span in spans if span.closed}
    current = {c.column_id: c for c in await rows.columns(session, journal_id)}
    for lesson in lessons:
        stored = current.get(lesson.lesson_id)
        if stored is not None and stored.section_id is not None and str(stored.section_id) in closed:
            continue  # frozen with its closed section
        section = section_for(lesson.date, spans)
        if section in closed:
            continue  # a closed section takes no new column (curriculum refuses such lessons first)
        values = {
            "kind": SELF_STUDY if lesson.lesson_type == "self_study" else LESSON,
            "date": lesson.date,
            "starts_at": lesson.starts_at,
            "topic": lesson.topic,
            "number": lesson.number,
            "section_id": uuid.UUID(section) if section else None,
            "lesson_type": lesson.lesson_type,
            "classroom_id": lesson.classroom_id,
            "cancelled": lesson.cancelled,
        }
        if stored is not None and all(getattr(stored, k) == v for k, v in values.items()):
            continue
        await rows.put_column(session, journal_id, lesson.lesson_id, values)
    return published
