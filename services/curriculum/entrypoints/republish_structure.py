"""`python -m services.curriculum.entrypoints.republish_structure`: publish `StructureUnitDefined` for
every unit (the names backfill for units defined before the event existed) and print the counts as JSON.

Uses curriculum's own settings (EJOURNAL_CURRICULUM_DATABASE_URL): the relay of a running curriculum
service publishes the events from its outbox.
"""

from __future__ import annotations

import asyncio
import json

from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.db import make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.settings import load_settings
from services.curriculum.adapters import tables
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.service_layer.structure_backfill import republish_structure
from services.curriculum.settings import CurriculumSettings


async def republish(settings: CurriculumSettings) -> dict[str, int]:
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        return await republish_structure(Deps(unit_of_work_factory(sessions, OutboxWriter(tables.outbox))))
    finally:
        await engine.dispose()


def main() -> None:
    print(json.dumps(asyncio.run(republish(load_settings(CurriculumSettings))), indent=2))


if __name__ == "__main__":
    main()
