"""A grid read keeps a student's view to their own cells (reads.visible_students)."""

from __future__ import annotations

import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import World

pytestmark = pytest.mark.integration


async def test_a_student_reads_only_their_own_cells_of_the_grid(w: World) -> None:
    """A student's read of the grid holds their own row's cells only, while the teacher reads every cell."""
    j = await w.journal("kz-medical", students=3)
    lesson = j.lessons[0]
    await w.write(j, [(lesson, s, "5") for s in j.students])

    async def cells(who: object) -> list[str]:
        grid = await w.rpc.GetJournalGrid(pb.GetJournalGridRequest(journal_id=j.journal_id), metadata=who)
        return sorted(c.student_id for c in grid.cells)

    assert await cells(w.teacher(j.teacher_id)) == sorted(j.students)
    assert await cells(w.student(j.students[1], j.group_id)) == [j.students[1]]
