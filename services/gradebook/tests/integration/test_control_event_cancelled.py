"""ControlEventCancelled (a sync import removed a control event before it took place, issue 22): the
journals drop its column and gradebook forgets the event; a column that already holds results (or whose
section is closed) is kept - curriculum refuses that removal first."""

from __future__ import annotations

import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import JournalSetup, World

pytestmark = pytest.mark.integration


async def grid_columns(w: World, j: JournalSetup) -> set[str]:
    grid = await w.rpc.GetJournalGrid(
        pb.GetJournalGridRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    return {c.column_id for c in grid.columns}


async def test_a_cancelled_control_event_leaves_the_journal_unless_it_has_results(w: World) -> None:
    j = await w.journal(lessons=2, controls=("midterm", "intermediate_attestation"))
    midterm, exam = j.sections["midterm"], j.sections["intermediate_attestation"]
    assert {midterm, exam} <= await grid_columns(w, j)
    await w.write(j, [(exam, j.students[0], "77")])

    for ce in (midterm, exam):
        await w.apply(
            cur.ControlEventCancelled(
                control_event_id=ce, course_unit_id=j.course_unit_id, group_id=j.group_id, revision=2
            )
        )
    columns = await grid_columns(w, j)
    assert midterm not in columns and exam in columns  # the exam has a mark: kept
    events = await w.sql("SELECT control_event_id::text FROM control_events ORDER BY 1")
    assert events == [(exam,)]
