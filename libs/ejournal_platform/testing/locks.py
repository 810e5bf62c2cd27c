"""Races played step by step: wait for a fact (a statement finished, or waiting for a lock), not a time."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg


async def done_or_blocked(task: asyncio.Task[Any], database_url: str) -> None:
    """Return once `task` has finished or a session of its database waits for a lock.

    `database_url` (SQLAlchemy's or libpq's form) should be a role that sees the other sessions' waits:
    the superuser, or the role the racing sessions use. The observer is in autocommit: a transaction
    would keep reading its first snapshot of pg_stat_activity."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as observer:
        while not task.done():
            found = await observer.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            row = await found.fetchone()
            if row is not None and row[0]:
                return
            await asyncio.sleep(0.01)
