"""A batch write's events get time-ordered ids (UUIDv7, `OutboxWriter.queue_encoded`): each one lands
at the right end of the outbox's unique (event_id, occurred_at) index instead of on a random page of it
(issue 19, docs/perf "Stop 31")."""

from __future__ import annotations

import uuid

import pytest

from services.gradebook.tests.world import World

pytestmark = pytest.mark.integration


async def test_a_batchs_events_have_distinct_ids_that_grow_in_the_order_they_were_written(w: World) -> None:
    j = await w.journal("kz-medical", students=20)
    await w.write(j, [(j.lessons[0], s, "77") for s in j.students])
    rows = await w.sql(
        "SELECT event_id FROM outbox WHERE event_type = 'ejournal.gradebook.v1.MarkRecorded'"
        " AND subject = %s ORDER BY seq",
        f"journal/{j.journal_id}",
    )
    ids = [uuid.UUID(str(r[0])) for r in rows]
    assert len(ids) == 20 and len(set(ids)) == 20
    assert {i.version for i in ids} == {7}
    assert ids == sorted(ids)
