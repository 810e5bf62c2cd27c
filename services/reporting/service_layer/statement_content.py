"""Fetch each statement's full content (lines, signers) once, when its StatementFormed has arrived.

The content is accepted only if it is the statement the event announced: same id, and its content
hashes (recomputed here, adapters/statement_hash.py) to the hash the event stated. The record is
sacred: a mismatch is logged and the content left out, so a printout never shows anything else than
what was formed. Stored as the gradebook's Statement message bytes (deterministic serialization), so
backups and restores keep it bit for bit.
"""

from __future__ import annotations

import asyncio
import contextlib

from ejournal_platform.logging import get_logger
from services.reporting.adapters import queries_documents as q
from services.reporting.adapters.gradebook_client import StatementSource
from services.reporting.adapters.statement_hash import content_hash
from services.reporting.service_layer.deps import Deps

log = get_logger(__name__)


async def fetch_missing(deps: Deps, *, source: StatementSource, limit: int = 50) -> int:
    """Fetch up to `limit` missing contents; return how many were stored."""
    async with deps.unit_of_work() as uow:
        wanted = await q.statements_without_content(uow.session, limit)
    stored = 0
    for statement_id, expected_hash in wanted:
        content = await source.get(statement_id)
        recomputed = content_hash(content)
        if content.statement_id != statement_id or recomputed != (expected_hash or content.content_hash):
            log.error(
                "statement content does not hash to what was announced; not stored",
                statement_id=statement_id,
                expected_hash=expected_hash,
                recomputed_hash=recomputed,
            )
            continue
        async with deps.unit_of_work() as uow:
            await q.store_content(uow.session, statement_id, content.SerializeToString(deterministic=True))
            await uow.commit()
        stored += 1
    return stored


class StatementFetcher:
    def __init__(self, deps: Deps, source: StatementSource, idle: float = 1.0) -> None:
        self._deps = deps
        self._source = source
        self._idle = idle
        self.wakeup = asyncio.Event()

    async def run(self) -> None:
        delay = self._idle
        while True:
            try:
                stored = await fetch_missing(self._deps, source=self._source)
                delay = self._idle
            except asyncio.CancelledError:
                raise
            except Exception as error:
                stored = 0
                delay = min(delay * 2, 30.0)
                log.warning(
                    "cannot fetch statements from the gradebook yet", error=repr(error), retry_in=delay
                )
            if stored:
                continue
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=delay)
