"""Closed means closed for the schedule (issue 13, KZ-05, KG-06): once gradebook has closed a section
(its SectionClosed event, through curriculum's inbox), no lesson is scheduled into it, changed in it or
cancelled in it, by RPC or by import, refused with the reason gradebook gives, in the user's language;
the same timetable sent again unchanged still passes, and the sections after it stay open."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.context import set_principal
from ejournal_platform.errors import FailedPrecondition
from services.curriculum.service_layer import closed_sections, control_events, schedule
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import deliver, outbox_events
from services.curriculum.tests.integration.test_calendar import event_input
from services.curriculum.tests.integration.test_imports import LOAD_HEADER, SCHEDULE_HEADER, csv_bytes, run
from services.curriculum.tests.integration.test_schedule_conflicts import TEACHER, lesson, loads
from services.curriculum.tests.integration.world import World, define_discipline

pytestmark = pytest.mark.integration


async def close(deps: Deps, control_event_id: str) -> None:
    """Gradebook's SectionClosed, delivered as curriculum's consumer does."""
    message = gb.SectionClosed(
        journal_id=str(uuid.uuid4()),
        section=control_event_id,
        control_event_id=control_event_id,
        closed_at=datetime.now(UTC).isoformat(),
    )
    await deliver(deps, closed_sections.record_closed, message)


@pytest.mark.rule("KZ-05")
async def test_no_lesson_joins_changes_or_leaves_a_closed_section(deps: Deps, world: World) -> None:
    w = world
    anat = await define_discipline(deps, w)
    set_principal(registrar(w.university))
    await loads(deps, (TEACHER, anat, w.group1, "", "practical"))
    midterm = await control_events.schedule_control_event(deps, event_input(w, anat, date="2026-10-20"))
    before = await schedule.schedule_lesson(deps, lesson(anat, w.group1, date="2026-10-13"))
    await close(deps, str(midterm.id))

    with pytest.raises(FailedPrecondition) as joined:
        await schedule.schedule_lesson(deps, lesson(anat, w.group1, date="2026-10-14"))
    assert joined.value.field == "date" and joined.value.wording is not None
    assert joined.value.wording.key == "section_closed"
    with pytest.raises(FailedPrecondition) as changed:
        await schedule.schedule_lesson(deps, lesson(anat, w.group1, date="2026-10-13", topic="другая"))
    assert changed.value.field == "date"
    with pytest.raises(FailedPrecondition) as cancelled:
        await schedule.cancel_lesson(deps, str(before.id), "перенос")
    assert cancelled.value.field == "lesson_id" and "closed" in cancelled.value.message

    # The same lesson again, unchanged, is not a change; a lesson after the section is open.
    again = await schedule.schedule_lesson(deps, lesson(anat, w.group1, date="2026-10-13"))
    assert again.id == before.id and again.revision == before.revision
    await schedule.schedule_lesson(deps, lesson(anat, w.group1, date="2026-10-21"))
    assert [e.date for e in await outbox_events(deps, ev.LessonScheduled)] == ["2026-10-13", "2026-10-21"]
    assert await outbox_events(deps, ev.LessonCancelled) == []


@pytest.mark.rule("KZ-05")
async def test_a_schedule_import_into_a_closed_section_is_refused_in_the_users_language(
    deps: Deps, world: World
) -> None:
    w = world
    anat = await define_discipline(deps, w)
    set_principal(registrar(w.university))
    await run(
        deps,
        w,
        "teaching_load",
        "l.csv",
        csv_bytes([LOAD_HEADER, ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"]]),
    )
    midterm = await control_events.schedule_control_event(deps, event_input(w, anat, date="2026-10-20"))
    await close(deps, str(midterm.id))

    def row(day: str, number: int) -> list[str]:
        return ["ANAT-1", "ЖМ-101", "", "лекция", day, "09:00", "10:30", "А-101", "g.akhmetova", "Тақырып",
                str(number)]  # fmt: skip

    rows = [row("2026-10-06", 1), row("2026-10-27", 2)]
    outcome = await run(deps, w, "schedule", "schedule.csv", csv_bytes([SCHEDULE_HEADER, *rows]), "kk")
    assert outcome.status != "applied"
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "Дата")]
    assert str(outcome.errors[0]["reason"]).startswith("Журналдың бұл бөлігі жабық")
    assert await outbox_events(deps, ev.LessonScheduled) == []
