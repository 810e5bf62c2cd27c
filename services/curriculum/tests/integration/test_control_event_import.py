"""Control events are importable (KZ-05, KZ-06): the same checks and default deadlines as the RPC, every
bad row reported with its column in the user's language, all or nothing, and the same file again
changes nothing."""

from __future__ import annotations

import pytest

from ejournal.curriculum.v1 import events_pb2 as ev
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.conftest import registrar
from services.curriculum.tests.integration.helpers import outbox_events
from services.curriculum.tests.integration.test_imports import csv_bytes, run
from services.curriculum.tests.integration.world import SYSTEM, World, define_discipline

pytestmark = pytest.mark.integration

HEADER = ["Дисциплина", "Группа", "Подгруппа", "Вид контроля", "Дата"]


@pytest.mark.rule("KZ-06", "KZ-05")
async def test_control_events_import_all_or_nothing_with_the_profiles_default_deadlines(
    deps: Deps, world: World
) -> None:
    caller = SYSTEM
    await define_discipline(deps, world, by=caller)
    caller = registrar(world.university)
    good = [
        ["ANAT-1", "ЖМ-101", "", "рубежный контроль", "2026-10-20"],
        ["ANAT-1", "ЖМ-101", "", "экзамен", "2026-12-22"],
    ]
    bad = [
        ["ANAT-1", "ЖМ-101", "", "зачёт-автомат", "2026-10-21"],
        ["ANAT-1", "ЖМ-101", "", "рубежный контроль", "2027-02-20"],
    ]
    outcome = await run(
        deps, world, "control_events", "ce.csv", csv_bytes([HEADER, *good, *bad]), "kk", by=caller
    )
    assert outcome.status == "rejected"
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(4, "Вид контроля")]  # prepare stops here
    assert "бақылау түрі емес" in str(outcome.errors[0]["reason"])
    outcome = await run(
        deps, world, "control_events", "ce.csv", csv_bytes([HEADER, *good, bad[1]]), "en", by=caller
    )
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(4, "Дата")]
    assert "outside term 1" in str(outcome.errors[0]["reason"])
    assert await outbox_events(deps, ev.ControlEventScheduled) == []  # nothing applied

    outcome = await run(deps, world, "control_events", "ce.csv", csv_bytes([HEADER, *good]), by=caller)
    assert (outcome.status, outcome.rows_changed) == ("applied", 2)
    scheduled = await outbox_events(deps, ev.ControlEventScheduled)
    assert [(e.kind, e.date, e.closing_deadline[:10]) for e in scheduled] == [
        (ev.CONTROL_EVENT_KIND_MIDTERM, "2026-10-20", "2026-10-23"),  # KZ-05: 3 days after the event
        (ev.CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION, "2026-12-22", "2026-12-25"),
    ]
    again = await run(deps, world, "control_events", "ce2.csv", csv_bytes([HEADER, *good]), by=caller)
    assert again.rows_changed == 0 and len(await outbox_events(deps, ev.ControlEventScheduled)) == 2
