"""The gradebook's own copy of what it needs from curriculum and identity, kept by their events.

Each handler runs in the consumer's transaction (inbox + effect, exactly once). Events that "define"
something carry its whole state and a revision; an older revision never overwrites a newer one.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event, ReceivedEvent
from ejournal_platform.logging import get_logger
from services.gradebook.adapters import projections_repo as rows
from services.gradebook.adapters.sections_repo import journals_with_section
from services.gradebook.domain.vocabulary import enum_word, event_date, journal_id_for, optional_uuid
from services.gradebook.service_layer import names
from services.gradebook.service_layer import roster_projections as roster
from services.gradebook.service_layer.context import ClassroomSecrets
from services.gradebook.service_layer.reconcile import reconcile_journal

log = get_logger(__name__)


def _lesson_type(value: cur.LessonType.ValueType) -> str:
    return enum_word(cur.LessonType.Name(value), "LESSON_TYPE_")


class Projector:
    """Applies curriculum and identity events; publishes JournalOpened / SectionScheduled."""

    def __init__(self, secrets: ClassroomSecrets | None = None) -> None:
        self._secrets = secrets
        self._handlers: dict[str, Callable[[AsyncSession, ReceivedEvent], Awaitable[list[Event]]]] = {
            cur.CourseUnitDefined.DESCRIPTOR.full_name: self.course_unit_defined,
            cur.TeachingLoadAssigned.DESCRIPTOR.full_name: self.load_assigned,
            cur.TeachingLoadRemoved.DESCRIPTOR.full_name: self.load_removed,
            cur.LessonScheduled.DESCRIPTOR.full_name: self.lesson_scheduled,
            cur.LessonCancelled.DESCRIPTOR.full_name: self.lesson_cancelled,
            cur.ControlEventScheduled.DESCRIPTOR.full_name: self.control_event_scheduled,
            cur.CalendarDeadlineChanged.DESCRIPTOR.full_name: self.deadline_changed,
            cur.ControlEventCancelled.DESCRIPTOR.full_name: self.control_event_cancelled,
            cur.StudentEnrolled.DESCRIPTOR.full_name: roster.student_enrolled,
            cur.StudentTransferred.DESCRIPTOR.full_name: roster.student_transferred,
            cur.StudentExpelled.DESCRIPTOR.full_name: roster.student_expelled,
            cur.ClassroomSecretRotated.DESCRIPTOR.full_name: self.secret_rotated,
            idn.SubstitutionAppointed.DESCRIPTOR.full_name: roster.substitution_appointed,
            idn.SubstitutionEnded.DESCRIPTOR.full_name: roster.substitution_ended,
            cur.StructureUnitDefined.DESCRIPTOR.full_name: names.unit_defined,
            idn.PersonCreated.DESCRIPTOR.full_name: names.person_created,
        }

    @property
    def event_types(self) -> list[str]:
        return list(self._handlers)

    async def handle(self, uow: UnitOfWork, event: ReceivedEvent) -> None:
        """The consumers' handler: apply one event in the consumer's unit of work; the events it
        causes go out with that unit's commit (uow.add_event), like any use case's."""
        handler = self._handlers.get(event.type)
        if handler is None:
            return  # a type this service does not need
        for published in await handler(uow.session, event):
            uow.add_event(published)

    async def _reconcile(self, session: AsyncSession, journal_ids: list[uuid.UUID]) -> list[Event]:
        out: list[Event] = []
        for journal_id in sorted(set(journal_ids)):
            out += await reconcile_journal(session, journal_id)
        return out

    # -- curriculum ------------------------------------------------------------------------------

    async def course_unit_defined(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.CourseUnitDefined)
        unit_id = uuid.UUID(m.course_unit_id)
        values = {
            "kind": enum_word(cur.CourseUnitKind.Name(m.kind), "COURSE_UNIT_KIND_"),
            "parent_id": optional_uuid(m.parent_id),
            "profile_code": m.profile_code,
            "title": m.title,
            "code": m.code,
            "term_id": optional_uuid(m.term_id),
            "department_id": optional_uuid(m.department_id),
            "faculty_id": optional_uuid(m.faculty_id),
            "position": m.position,
            "is_last_part": m.is_last_part,
            "has_own_exam": m.has_own_exam,
            "revision": m.revision,
            "course_number": m.course_number,
        }
        await rows.put_course_unit(session, unit_id, values, m.revision)
        children = await rows.parts_of(session, unit_id)
        return await self._reconcile(session, await rows.journals_of(session, [unit_id, *children], None))

    async def load_assigned(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.TeachingLoadAssigned)
        subgroup = optional_uuid(m.subgroup_id)
        lesson_type = _lesson_type(m.lesson_type)
        journal_id = journal_id_for(
            m.term_id, m.course_unit_id, m.group_id, m.subgroup_id or None, lesson_type
        )
        await rows.open_journal(
            session,
            journal_id,
            term_id=uuid.UUID(m.term_id),
            course_unit_id=uuid.UUID(m.course_unit_id),
            group_id=uuid.UUID(m.group_id),
            subgroup_id=subgroup,
            lesson_type=lesson_type,
            profile_code=m.profile_code,
            department_id=optional_uuid(m.department_id),
            faculty_id=optional_uuid(m.faculty_id),
        )
        await rows.assign_teacher(session, uuid.UUID(m.load_id), journal_id, uuid.UUID(m.teacher_id))
        teachers = [str(x) for x in await rows.journal_teachers(session, journal_id)]
        title = await rows.course_unit_title(session, uuid.UUID(m.course_unit_id))
        unit_names, university_id = await names.structure(
            session,
            group_id=m.group_id,
            department_id=m.department_id,
            faculty_id=m.faculty_id,
            course_unit_id=m.course_unit_id,
        )
        opened = Event(
            ev.JournalOpened(
                journal_id=str(journal_id),
                term_id=m.term_id,
                course_unit_id=m.course_unit_id,
                group_id=m.group_id,
                subgroup_id=m.subgroup_id,
                lesson_type=lesson_type,
                teacher_ids=sorted(teachers),
                department_id=m.department_id,
                faculty_id=m.faculty_id,
                profile_code=m.profile_code,
                title=title,
                university_id=university_id,
                names=names.structure_names(unit_names, await names.specialty_code(session, m.group_id)),
            ),
            subject=f"journal/{journal_id}",
        )
        return [opened, *await reconcile_journal(session, journal_id)]

    async def load_removed(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.TeachingLoadRemoved)
        await rows.unassign_teacher(session, uuid.UUID(m.load_id))
        return []

    async def lesson_scheduled(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.LessonScheduled)
        values = {
            "course_unit_id": uuid.UUID(m.course_unit_id),
            "group_id": uuid.UUID(m.group_id),
            "subgroup_id": optional_uuid(m.subgroup_id),
            "lesson_type": _lesson_type(m.lesson_type),
            "date": event_date(m.date),
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "classroom_id": optional_uuid(m.classroom_id),
            "topic": m.topic,
            "number": m.number,
            "teacher_id": optional_uuid(m.teacher_id),
            "term_id": optional_uuid(m.term_id),
            "cancelled": False,
            "revision": m.revision,
        }
        await rows.put_lesson(session, uuid.UUID(m.lesson_id), values, m.revision)
        return await self._reconcile(
            session,
            await rows.journals_of(session, [values["course_unit_id"]], values["group_id"]),  # type: ignore[list-item,arg-type]
        )

    async def lesson_cancelled(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.LessonCancelled)
        lesson_id = uuid.UUID(m.lesson_id)
        # a column of a closed section keeps its state (curriculum refuses first)
        await rows.cancel_lesson(session, lesson_id)
        return []

    async def control_event_scheduled(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.ControlEventScheduled)
        unit_id, group_id = uuid.UUID(m.course_unit_id), uuid.UUID(m.group_id)
        values = {
            "kind": enum_word(cur.ControlEventKind.Name(m.kind), "CONTROL_EVENT_KIND_"),
            "course_unit_id": unit_id,
            "group_id": group_id,
            "subgroup_id": optional_uuid(m.subgroup_id),
            "date": event_date(m.date),
            "grade_entry_deadline": m.grade_entry_deadline or None,
            "closing_deadline": m.closing_deadline or None,
            "term_id": optional_uuid(m.term_id),
            "profile_code": m.profile_code,
            "revision": m.revision,
        }
        await rows.put_control_event(session, uuid.UUID(m.control_event_id), values, m.revision)
        # The integrated exam of an integrated discipline lives in its last block's journals (KZ-02).
        last_blocks = await rows.parts_of(session, unit_id, last_only=True)
        return await self._reconcile(
            session, await rows.journals_of(session, [unit_id, *last_blocks], group_id)
        )

    async def control_event_cancelled(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        """A control event removed before it took place (a sync import): drop its column in every journal,
        unless it already holds results or its section is closed (curriculum refuses such a removal
        first; here it is ignored with a warning)."""
        m = event.parse(cur.ControlEventCancelled)
        ce_id = uuid.UUID(m.control_event_id)
        if await rows.control_event_is_kept(session, ce_id):
            log.warning(
                "ControlEventCancelled for a section with results or closed; ignored",
                control_event_id=m.control_event_id, event_id=event.id,
            )  # fmt: skip
            return []
        journal_ids = await journals_with_section(session, ce_id)
        # The column goes; the section row stays (the service's role may not delete sections, see
        # migration 0003): it is left open and without its column; no process closes it (workflow
        # stops the event's closing process on the same event).
        await rows.drop_control_event(session, ce_id)
        return await self._reconcile(session, journal_ids)

    async def deadline_changed(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.CalendarDeadlineChanged)
        column = "closing_deadline" if m.deadline_kind == "closing" else "grade_entry_deadline"
        ce_id = uuid.UUID(m.control_event_id)
        await rows.change_deadline(session, ce_id, column, m.new_deadline or None, m.revision)
        journal_ids = await journals_with_section(session, ce_id)
        return await self._reconcile(session, journal_ids)

    async def secret_rotated(self, session: AsyncSession, event: ReceivedEvent) -> list[Event]:
        m = event.parse(cur.ClassroomSecretRotated)
        if self._secrets is not None:
            self._secrets.forget(m.classroom_id)
        return []
