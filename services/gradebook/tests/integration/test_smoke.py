from __future__ import annotations

import pytest

from services.gradebook.tests.world import World

pytestmark = pytest.mark.integration


async def test_journal_from_teaching_load_and_a_first_write(w: World) -> None:
    j = await w.journal()
    header = await w.rpc.GetJournal(__import__("ejournal.gradebook.v1.gradebook_service_pb2", fromlist=["x"]).GetJournalRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id))
    assert header.journal.teacher_ids == [j.teacher_id]
    written = await w.write(j, [(j.lessons[0], j.students[0], "85"), (j.lessons[0], j.students[1], "н/б")])
    assert [c.version for c in written.cells] == [1, 1]
