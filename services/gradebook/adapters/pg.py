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

from ejournal_platform.binary_statements import driver_connection

CLOSED_SQLSTATE = "EJ005"  # a write into a closed section or a locked journal (migration 0002)
APPEND_ONLY_SQLSTATE = "EJ009"  # an UPDATE/DELETE of history, statements...


async def explicit_connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    """The session's connection in autocommit mode, for a caller that sends BEGIN (and possibly COMMIT)
    itself inside its pipelines: psycopg's own BEGIN costs a round trip of its own, even in pipeline
    mode (it syncs and waits before the first statement). Must be the session's first call (the mode is
    set as the connection is taken); SQLAlchemy restores the pool's mode when the connection goes back,
    after its reset's ROLLBACK. Until the caller's BEGIN, every statement would commit on its own."""
    connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    fairy = await connection.get_raw_connection()
    driver = fairy.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection) and driver.autocommit
    return driver


# Sent by the caller, never prepared: psycopg prepares a statement run 5 times on a connection, and a
# transaction's control statements have nothing to plan.
BEGIN = "BEGIN"
COMMIT = "COMMIT"


async def queue_begin(conn: psycopg.AsyncConnection[Any]) -> None:
    await statement_cursor(conn, BEGIN).execute(BEGIN, prepare=False)


async def queue_commit(conn: psycopg.AsyncConnection[Any]) -> None:
    await statement_cursor(conn, COMMIT).execute(COMMIT, prepare=False)


# A kept cursor holds its statement's last parameters (and result) until its next use on that
# connection: only batches up to this size use one, so a deadline rush's 20,000-cell batch leaves no
# megabytes behind on each pooled connection (and saves nothing measurable there anyway).
KEEP_CURSOR_UP_TO_CELLS = 2_000
_KEPT = "_ejournal_kept_cursors"


def statement_cursor(
    conn: psycopg.AsyncConnection[Any], statement: str, *, binary: bool = False, cells: int = 0
) -> psycopg.AsyncCursor[Any]:
    """The connection's own cursor for one hot statement (a module constant: the same object every
    call), kept across calls. psycopg builds a cursor's adaptation state (a Transformer, a dumper per
    parameter type) anew for every new cursor, and again whenever a cursor runs a statement other than
    its last one: ~13 us of client CPU a statement, measured (docs/perf stop 31). A connection is lent
    to one call at a time, so its kept cursors are too; they go with the connection when it closes.
    Larger batches (`cells`) get a new cursor, as before. The caller does not close a kept cursor."""
    if cells > KEEP_CURSOR_UP_TO_CELLS:
        return conn.cursor(binary=binary)
    kept: dict[tuple[str, bool], psycopg.AsyncCursor[Any]] | None = getattr(conn, _KEPT, None)
    if kept is None:
        kept = {}
        setattr(conn, _KEPT, kept)
    cursor = kept.get((statement, binary))
    if cursor is None or cursor.closed:
        cursor = kept[(statement, binary)] = conn.cursor(binary=binary)
    return cursor


def sqlstate_of(error: BaseException) -> str | None:
    original = error.orig if isinstance(error, DBAPIError) else error
    return getattr(original, "sqlstate", None)


async def set_grant(session: AsyncSession, grant_id: str, actor_id: str) -> None:
    """Name the reopen grant this transaction writes under, for the closed-section trigger."""
    conn = await driver_connection(session)
    await conn.execute(
        "SELECT set_config('ejournal.grant_id', %s, true), set_config('ejournal.actor_id', %s, true)",
        (grant_id, actor_id),
    )
