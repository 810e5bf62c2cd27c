"""Demo data for both profiles, loaded idempotently: `await seed_demo(database_url)` (the launcher calls
it; `python -m deploy.demo.seed.curriculum` does the same from the command line).

The university, its people and their roles come from the demo university (`deploy/demo/university.py`),
which identity's demo seed reads too: every teacher, head and student here has an account there, and
every unit here has the id identity's role scopes name. What is curriculum's own — course units,
teaching load, schedule, lesson plans, control events — is in `demo_kz.py` and `demo_kg.py`.

Everything goes through the use cases, so the demo obeys the rules and publishes its events like any
registrar's work; every id is stable (uuid5 of a readable key) and every step is an upsert, so a second
run changes nothing. The academic year is the current one (from September), so the demo looks alive;
its dates lie in the past or future of "today" like a real semester's.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.demo import university as demo
from deploy.demo.seed import curriculum_kg as demo_kg
from deploy.demo.seed import curriculum_kz as demo_kz
from deploy.demo.seed.curriculum_structure import build_university
from ejournal_platform.db import make_engine
from ejournal_platform.outbox import OutboxWriter
from services.curriculum.adapters import tables
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory


async def seed_demo(database_url: str, today: date | None = None) -> None:
    """Load (or confirm) the demo data of both profiles; safe to run on every start."""
    engine = make_engine(database_url, pool_size=2)
    try:
        deps = Deps(
            uow=unit_of_work_factory(
                async_sessionmaker(engine, expire_on_commit=False), OutboxWriter(tables.outbox)
            ),
            clock=lambda: datetime.now(UTC),
        )
        day = today or datetime.now(UTC).date()
        await demo_kz.teach(deps, await build_university(deps, demo.KZ_U, day))
        await demo_kg.teach(deps, await build_university(deps, demo.KG_U, day))
    finally:
        await engine.dispose()


def main() -> None:
    from ejournal_platform.settings import load_settings
    from services.curriculum.settings import CurriculumSettings

    asyncio.run(seed_demo(load_settings(CurriculumSettings).database_url))


if __name__ == "__main__":
    main()
