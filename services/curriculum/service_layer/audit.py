"""The append-only audit: every change of the calendar, the curriculum, the structure and the plans."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import current_request_id
from services.curriculum.adapters import audit_repo


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, date | datetime | time):
            out[key] = value.isoformat()
        elif isinstance(value, uuid.UUID | Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await audit_repo.add_entry(
        session,
        id=uuid.uuid4(),
        actor_id=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        before=jsonable(before),
        after=jsonable(after),
        request_id=current_request_id(),
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, for a compact audit entry."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
