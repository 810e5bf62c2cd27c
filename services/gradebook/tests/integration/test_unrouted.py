"""The rows that cannot be routed by university are found (issue 18, `deploy/ops/unrouted.py`): a
journal whose faculty the gradebook did not know yet writes its record without a university; when the
faculty arrives the journal learns it, but the append-only history keeps its unrouted rows — the
finder names that table, marks it append-only and counts them, and says nothing of the journal.
When the record learns its university (docs/scale.md, "What stays unrouted": not done yet), the count
expected here becomes zero."""

from __future__ import annotations

import pytest

from deploy.ops.unrouted import unrouted
from ejournal.curriculum.v1 import events_pb2 as cur
from services.gradebook.tests.integration.test_closing import fill_current
from services.gradebook.tests.integration.test_tenancy import admin_sql
from services.gradebook.tests.world import World, new_id

pytestmark = pytest.mark.integration


async def test_the_record_written_before_its_faculty_arrived_is_found_unrouted(w: World) -> None:
    university, faculty = new_id(), new_id()
    j = await w.journal(students=2, faculty_id=faculty)  # a faculty the structure has not placed yet
    await fill_current(w, j)
    written = await admin_sql(w, "SELECT count(*) FROM history WHERE journal_id = %s", j.journal_id)
    for unit, kind, parent in ((university, "university", ""), (faculty, "faculty", university)):
        await w.apply(
            cur.StructureUnitDefined(
                unit_id=unit, kind=kind, code=kind[:3], title=kind, parent_id=parent,
                defined_at="2026-09-01T00:00:00+00:00",
            )
        )  # fmt: skip
    placed = await admin_sql(
        w, "SELECT university_id::text FROM journals WHERE journal_id = %s", j.journal_id
    )
    assert placed == [(university,)]  # the journal learned it
    found = {u.table: u for u in unrouted("gradebook", w.admin_url)}
    assert found["history"].append_only
    assert found["history"].rows == int(str(written[0][0])) > 0  # every row of its record, for good
    assert "journals" not in found
