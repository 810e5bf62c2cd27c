"""A table from event type (the protobuf full name) to the handler that projects it.

Events of types a projector does not know are skipped (and still recorded in the inbox), so a
publisher may add event types before reporting learns them; a replay picks them up later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.adapters.batch_consumer import Delivery

M = TypeVar("M", bound=Message)
Projection = Callable[[AsyncSession, Any, Delivery], Awaitable[None]]


class Projector:
    def __init__(self, name: str, stream: str, subjects: list[str]) -> None:
        self.name = name
        self.stream = stream
        self.subjects = subjects
        self._handlers: dict[str, tuple[type[Message], Projection]] = {}

    def on(self, message_type: type[M]) -> Callable[[Projection], Projection]:
        def register(handler: Projection) -> Projection:
            self._handlers[message_type.DESCRIPTOR.full_name] = (message_type, handler)
            return handler

        return register

    @property
    def event_types(self) -> list[str]:
        return sorted(self._handlers)

    async def __call__(self, session: AsyncSession, delivery: Delivery) -> None:
        found = self._handlers.get(delivery.event.type)
        if found is None:
            return
        message_type, handler = found
        await handler(session, delivery.event.parse(message_type), delivery)


def instant(text: str) -> datetime | None:
    """An RFC 3339 instant; empty or unreadable text is None (a missing fact, not an error)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def event_time(delivery: Delivery) -> datetime | None:
    return instant(delivery.event.time)
