"""Reading what a use case left behind: outbox events (parsed) and row counts."""

from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy import func, select

from services.curriculum.adapters import tables
from services.curriculum.service_layer.deps import Deps

M = TypeVar("M", bound=Message)


async def outbox_events(deps: Deps, message_type: type[M]) -> list[M]:
    t = tables.outbox
    async with deps.uow() as uow:
        rows = await uow.session.execute(
            select(t.c.payload).where(t.c.event_type == message_type.DESCRIPTOR.full_name).order_by(t.c.seq)
        )
        found = []
        for (payload,) in rows.all():
            message = message_type()
            message.ParseFromString(payload)
            found.append(message)
        return found


async def count(deps: Deps, model: Any) -> int:
    async with deps.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def outbox_size(deps: Deps) -> int:
    return await count(deps, tables.outbox)
