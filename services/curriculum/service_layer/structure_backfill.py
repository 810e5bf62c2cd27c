"""Backfill (issue 16): publish `StructureUnitDefined` for every unit of the structure as it stands, so
the gradebook's names table also knows units defined before the event existed (their statements would
otherwise print ids). Operator's command: `python -m services.curriculum.entrypoints.republish_structure`.

One transaction through the outbox, parents before children; subscribers keep a unit's newest state,
so running it again only repeats the same names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.curriculum.adapters.models import Department, Faculty, Group, Specialty, University
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.events import structure_event

# (kind, model, the attribute naming its parent), parents first.
UNITS: tuple[tuple[str, Any, str | None], ...] = (
    ("university", University, None),
    ("faculty", Faculty, "university_id"),
    ("department", Department, "faculty_id"),
    ("specialty", Specialty, "faculty_id"),
    ("group", Group, "specialty_id"),
)


async def republish_structure(deps: Deps) -> dict[str, int]:
    """Publish every unit's printable state; returns how many of each kind."""
    published: dict[str, int] = {}
    now = deps.clock()
    async with deps.uow() as uow:
        for kind, model, parent in UNITS:
            rows = list(await uow.session.scalars(select(model).order_by(model.id)))
            for row in rows:
                uow.add_event(structure_event(kind, row, getattr(row, parent) if parent else None, now))
            published[kind] = len(rows)
        await uow.commit()
    return published
