"""Names to print, all from reporting's own read models (built from events): people from identity's
PersonCreated, structure units (university, faculty, department, specialty, group) from curriculum's
StructureUnitDefined. Nothing printed comes from the client; an id never prints — a name not yet
received prints as empty."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters import queries_documents as q


@dataclass
class Names:
    people: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, some_id: str) -> str:
        if not some_id:
            return ""
        return self.people.get(some_id) or self.units.get(some_id) or ""


async def names_of(session: AsyncSession, people: Iterable[str] = (), units: Iterable[str] = ()) -> Names:
    return Names(await q.names_of(session, people), await q.unit_names(session, units))
