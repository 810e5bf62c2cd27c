"""The raw psycopg connection under a SQLAlchemy session, and database errors the guards raise.

The hot paths (batch writes, grid reads) talk to psycopg directly inside the unit of work's
transaction: one `unnest` statement per table with binary parameters is several times faster than an
executemany (see RECIPES.md), and binary results halve the decoding cost of a grid.
"""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

CLOSED_SQLSTATE = "EJ005"  # a write into a closed section or a locked journal (migration 0002)
APPEND_ONLY_SQLSTATE = "EJ009"  # an UPDATE/DELETE of history, statements...


async def raw_connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    connection = await session.connection()
    fairy = await connection.get_raw_connection()
    driver = fairy.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver


def sqlstate_of(error: BaseException) -> str | None:
    original = error.orig if isinstance(error, DBAPIError) else error
    return getattr(original, "sqlstate", None)


async def set_grant(session: AsyncSession, grant_id: str, actor_id: str) -> None:
    """Name the reopen grant this transaction writes under, for the closed-section trigger."""
    conn = await raw_connection(session)
    await conn.execute(
        "SELECT set_config('ejournal.grant_id', %s, true), set_config('ejournal.actor_id', %s, true)",
        (grant_id, actor_id),
    )
