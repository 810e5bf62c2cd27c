"""Sync imports (issue 22): rows of the kind in the file's scope that the file leaves out are removed
(lessons cancelled, placements ended by an expulsion order); a dry run runs all of it and rolls it back,
so its counts are what the real run applies; a removal that would break something (a lesson with marks
or attendance, a student with grades) is refused with the reason and then nothing is applied."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ejournal.curriculum.v1 import events_pb2 as ev
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.context import Principal
from services.curriculum.adapters.ids import person_id_for_login
from services.curriculum.adapters.models import Lesson, Movement, Placement
from services.curriculum.service_layer import recorded_cells
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.runner import ImportOutcome, RunImport, run_import
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import deliver, outbox_events
from services.curriculum.tests.integration.test_imports import (
    CONTINGENT_HEADER,
    LOAD_HEADER,
    SCHEDULE_HEADER,
    contingent_rows,
    csv_bytes,
    run,
)
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration


def lesson_row(day: int, topic: str = "Кіріспе") -> list[str]:
    return [
        "ANAT-1", "ЖМ-101", "", "лекция", f"2026-09-{day:02}", "09:00", "10:30", "А-101",
        "g.akhmetova", topic, str(day),
    ]  # fmt: skip


async def sync(
    deps: Deps, w: World, kind: str, rows: list[list[str]], dry_run: bool, *, by: Principal, **order: str
) -> ImportOutcome:
    return await run_import(
        deps,
        by,
        RunImport(
            kind=kind,
            file_name=f"{kind}.csv",
            content=csv_bytes(rows),
            academic_year_id=w.year,
            language="en",
            dry_run=dry_run,
            sync=True,
            **order,
        ),
    )


def counts(o: ImportOutcome) -> tuple[int, int, int, int]:
    return o.counts.added, o.counts.updated, o.counts.removed, o.counts.refused


async def live_lessons(deps: Deps) -> list[tuple[str, str]]:
    async with deps.uow() as uow:
        rows = await uow.session.scalars(select(Lesson).where(Lesson.cancelled_at.is_(None)))
        return sorted((r.date.isoformat(), r.topic) for r in rows)


async def open_placements(deps: Deps) -> list[uuid.UUID]:
    async with deps.uow() as uow:
        return sorted(
            await uow.session.scalars(select(Placement.student_id).where(Placement.valid_until.is_(None)))
        )


async def scheduled(deps: Deps, w: World, *, by: Principal) -> None:
    await define_discipline(deps, w, by=by)
    by = registrar(w.university)
    load = [LOAD_HEADER, ["g.akhmetova", "ANAT-1", "ЖМ-101", "", "лекция", "30"]]
    assert (await run(deps, w, "teaching_load", "l.csv", csv_bytes(load), by=by)).status == "applied"
    first = await run(
        deps, w, "schedule", "s.csv", csv_bytes([SCHEDULE_HEADER, *map(lesson_row, (2, 9, 16, 23))]), by=by
    )
    assert (first.status, first.counts.added) == ("applied", 4)


async def test_schedule_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await scheduled(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    before = await live_lessons(deps)
    # The corrected timetable: the 9th is gone, the 16th has another topic, the 30th is new.
    rows = [SCHEDULE_HEADER, lesson_row(2), lesson_row(16, "Сүйектер"), lesson_row(23), lesson_row(30)]
    preview = await sync(deps, world, "schedule", rows, dry_run=True, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (1, 1, 1, 0))
    assert await live_lessons(deps) == before and await outbox_events(deps, ev.LessonCancelled) == []
    applied = await sync(deps, world, "schedule", rows, dry_run=False, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    assert await live_lessons(deps) == [
        ("2026-09-02", "Кіріспе"), ("2026-09-16", "Сүйектер"),
        ("2026-09-23", "Кіріспе"), ("2026-09-30", "Кіріспе"),
    ]  # fmt: skip
    assert len(await outbox_events(deps, ev.LessonCancelled)) == 1
    # Only the file's scope: a lesson after its last day stays (the same file again removes nothing).
    again = await sync(deps, world, "schedule", rows[:3], dry_run=True, by=caller)
    assert counts(again) == (0, 0, 0, 0)


async def test_schedule_sync_refuses_to_cancel_a_lesson_with_marks(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await scheduled(deps, world, by=caller)
    caller = registrar(world.university)  # as the helper's imports ran
    before = await live_lessons(deps)
    async with deps.uow() as uow:
        ninth = await uow.session.scalar(select(Lesson.id).where(Lesson.number == 9))
    mark = gb.MarkRecorded(journal_id="j", lesson_id=str(ninth), student_id=str(uuid.uuid4()), value="5")
    await deliver(deps, recorded_cells.record_cell, mark)
    rows = [SCHEDULE_HEADER, lesson_row(2), lesson_row(23)]  # leaves out the 9th (marked) and the 16th
    for dry_run in (True, False):
        outcome = await sync(deps, world, "schedule", rows, dry_run=dry_run, by=caller)
        assert outcome.status == "rejected" and counts(outcome)[2:] == (1, 1)
        assert [e["code"] for e in outcome.errors] == ["removal_has_records"]
        assert "2026-09-09 09:00" in str(outcome.errors[0]["reason"])
        assert "marks or attendance" in str(outcome.errors[0]["reason"])
    assert await live_lessons(deps) == before  # all or nothing: the 16th was not cancelled either


async def test_contingent_sync_preview_equals_what_it_applies(deps: Deps, world: World) -> None:
    caller = registrar(world.university)
    assert (
        await run(
            deps, world, "contingent", "c.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(5)]), by=caller
        )
    ).status == "applied"
    before = await open_placements(deps)
    new = ["student900", "Жаңа", "ЖМ-101", "", "130-с", "01.10.2026", "2026-10-01"]
    rows = [CONTINGENT_HEADER, *contingent_rows(5)[:3], new]  # student003 and student004 left
    order = {"sync_order_number": "131-с", "sync_order_date": "2026-10-01"}
    without_order = await sync(deps, world, "contingent", rows, dry_run=True, by=caller)
    assert [e["code"] for e in without_order.errors] == ["removal_needs_order"]
    preview = await sync(deps, world, "contingent", rows, dry_run=True, **order, by=caller)
    assert (preview.status, preview.errors, counts(preview)) == ("validated", [], (1, 0, 2, 0))
    assert await open_placements(deps) == before and await outbox_events(deps, ev.StudentExpelled) == []
    applied = await sync(deps, world, "contingent", rows, dry_run=False, **order, by=caller)
    assert (applied.status, counts(applied)) == ("applied", counts(preview))
    expected = sorted(person_id_for_login(f"student{i:03}") for i in (0, 1, 2, 900))
    assert await open_placements(deps) == expected
    expelled = await outbox_events(deps, ev.StudentExpelled)
    assert len(expelled) == 2 and {e.order.number for e in expelled} == {"131-с"}
    async with deps.uow() as uow:
        kinds = list(await uow.session.scalars(select(Movement.kind).where(Movement.kind == "expelled")))
    assert len(kinds) == 2


async def test_contingent_sync_refuses_to_expel_a_student_with_grades(deps: Deps, world: World) -> None:
    caller = SYSTEM
    await scheduled(deps, world, by=caller)  # a lesson of ЖМ-101 to hold the mark (a cell's column is known)
    caller = registrar(world.university)  # as the helper's imports ran
    await run(
        deps, world, "contingent", "c.csv", csv_bytes([CONTINGENT_HEADER, *contingent_rows(3)]), by=caller
    )
    graded = person_id_for_login("student002")
    async with deps.uow() as uow:
        lesson = await uow.session.scalar(select(Lesson.id).limit(1))
    mark = gb.MarkRecorded(journal_id="j", lesson_id=str(lesson), student_id=str(graded), value="4")
    await deliver(deps, recorded_cells.record_cell, mark)
    rows = [CONTINGENT_HEADER, *contingent_rows(3)[:1]]
    order = {"sync_order_number": "131-с", "sync_order_date": "2026-10-01"}
    outcome = await sync(deps, world, "contingent", rows, dry_run=False, **order, by=caller)
    assert outcome.status == "rejected" and counts(outcome)[2:] == (1, 1)
    assert [e["code"] for e in outcome.errors] == ["removal_has_grades"]
    assert "Студент 2 Әлиұлы" in str(outcome.errors[0]["reason"]) and "grades" in str(
        outcome.errors[0]["reason"]
    )
    assert len(await open_placements(deps)) == 3
