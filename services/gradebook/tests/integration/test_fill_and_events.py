"""Fill data for the monitoring checks (KZ-09, KG-08), and the gradebook on a real NATS: curriculum
events consumed into journals exactly once, gradebook events published through the outbox relay."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from deploy.local.servers import NatsServer
from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.events import headers_for, new_event_id, stream_name
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.outbox import OutboxRelay
from services.gradebook.domain.vocabulary import journal_id_for
from services.gradebook.entrypoints.consumers import consumers
from services.gradebook.tests.world import LESSON_TYPES, UNIT_KINDS, World, new_id

pytestmark = pytest.mark.integration


async def test_fill_status_per_lesson_day_and_week(w: World) -> None:
    monday = date.today() - timedelta(days=date.today().weekday() + 14)
    j = await w.journal("kz-medical", students=4, lessons=5, controls=("current",), start=monday)
    await w.write(j, [(j.lessons[0], s, "80") for s in j.students] + [(j.lessons[1], j.students[0], "н/б")])
    request = pb.GetFillStatusRequest(journal_id=j.journal_id, from_date=monday.isoformat())
    found = (await w.rpc.GetFillStatus(request, metadata=w.service())).journals
    assert len(found) == 1 and found[0].unit_days == 5 and found[0].daily_grading_required
    assert [d.has_marks for d in found[0].days] == [True, True, False, False, False]
    week = found[0].weeks[0]
    assert (week.lessons, week.lessons_with_marks, week.expected_cells, week.filled_cells) == (5, 2, 20, 5)
    assert (week.filling_percent, week.present, week.absent, week.attendance_percent) == (
        "25.0",
        4,
        1,
        "80.0",
    )
    by_department = await w.rpc.GetFillStatus(
        pb.GetFillStatusRequest(department_id=j.department_id),
        metadata=w.person(new_id(), ("department_head", "department", j.department_id)),
    )
    assert [x.journal_id for x in by_department.journals] == [j.journal_id]


async def test_curriculum_events_on_nats_become_a_journal_and_gradebook_events_are_published(
    w: World, nats_server: NatsServer
) -> None:
    nc = await connect(nats_server.url, "test-gradebook")
    js = nc.jetstream()
    suffix = new_id()[:8]
    await ensure_stream(js, "curriculum")
    await ensure_stream(js, "identity")
    await ensure_stream(js, "gradebook")
    unit, group, term, teacher, student = (new_id() for _ in range(5))

    async def publish(message: object) -> None:
        event_id = new_event_id()
        kind = message.DESCRIPTOR.full_name  # type: ignore[attr-defined]
        data = message.SerializeToString()  # type: ignore[attr-defined]
        await js.publish(kind, data, headers=headers_for(event_id, kind, "ejournal/curriculum", "x", ""))
        await js.publish(
            kind, data, headers=headers_for(event_id, kind, "ejournal/curriculum", "x", "")
        )  # a duplicate

    await publish(
        cur.CourseUnitDefined(
            course_unit_id=unit,
            kind=UNIT_KINDS["discipline"],
            profile_code="kg-jasu",
            title="Физика",
            revision=1,
        )
    )
    await publish(
        cur.StudentEnrolled(
            movement_id=new_id(), student_id=student, group_id=group, effective_date="2026-09-01"
        )
    )
    await publish(
        cur.TeachingLoadAssigned(
            load_id=new_id(),
            teacher_id=teacher,
            course_unit_id=unit,
            group_id=group,
            lesson_type=LESSON_TYPES["seminar"],
            term_id=term,
            profile_code="kg-jasu",
            revision=1,
        )
    )
    subscribers = [c for c in consumers(js, w.gradebook.unit_of_work, w.projector)]
    for c in subscribers:
        c.name = f"{c.name}-{suffix}"
    tasks = [asyncio.create_task(c.run()) for c in subscribers]
    relay = OutboxRelay(w.engine, w.outbox, js, "ejournal/gradebook")
    tasks.append(asyncio.create_task(relay.run()))
    journal_id = str(journal_id_for(term, unit, group, None, "seminar"))
    sub = await js.subscribe(
        "ejournal.gradebook.v1.JournalOpened", stream=stream_name("gradebook"), ordered_consumer=True
    )
    try:
        async with asyncio.timeout(20):
            while True:
                msg = await sub.next_msg(timeout=15)
                opened = ev.JournalOpened.FromString(msg.data)
                if opened.journal_id == journal_id:
                    break
        assert (list(opened.teacher_ids), opened.lesson_type, opened.title) == (
            [teacher],
            "seminar",
            "Физика",
        )
        header = await w.rpc.GetJournal(
            pb.GetJournalRequest(journal_id=journal_id), metadata=w.teacher(teacher)
        )
        assert header.title == "Физика"
        rows = await w.sql("SELECT count(*) FROM journal_teachers WHERE journal_id = %s", journal_id)
        assert rows[0][0] == 1
        enrolled = await w.sql("SELECT count(*) FROM enrollments WHERE student_id = %s", student)
        assert enrolled[0][0] == 1  # the duplicate was applied once
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await nc.close()
