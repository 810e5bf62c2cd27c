"""A table from event type (the protobuf full name) to the projection that applies it.

Two kinds of projection:
- `rows(MessageType, upsert)`: the event becomes one row of a prepared upsert. The rows of a batch are
  sent together, as one INSERT … SELECT FROM unnest(<an array per column>) ON CONFLICT statement per
  run of distinct keys (adapters/projection_writes.py), which is what lets the read models follow
  1,000 marks/s and a rebuild replay fast; per table, rows still reach the database in stream order.
- `on(MessageType)`: any statements, for the rare events that need more than one upsert.

Events of types a projector does not know are skipped (and still recorded in the inbox), so a
publisher may add event types before reporting learns them; a replay picks them up later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.batch_consumer import Delivery
from ejournal_platform.db import UnitOfWork
from services.reporting.adapters.projection_writes import Upsert

__all__ = ["Projection", "Projector", "RowOf", "Upsert", "day", "event_time", "instant"]

M = TypeVar("M", bound=Message)
Projection = Callable[[AsyncSession, Any, Delivery], Awaitable[None]]
RowOf = Callable[[Any, Delivery], Mapping[str, Any] | None]


class Projector:
    def __init__(self, name: str, stream: str, subjects: list[str]) -> None:
        self.name = name
        self.stream = stream
        self.subjects = subjects
        self._statements: dict[str, tuple[type[Message], Projection]] = {}
        self._rows: dict[str, tuple[type[Message], Upsert, RowOf]] = {}

    def on(self, message_type: type[M]) -> Callable[[Projection], Projection]:
        def register(handler: Projection) -> Projection:
            self._statements[message_type.DESCRIPTOR.full_name] = (message_type, handler)
            return handler

        return register

    def rows(self, message_type: type[M], upsert: Upsert) -> Callable[[RowOf], RowOf]:
        def register(row_of: RowOf) -> RowOf:
            self._rows[message_type.DESCRIPTOR.full_name] = (message_type, upsert, row_of)
            return row_of

        return register

    @property
    def event_types(self) -> list[str]:
        return sorted([*self._statements, *self._rows])

    async def __call__(self, uow: UnitOfWork, deliveries: Sequence[Delivery]) -> None:
        """The batch consumer's handler, in its unit of work (the consumer commits)."""
        session = uow.session
        pending: dict[Upsert, list[Mapping[str, Any]]] = {}

        async def flush(which: Iterable[Upsert]) -> None:
            for upsert in list(which):
                rows = pending.pop(upsert)
                await upsert.write(session, rows)

        for delivery in deliveries:
            event_type = delivery.event.type
            if event_type in self._rows:
                message_type, upsert, row_of = self._rows[event_type]
                row = row_of(delivery.event.parse(message_type), delivery)
                if row is None:
                    continue
                if row.keys() != upsert.column_set:
                    # Every row of one statement must name the same columns (one array per column).
                    raise ValueError(f"{event_type}: row columns {sorted(row)} != {sorted(upsert.columns)}")
                # Another statement on the same table goes first: per table, the stream's order holds.
                await flush([u for u in pending if u.table is upsert.table and u is not upsert])
                pending.setdefault(upsert, []).append(row)
            elif event_type in self._statements:
                message_type, handler = self._statements[event_type]
                await flush(list(pending))
                await handler(session, delivery.event.parse(message_type), delivery)
        await flush(list(pending))


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
