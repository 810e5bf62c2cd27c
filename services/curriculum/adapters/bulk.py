"""Bulk writes for imports: COPY inside the unit of work's transaction instead of one INSERT per row
(executemany), and an outbox writer that writes a transaction's many events the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import current_request_id
from ejournal_platform.events import Event
from ejournal_platform.outbox import OutboxWriter


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) by COPY on the session's own connection, so inside its
    transaction: they commit or roll back with everything else the use case wrote."""
    if not rows:
        return
    columns = list(rows[0])
    driver = await driver_connection(session)
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    async with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            await copy.write_row([row[name] for name in columns])


class BulkOutboxWriter(OutboxWriter):
    """The platform's outbox writer, writing many events as one statement; wakes the same relay."""

    def __init__(self, inner: OutboxWriter) -> None:
        super().__init__(inner.table)
        self.inner = inner
        self.wakeup = inner.wakeup

    async def write(self, session: AsyncSession, events: Sequence[Event]) -> None:
        if len(events) < 50:
            await self.inner.write(session, events)
            return
        request_id = current_request_id()
        for start in range(0, len(events), 10_000):
            await insert_rows(session, self.table, [
                {"event_id": e.id, "event_type": e.type, "subject": e.subject, "occurred_at": e.time,
                 "payload": e.payload.SerializeToString(deterministic=True), "request_id": request_id}
                for e in events[start : start + 10_000]
            ])  # fmt: skip

    def notify(self) -> None:
        self.inner.notify()
