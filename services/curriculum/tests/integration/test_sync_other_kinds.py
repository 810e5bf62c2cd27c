"""Sync imports of the other kinds (issue 22): teaching loads, course units and lesson plans the file's
scope holds but the file leaves out are removed; the dry run's counts are what the real run applies;
a removal that would break something is refused with the reason, and then nothing is applied."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.context import Principal
from services.curriculum.adapters.models import ControlEvent, CourseUnit, Lesson, LessonPlan, TeachingLoad
from services.curriculum.service_layer import recorded_cells
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.runner import get_import
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import deliver, outbox_events
from services.curriculum.tests.integration.test_imports import (
    CURRICULUM_HEADER,
    LOAD_HEADER,
    PLAN_HEADER,
    SCHEDULE_HEADER,
    csv_bytes,
    run,
)
from services.curriculum.tests.integration.test_sync_imports import counts, lesson_row, sync
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration

LOADS = [
    ["g.akhmetova", "ANAT-1", "ЖМ-102", "1", "практическое", "30"],
    ["g.akhmetova", "ANAT-1", "ЖМ-102", "2", "практическое", "30"],
    ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"],
]


async def live_loads(deps: Deps) -> list[tuple[str, int]]:
    async with deps.uow() as uow:
        rows = await uow.session.scalars(select(TeachingLoad).where(TeachingLoad.removed_at.is_(None)))
        return sorted((f"{r.group_id}/{r.subgroup_id}/{r.lesson_type}", r.hours) for r in rows)


async def marked_lesson(deps: Deps, w: World, *, by: Principal) -> None:
    """A lecture of ANAT-1 for ЖМ-101 on 2026-09-09 with a mark in it (as gradebook's event says)."""
    rows = [SCHEDULE_HEADER, lesson_row(9)]
    assert (await run(deps, w, "schedule", "s.csv", csv_bytes(rows), by=by)).status == "applied"
    async with deps.uow() as uow:
        lesson = await uow.session.scalar(select(Lesson.id))
    mark = gb.MarkRecorded(journal_id="j", lesson_id=str(lesson), student_id=str(uuid.uuid4()), value="5")
    await deliver(deps, recorded_cells.record_cell, mark)


async def loaded(deps: Deps, w: World, *, by: Principal) -> None:
    await define_discipline(deps, w, by=by)
    by = registrar(w.university)
    first = await run(deps, w, "teaching_load", "l.csv", csv_bytes([LOAD_HEADER, *LOADS]), by=by)
    assert (first.status, first.counts.added) == ("applied", 3)


async def test_teaching_load_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await loaded(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    before = await live_loads(deps)
    # The corrected load: subgroup 2's practical is gone, the lecture has 45 hours, ЖМ-101's practical
    # is new.
    new = ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "практическое", "20"]
    rows = [LOAD_HEADER, LOADS[0], [*LOADS[2][:5], "45"], new]
    preview = await sync(deps, world, "teaching_load", rows, dry_run=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (1, 1, 1, 0))
    assert await live_loads(deps) == before and await outbox_events(deps, ev.TeachingLoadRemoved) == []
    applied = await sync(deps, world, "teaching_load", rows, dry_run=False, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    for outcome in (preview, applied):  # GetImport returns the counts too
        kept = await get_import(deps, caller, outcome.import_id)
        stored = (kept.rows_added, kept.rows_updated, kept.rows_removed, kept.removals_refused)
        assert (kept.status, stored, kept.sync) == (outcome.status, (1, 1, 1, 0), True)
    assert len(await live_loads(deps)) == 3
    removed = await outbox_events(deps, ev.TeachingLoadRemoved)
    assert [r.subgroup_id for r in removed] == [world.subgroup_b]
    # Only the file's course units: the same file again removes nothing.
    assert counts(await sync(deps, world, "teaching_load", rows, dry_run=True, by=caller)) == (0, 0, 0, 0)


async def test_teaching_load_sync_refuses_to_remove_a_load_whose_lessons_have_marks(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    await loaded(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    await marked_lesson(deps, world, by=caller)  # under the lecture load of ЖМ-101
    before = await live_loads(deps)
    rows = [LOAD_HEADER, LOADS[0]]  # leaves out subgroup 2's practical and the (marked) lecture
    for dry_run in (True, False):
        outcome = await sync(deps, world, "teaching_load", rows, dry_run=dry_run, by=caller)
        assert outcome.status == "rejected" and counts(outcome)[2:] == (1, 1)
        assert [e["code"] for e in outcome.errors] == ["removal_load_has_records"]
        assert "ANAT-1 ЖМ-101 lecture" in str(outcome.errors[0]["reason"])
        assert "marks or attendance" in str(outcome.errors[0]["reason"])
    assert await live_loads(deps) == before  # all or nothing
    assert await outbox_events(deps, ev.TeachingLoadRemoved) == []


def unit_row(code: str, title: str = "Пән") -> list[str]:
    return ["6B10101", "1", "1", "Д", code, "", title, "anatomy", "", "3", "10", "", ""]


async def live_units(deps: Deps) -> list[tuple[str, str]]:
    async with deps.uow() as uow:
        rows = await uow.session.scalars(select(CourseUnit).where(CourseUnit.removed_at.is_(None)))
        return sorted((r.code, r.title) for r in rows)


async def test_curriculum_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = SYSTEM
    first = [CURRICULUM_HEADER, unit_row("ANAT-1"), unit_row("PHYS-1"), unit_row("HIST-1")]
    assert (await run(deps, world, "curriculum", "rup.csv", csv_bytes(first), by=caller)).counts.added == 3
    before = await live_units(deps)
    rows = [CURRICULUM_HEADER, unit_row("ANAT-1", "Анатомия"), unit_row("HIST-1"), unit_row("NEW-1")]
    preview = await sync(deps, world, "curriculum", rows, dry_run=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (1, 1, 1, 0))
    assert await live_units(deps) == before and await outbox_events(deps, ev.CourseUnitRemoved) == []
    applied = await sync(deps, world, "curriculum", rows, dry_run=False, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await live_units(deps) == [("ANAT-1", "Анатомия"), ("HIST-1", "Пән"), ("NEW-1", "Пән")]
    assert len(await outbox_events(deps, ev.CourseUnitRemoved)) == 1


async def test_curriculum_sync_refuses_to_remove_a_unit_with_teaching_loads(deps: Deps, world: World) -> None:
    caller = SYSTEM
    first = [CURRICULUM_HEADER, unit_row("ANAT-1"), unit_row("PHYS-1"), unit_row("HIST-1")]
    await run(deps, world, "curriculum", "rup.csv", csv_bytes(first), by=caller)
    caller = registrar(world.university)
    await run(
        deps, world, "teaching_load", "l.csv", csv_bytes([LOAD_HEADER, LOADS[2]]), by=caller
    )  # ANAT-1's
    before = await live_units(deps)
    rows = [CURRICULUM_HEADER, unit_row("HIST-1")]  # leaves out ANAT-1 (loaded) and PHYS-1
    for dry_run in (True, False):
        outcome = await sync(deps, world, "curriculum", rows, dry_run=dry_run, by=caller)
        assert outcome.status == "rejected" and counts(outcome)[2:] == (1, 1)
        assert [e["code"] for e in outcome.errors] == ["removal_unit_has_loads"]
        assert "ANAT-1" in str(outcome.errors[0]["reason"]) and "journals" in str(outcome.errors[0]["reason"])
    assert await live_units(deps) == before
    assert await outbox_events(deps, ev.CourseUnitRemoved) == []


def plan_row(group: str, lesson_type: str, number: int, topic: str = "Тақырып") -> list[str]:
    return [
        "ANAT-1", group, "", lesson_type, str(number), f"2026-09-{2 + 7 * number:02}", "09:00", "10:30",
        f"{topic} {number}", "2", "g.akhmetova", "А-101", "№ 3", "28.08.2026",
    ]  # fmt: skip


async def live_plans(deps: Deps) -> list[tuple[str, str]]:
    async with deps.uow() as uow:
        return sorted((str(p.group_id), p.lesson_type) for p in await uow.session.scalars(select(LessonPlan)))


async def planned(deps: Deps, w: World, *, by: Principal) -> None:
    await define_discipline(deps, w, by=by)
    by = registrar(w.university)
    rows = [PLAN_HEADER, *(plan_row(g, "лекция", n) for g in ("ЖМ-101", "ЖМ-102") for n in (1, 2))]
    first = await run(deps, w, "lesson_plan", "ktp.csv", csv_bytes(rows), by=by)
    assert (first.status, first.counts.added) == ("applied", 2)  # counted by plan


async def test_lesson_plan_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await planned(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    before = await live_plans(deps)
    # ЖМ-101's lecture plan gets new topics, its practical plan is new, ЖМ-102's lecture plan is gone.
    rows = [
        PLAN_HEADER,
        *(plan_row("ЖМ-101", "лекция", n, "Жаңа") for n in (1, 2)),
        *(plan_row("ЖМ-101", "практическое", n) for n in (1, 2)),
    ]
    preview = await sync(deps, world, "lesson_plan", rows, dry_run=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (1, 1, 1, 0))
    assert await live_plans(deps) == before
    applied = await sync(deps, world, "lesson_plan", rows, dry_run=False, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await live_plans(deps) == [(world.group1, "lecture"), (world.group1, "practical")]


async def test_lesson_plan_sync_refuses_to_remove_a_plan_whose_lessons_have_marks(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    await planned(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    await run(deps, world, "teaching_load", "l.csv", csv_bytes([LOAD_HEADER, LOADS[2]]), by=caller)
    await marked_lesson(deps, world, by=caller)  # a lecture of ЖМ-101
    before = await live_plans(deps)
    rows = [PLAN_HEADER, *(plan_row("ЖМ-101", "практическое", n) for n in (1, 2))]  # both lectures left out
    for dry_run in (True, False):
        outcome = await sync(deps, world, "lesson_plan", rows, dry_run=dry_run, by=caller)
        assert outcome.status == "rejected" and counts(outcome) == (1, 0, 1, 1)
        assert [e["code"] for e in outcome.errors] == ["removal_plan_has_records"]
        assert "ANAT-1 ЖМ-101 lecture" in str(outcome.errors[0]["reason"])
    assert await live_plans(deps) == before


CE_HEADER = ["Дисциплина", "Группа", "Подгруппа", "Вид контроля", "Дата"]
CONTROLS = [
    ["ANAT-1", "ЖМ-101", "", "рубежный контроль", "2026-10-20"],
    ["ANAT-1", "ЖМ-101", "", "экзамен", "2026-12-22"],
]


async def live_control_events(deps: Deps) -> list[tuple[str, str]]:
    async with deps.uow() as uow:
        rows = await uow.session.scalars(select(ControlEvent))
        return sorted((r.date.isoformat(), r.kind) for r in rows)


async def controlled(deps: Deps, w: World, *, by: Principal) -> None:
    await define_discipline(deps, w, by=by)
    by = registrar(w.university)
    first = await run(deps, w, "control_events", "ce.csv", csv_bytes([CE_HEADER, *CONTROLS]), by=by)
    assert (first.status, first.counts.added) == ("applied", 2)


async def test_control_event_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await controlled(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    before = await live_control_events(deps)
    rows = [CE_HEADER, CONTROLS[1]]  # the midterm is gone
    preview = await sync(deps, world, "control_events", rows, dry_run=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (0, 0, 1, 0))
    assert await live_control_events(deps) == before
    assert await outbox_events(deps, ev.ControlEventCancelled) == []
    applied = await sync(deps, world, "control_events", rows, dry_run=False, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await live_control_events(deps) == [("2026-12-22", "intermediate_attestation")]
    cancelled = await outbox_events(deps, ev.ControlEventCancelled)
    scheduled = {e.date: e.control_event_id for e in await outbox_events(deps, ev.ControlEventScheduled)}
    assert [(c.control_event_id, c.date) for c in cancelled] == [(scheduled["2026-10-20"], "2026-10-20")]
    # Only the file's course unit x group pairs: the same file again removes nothing.
    assert counts(await sync(deps, world, "control_events", rows, dry_run=True, by=caller)) == (0, 0, 0, 0)


@pytest.mark.rule("KZ-05")
async def test_control_event_sync_refuses_to_remove_an_event_with_results(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await controlled(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    scheduled = {e.date: e.control_event_id for e in await outbox_events(deps, ev.ControlEventScheduled)}
    mark = gb.MarkRecorded(
        journal_id="j", lesson_id=scheduled["2026-10-20"], student_id=str(uuid.uuid4()), value="80"
    )
    await deliver(deps, recorded_cells.record_cell, mark)
    before = await live_control_events(deps)
    for dry_run in (True, False):
        outcome = await sync(
            deps, world, "control_events", [CE_HEADER, CONTROLS[1]], dry_run=dry_run, by=caller
        )
        assert outcome.status == "rejected" and counts(outcome)[2:] == (0, 1)
        assert [e["code"] for e in outcome.errors] == ["removal_control_event_has_results"]
        assert "ANAT-1 ЖМ-101 midterm 2026-10-20" in str(outcome.errors[0]["reason"])
    assert await live_control_events(deps) == before  # all or nothing
    assert await outbox_events(deps, ev.ControlEventCancelled) == []
