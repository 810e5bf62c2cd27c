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
from ejournal_platform.errors import FailedPrecondition
from services.curriculum.service_layer import closed_sections, control_events, curriculum, schedule
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.schedule import CancelLesson
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import deliver, outbox_events
from services.curriculum.tests.integration.test_calendar import event_input
from services.curriculum.tests.integration.test_imports import LOAD_HEADER, SCHEDULE_HEADER, csv_bytes, run
from services.curriculum.tests.integration.test_schedule_conflicts import TEACHER, lesson, loads
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline, integrated

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
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    caller = registrar(w.university)
    await loads(deps, (TEACHER, anat, w.group1, "", "practical"), by=caller)
    midterm = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, date="2026-10-20")
    )
    before = await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, date="2026-10-13"))
    await close(deps, str(midterm.id))

    with pytest.raises(FailedPrecondition) as joined:
        await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, date="2026-10-14"))
    assert joined.value.field == "date" and joined.value.wording is not None
    assert joined.value.wording.key == "section_closed"
    with pytest.raises(FailedPrecondition) as changed:
        await schedule.schedule_lesson(
            deps, caller, lesson(anat, w.group1, date="2026-10-13", topic="другая")
        )
    assert changed.value.field == "date"
    with pytest.raises(FailedPrecondition) as cancelled:
        await schedule.cancel_lesson(deps, caller, CancelLesson(lesson_id=str(before.id), reason="перенос"))
    assert cancelled.value.field == "lesson_id" and "closed" in cancelled.value.message

    # The same lesson again, unchanged, is not a change; a lesson after the section is open.
    again = await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, date="2026-10-13"))
    assert again.id == before.id and again.revision == before.revision
    await schedule.schedule_lesson(deps, caller, lesson(anat, w.group1, date="2026-10-21"))
    assert [e.date for e in await outbox_events(deps, ev.LessonScheduled)] == ["2026-10-13", "2026-10-21"]
    assert await outbox_events(deps, ev.LessonCancelled) == []


@pytest.mark.rule("KZ-05")
async def test_a_schedule_import_into_a_closed_section_is_refused_in_the_users_language(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    caller = registrar(w.university)
    await run(
        deps,
        w,
        "teaching_load",
        "l.csv",
        csv_bytes([LOAD_HEADER, ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"]]),
        by=caller,
    )
    midterm = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, date="2026-10-20")
    )
    await close(deps, str(midterm.id))

    def row(day: str, number: int) -> list[str]:
        return ["ANAT-1", "ЖМ-101", "", "лекция", day, "09:00", "10:30", "А-101", "g.akhmetova", "Тақырып",
                str(number)]  # fmt: skip

    rows = [row("2026-10-06", 1), row("2026-10-27", 2)]
    outcome = await run(
        deps, w, "schedule", "schedule.csv", csv_bytes([SCHEDULE_HEADER, *rows]), "kk", by=caller
    )
    assert outcome.status != "applied"
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "Дата")]
    assert str(outcome.errors[0]["reason"]).startswith("Журналдың бұл бөлігі жабық")
    assert await outbox_events(deps, ev.LessonScheduled) == []


@pytest.mark.rule("KZ-05")
async def test_a_control_event_cannot_move_a_closed_sections_boundary(deps: Deps, world: World) -> None:
    """Issue 13: a new control event inside a closed section (on or before its closing event) would take
    part of its lessons into a new section: refused with the closed-section reason, for the whole group
    and for a subgroup; the closed event itself sent again, and an event after it, still pass."""
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    caller = registrar(w.university)
    await loads(deps, (TEACHER, anat, w.group2, "", "practical"), by=caller)
    current = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, group_id=w.group2, kind="current", date="2026-09-30")
    )
    midterm = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, group_id=w.group2, date="2026-10-20")
    )
    await close(deps, str(midterm.id))

    for moved in (
        event_input(w, anat, group_id=w.group2, kind="current", date="2026-10-10"),
        event_input(w, anat, group_id=w.group2, kind="current", date="2026-10-20"),
        event_input(w, anat, group_id=w.group2, kind="current", date="2026-10-10", subgroup_id=w.subgroup_a),
    ):
        with pytest.raises(FailedPrecondition) as caught:
            await control_events.schedule_control_event(deps, caller, moved)
        assert caught.value.field == "date" and caught.value.wording is not None
        assert caught.value.wording.key == "section_closed", moved

    again = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, group_id=w.group2, date="2026-10-20")
    )
    assert again.id == midterm.id and again.revision == midterm.revision
    before = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, group_id=w.group2, kind="current", date="2026-09-20")
    )  # inside the open section ending 2026-09-30
    after = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, group_id=w.group2, kind="current", date="2026-11-10")
    )
    assert {before.date.isoformat(), after.date.isoformat()} == {"2026-09-20", "2026-11-10"}
    assert current.id != before.id


@pytest.mark.rule("KZ-05", "KZ-02")
async def test_the_integrated_exam_closes_its_last_blocks_lessons(deps: Deps, world: World) -> None:
    """Issue 13, KZ-02: the integrated exam of an integrated discipline ends the last block's section
    (gradebook keeps it in that block's journals): once closed, no lesson of the last block joins it
    and no new control event moves its boundary; an earlier block's journals are not cut by it."""
    w = world
    caller = registrar(w.university)
    view = await curriculum.define_course_unit(deps, caller, DefineCourseUnit(spec=integrated(w, blocks=2)))
    parent = str(view.unit.id)
    first, last = (str(p.unit.id) for p in view.parts)
    await loads(
        deps, (TEACHER, first, w.group1, "", "clinical"), (TEACHER, last, w.group1, "", "clinical"), by=caller
    )
    exam = await control_events.schedule_control_event(
        deps, caller, event_input(w, parent, date="2026-10-20")
    )
    await close(deps, str(exam.id))

    with pytest.raises(FailedPrecondition) as joined:
        await schedule.schedule_lesson(
            deps, caller, lesson(last, w.group1, date="2026-10-14", lesson_type="clinical")
        )
    assert joined.value.field == "date" and joined.value.wording is not None
    assert joined.value.wording.key == "section_closed"
    with pytest.raises(FailedPrecondition):
        await control_events.schedule_control_event(
            deps, caller, event_input(w, last, kind="current", date="2026-10-10")
        )
    # Block 1's journals have no integrated exam: its lessons and events are not in a closed section.
    await schedule.schedule_lesson(
        deps, caller, lesson(first, w.group1, date="2026-10-14", lesson_type="clinical")
    )


@pytest.mark.rule("KZ-05")
async def test_a_control_event_import_into_a_closed_section_is_refused_in_the_users_language(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    w = world
    anat = await define_discipline(deps, w, by=caller)
    caller = registrar(w.university)
    midterm = await control_events.schedule_control_event(
        deps, caller, event_input(w, anat, date="2026-10-20")
    )
    await close(deps, str(midterm.id))
    header = ["Дисциплина", "Группа", "Подгруппа", "Вид контроля", "Дата"]
    rows = [["ANAT-1", "ЖМ-101", "", "рубежный контроль", "2026-10-10"]]
    outcome = await run(deps, w, "control_events", "ce.csv", csv_bytes([header, *rows]), "kk", by=caller)
    assert outcome.status != "applied"
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "Дата")]
    assert str(outcome.errors[0]["reason"]).startswith("Журналдың бұл бөлігі жабық")
