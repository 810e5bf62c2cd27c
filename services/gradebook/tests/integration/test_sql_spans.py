"""Issue 18: the gradebook's hot paths talk to psycopg directly (one `unnest` statement per table);
with tracing on, each of those statements is a span too, in the trace of the RPC that ran it (the psycopg
instrumentation sees every statement at the driver: SQLAlchemy's and the raw ones, once each)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.tracing import recorded_spans
from services.gradebook.tests.world import World, world

pytestmark = pytest.mark.integration


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


@pytest.fixture
async def traced_world(spans: InMemorySpanExporter, databases: Databases) -> AsyncIterator[World]:
    """The gradebook world started after tracing is on, so its pool's connections are instrumented."""
    url = databases.fresh("gradebook")
    async with world(url, databases.admin_url(url)) as found:
        yield found


async def test_a_mark_saves_raw_sql_is_traced_in_the_rpcs_trace(
    spans: InMemorySpanExporter, traced_world: World
) -> None:
    w = traced_world
    j = await w.journal("kz-medical", students=2)
    spans.clear()
    await w.write(j, [(j.lessons[0], j.students[0], "5"), (j.lessons[0], j.students[1], "н/б")])
    finished = spans.get_finished_spans()
    sql = [s for s in finished if (s.attributes or {}).get("db.system") == "postgresql"]
    statements = [str((s.attributes or {}).get("db.statement", "")) for s in sql]
    raw = [s for s, text in zip(sql, statements, strict=True) if "unnest" in text.lower()]
    assert raw, f"no span for the raw unnest statements; SQL spans: {statements}"
    servers = [s for s in finished if s.kind is SpanKind.SERVER and "WriteMarks" in s.name]
    assert len(servers) == 1, [s.name for s in finished]
    (server,) = servers
    trace_id = server.context.trace_id
    assert all(s.context.trace_id == trace_id for s in raw), "raw SQL outside the RPC's trace"
    ids = {s.context.span_id for s in finished}
    assert all(s.parent is not None and s.parent.span_id in ids for s in raw)
    # One span per statement: no SQL span hangs under another (a second instrumentation above the
    # driver, SQLAlchemy's, would give every ORM statement two).
    sql_ids = {s.context.span_id for s in sql}
    assert not [s.name for s in sql if s.parent is not None and s.parent.span_id in sql_ids]
