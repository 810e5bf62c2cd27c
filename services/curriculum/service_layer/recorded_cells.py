"""What a sync import must not remove (issue 22): curriculum keeps the lesson columns where gradebook
recorded a mark or attendance (its MarkRecorded / AttendanceRecorded events, through the inbox), so a
lesson with marks or attendance is not cancelled and a student with grades is not expelled by a file
that merely left them out.

The consumer is a durable of its own (CONSUMER, see entrypoints/main.py): on its first run it reads the
gradebook stream from its first event, which backfills the cells recorded before it existed."""

from __future__ import annotations

import uuid

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.logging import get_logger
from services.curriculum.adapters import received_repo

log = get_logger(__name__)

SUBJECTS = [gb.MarkRecorded.DESCRIPTOR.full_name, gb.AttendanceRecorded.DESCRIPTOR.full_name]
# Its own durable consumer, so that its first run replays the gradebook stream from the start: marks
# recorded before curriculum listened to them are backfilled (until then, a removal they forbid was
# allowed). Complete while the stream keeps every event (stream_max_age_days = 0, the default).
CONSUMER = "curriculum-recorded-cells"


async def record_cell(uow: UnitOfWork, event: ReceivedEvent) -> None:
    """The consumer's handler: remember that a cell holds something (a repeat changes nothing)."""
    if event.type == gb.MarkRecorded.DESCRIPTOR.full_name:
        mark = event.parse(gb.MarkRecorded)
        if not mark.value:
            return  # a cleared cell adds nothing (one written before stays known: rows are only added)
        lesson, student, kind = mark.lesson_id, mark.student_id, "mark"
    elif event.type == gb.AttendanceRecorded.DESCRIPTOR.full_name:
        seen = event.parse(gb.AttendanceRecorded)
        lesson, student, kind = seen.lesson_id, seen.student_id, "attendance"
    else:
        return
    # A column is one of curriculum's lessons or control events (the row's university comes from it);
    # one it does not know protects nothing here, and is skipped rather than blocking the consumer.
    try:
        column = uuid.UUID(lesson)
    except ValueError:
        return
    if not await received_repo.is_known_column(uow.session, column):
        log.warning("a cell of a column curriculum does not know; skipped", event_id=event.id)
        return
    await received_repo.add_recorded_cell(uow.session, lesson, student, kind)
