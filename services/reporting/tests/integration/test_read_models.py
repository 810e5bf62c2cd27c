"""Read models built only from events: every event applied exactly once (the inbox), the projections
agree with what was published, the lag from commit to read model is measured, and a rebuild (drop
the read models, replay the streams from their start) gives the same figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_platform.events import headers_for
from ejournal_platform.testing.fixtures import Databases
from services.reporting.adapters.queries_filling import Scope, lesson_filling, presence
from services.reporting.domain.attendance import attendance
from services.reporting.domain.filling import figures
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.rebuild import rebuild
from services.reporting.service_layer.statement_content import fetch_missing
from services.reporting.tests.demo.university import Published, Shape, build
from services.reporting.tests.support import FakeStatements, Reporting, publish, reporting

pytestmark = pytest.mark.integration

SHAPE = Shape(groups_per_department=2, students_per_group=8, units_per_department=2, lessons_per_unit=6)


async def snapshot(r: Reporting) -> dict[str, object]:
    async with r.sessions() as session:
        lessons = await lesson_filling(session, Scope(), date(2026, 9, 1), date(2026, 12, 31))
        present = await presence(session, Scope(), date(2026, 9, 1), date(2026, 12, 31))
    counts = {}
    for table in (
        "rm_person",
        "rm_enrollment",
        "rm_lesson",
        "rm_journal",
        "rm_mark",
        "rm_attendance",
        "rm_statement",
        "rm_section",
        "rm_role",
        "rm_course_unit",
        "rm_teaching_load",
    ):
        counts[table] = await r.scalar(f"SELECT count(*) FROM {table}")
    counts["marks"] = await r.scalar(
        "SELECT string_agg(value, ',' ORDER BY journal_id, column_id, student_id) FROM rm_mark"
    )
    return {"counts": counts, "filling": figures(lessons), "attendance": attendance(present)}


async def test_read_models_follow_the_events_and_rebuild_to_the_same_figures(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    demo = build(SHAPE)
    async with reporting(databases, nats_factory) as r:
        await publish(r.js, demo.events)
        await r.caught_up()
        before = await snapshot(r)
        counts = before["counts"]
        assert isinstance(counts, dict)
        cells = {(m.journal_id, m.lesson_id, m.student_id) for m in demo.of_type(gb.MarkRecorded)}
        assert counts["rm_mark"] == len(cells) < demo.count("MarkRecorded"), "a correction rewrites its cell"
        assert counts["rm_journal"] == len(demo.journal_ids)
        assert counts["rm_statement"] == len(demo.statements)
        assert counts["rm_enrollment"] == 2 * 8
        # Kazakh letters arrive exactly as published.
        names = await r.scalar("SELECT string_agg(full_name, ' ') FROM rm_person")
        assert isinstance(names, str) and any(letter in names for letter in "әғқңөұүһі")
        filled = before["filling"]
        assert filled.lessons_held == 2 * 2 * 6  # type: ignore[attr-defined]
        assert 0 < filled.lessons_filled < filled.lessons_held  # type: ignore[attr-defined]
        assert r.lag.snapshot("reporting-gradebook").samples == sum(
            1 for e in demo.events if e.service == "gradebook"
        )

        await rebuild(Deps.over(r.sessions), consumers=r.consumers)
        assert await r.scalar("SELECT count(*) FROM rm_mark") in (0, counts["rm_mark"])
        await r.caught_up()
        assert await snapshot(r) == before


async def test_a_duplicate_outside_the_duplicate_window_has_no_second_effect(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    """JetStream drops a repeated Nats-Msg-Id only inside its window; the inbox drops the rest."""
    async with reporting(databases, nats_factory) as r:
        first = gb.MarkRecorded(journal_id="j", lesson_id="l", student_id="s", value="5", version=1)
        later = gb.MarkRecorded(journal_id="j", lesson_id="l", student_id="s", value="4", version=2)
        await publish(r.js, [Published("gradebook", first, "journal/j", demo_time())])
        ids = await publish(r.js, [Published("gradebook", later, "journal/j", demo_time())])
        # The same event (same ce-id) again, with a new Nats-Msg-Id so JetStream accepts it.
        headers = headers_for("x", later.DESCRIPTOR.full_name, "ejournal/gradebook", "journal/j", "")
        headers["ce-id"] = ids[0]
        await r.js.publish(later.DESCRIPTOR.full_name, later.SerializeToString(), headers=headers)
        # And an older copy of the cell (version 1) arriving last never overwrites the newer value.
        await publish(r.js, [Published("gradebook", first, "journal/j", demo_time())])
        await r.caught_up()
        assert await r.scalar("SELECT value FROM rm_mark") == "4"
        assert await r.scalar("SELECT count(*) FROM inbox WHERE consumer = 'reporting-gradebook'") == 3


def demo_time() -> datetime:
    return datetime(2026, 9, 1, 10, tzinfo=UTC)


async def test_statement_content_is_stored_only_when_it_hashes_to_what_was_announced(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    demo = build(SHAPE)
    async with reporting(databases, nats_factory) as r:
        await publish(r.js, demo.events)
        await r.caught_up()
        tampered = {}
        for statement_id, statement in demo.statements.items():
            copy = gbs.Statement()
            copy.CopyFrom(statement)
            tampered[statement_id] = copy
        victim = next(iter(tampered))
        tampered[victim].lines[0].value = "100"  # the stated hash stays: the content no longer matches it
        stored = await fetch_missing(Deps.over(r.sessions), source=FakeStatements(tampered))
        assert stored == len(demo.statements) - 1
        assert await r.scalar("SELECT content IS NULL FROM rm_statement WHERE statement_id = :s", s=victim)
