"""Define-by-natural-key: create the row with its stable id, or change the fields that differ; either
way audited, and a retry with the same values changes nothing."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.curriculum.adapters.orm import Base
from services.curriculum.service_layer import audit

M = TypeVar("M", bound=Base)


async def upsert(
    session: AsyncSession,
    model: type[M],
    id_: uuid.UUID,
    values: dict[str, Any],
    *,
    actor: str,
    entity: str,
    reason: str = "",
    bump_revision: bool = False,
) -> tuple[M, bool]:
    """Return (row, changed). `values` excludes the id; revision grows on change when asked."""
    row = await session.get(model, id_, with_for_update=True)
    if row is None:
        row = model(id=id_, **values)
        if bump_revision:
            row.revision = 1  # type: ignore[attr-defined]
        session.add(row)
        await session.flush()
        await audit.record(
            session, actor=actor, action="created", entity=entity, entity_id=id_, reason=reason, after=values
        )
        return row, True
    before = {key: getattr(row, key) for key in values}
    old, new = audit.changed(before, values)
    if not new:
        return row, False
    for key, value in new.items():
        setattr(row, key, value)
    if bump_revision:
        row.revision += 1  # type: ignore[attr-defined]
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="changed",
        entity=entity,
        entity_id=id_,
        reason=reason,
        before=old,
        after=new,
    )
    return row, True
