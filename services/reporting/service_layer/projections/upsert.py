"""The one write the projections make: insert a row, or update it when the incoming copy is not older."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    guard: str | None = None,
    keep: Iterable[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> None:
    """Upsert by primary key. `guard` names a revision/version column: the row is only updated when the
    incoming value is at least the stored one (an older copy never wins; a replay of the same copy is
    harmless). Columns in `keep` are written on insert only; `overrides` replace the update expression
    of a column (e.g. keep the first time something happened)."""
    statement = insert(table).values(**values)
    keys = {c.name for c in table.primary_key.columns}
    kept = set(keep)
    update = {name: statement.excluded[name] for name in values if name not in keys and name not in kept}
    update |= dict(overrides or {})
    if not update:
        await session.execute(statement.on_conflict_do_nothing())
        return
    where = table.c[guard] <= statement.excluded[guard] if guard else None
    await session.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=update, where=where)
    )
