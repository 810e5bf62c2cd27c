"""Reading what a use case left behind: outbox events (parsed) and row counts; delivering another
service's event as curriculum's consumers do."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy import func, select

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent
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


async def deliver(
    deps: Deps, handler: Callable[[UnitOfWork, ReceivedEvent], Awaitable[None]], message: Message
) -> None:
    """Apply another service's event as the consumer does, twice (the second must change nothing)."""
    event = ReceivedEvent(
        id=str(uuid.uuid4()),
        type=message.DESCRIPTOR.full_name,
        source="test",
        subject="",
        time=datetime.now(UTC).isoformat(),
        data=message.SerializeToString(),
        headers={},
    )
    for _ in range(2):
        async with deps.uow() as uow:
            await handler(uow, event)
            await uow.commit()
