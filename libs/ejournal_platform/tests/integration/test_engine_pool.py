"""The engine's pool (issue 19): connections a burst opened stay open, a connection in use a moment ago
is lent without a ping, and one that died while idle is replaced before anyone uses it."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ejournal_platform import db
from ejournal_platform.db import make_engine
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration


async def _backend_pids(engine: AsyncEngine, n: int) -> set[int]:
    """n connections at once; the server process id behind each."""
    gate = asyncio.Barrier(n)

    async def one() -> int:
        async with engine.connect() as conn:
            await gate.wait()  # all n are checked out at the same time
            return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    return set(await asyncio.gather(*(one() for _ in range(n))))


async def test_a_burst_keeps_its_connections_and_a_dead_idle_one_is_replaced(
    databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.empty()
    engine = make_engine(url, pool_size=2)
    try:
        first = await _backend_pids(engine, 4)  # pool_size + as many again, as before
        assert len(first) == 4
        assert await _backend_pids(engine, 4) == first  # none was closed on return and reopened

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        async with await psycopg.AsyncConnection.connect(plain, autocommit=True) as other:
            await other.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid", (list(first),))
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # they have all been idle long enough
        async with engine.connect() as conn:  # pinged, found dead, replaced: no error reaches us
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
