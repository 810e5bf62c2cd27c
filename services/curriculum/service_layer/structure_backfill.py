"""Backfill (issue 16): publish `StructureUnitDefined` for every unit of the structure as it stands, so
the gradebook's names table also knows units defined before the event existed (their statements would
otherwise print ids). Operator's command: `python -m services.curriculum.entrypoints.republish_structure`.

One transaction through the outbox, parents before children; subscribers keep a unit's newest state,
so running it again only repeats the same names.
"""

from __future__ import annotations

from services.curriculum.adapters import structure_repo
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.events import structure_event


async def republish_structure(deps: Deps) -> dict[str, int]:
    """Publish every unit's printable state; returns how many of each kind."""
    published: dict[str, int] = {}
    now = deps.clock()
    async with deps.uow() as uow:
        for kind, rows, parent in await structure_repo.every_unit(uow.session):
            for row in rows:
                uow.add_event(structure_event(kind, row, getattr(row, parent) if parent else None, now))
            published[kind] = len(rows)
        await uow.commit()
    return published
