"""Rebuild the read models from scratch: stop the consumers, drop every projection row and the
consumers' inbox entries, delete the durable consumers, start again — each stream is then replayed
from its first event. Reporting's own records (report jobs, archive and backup records) stay."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ejournal_platform.logging import get_logger
from services.reporting.adapters.read_model_reset import delete_read_models
from services.reporting.adapters.schema import READ_MODEL_TABLES
from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.retention import reapply_archive_marks

log = get_logger(__name__)


@dataclass(frozen=True)
class RebuildStarted:
    tables: int
    inbox_rows_dropped: int


@dataclass(frozen=True, kw_only=True)
class DropReadModels:
    consumer_names: list[str]  # whose inbox entries go with the rows


async def drop_read_models(deps: Deps, cmd: DropReadModels) -> int:
    async with deps.unit_of_work() as uow:
        dropped = await delete_read_models(uow.session, cmd.consumer_names)
        await uow.commit()
        return dropped


async def rebuild(deps: Deps, *, consumers: ReadModelConsumers) -> RebuildStarted:
    """A system procedure over the running consumers (the caller has authorized it)."""
    await consumers.stop()
    dropped = await drop_read_models(deps, DropReadModels(consumer_names=consumers.names))
    await consumers.forget_positions()
    consumers.lag.reset()
    consumers.start()
    consumers.after_rebuild = asyncio.create_task(_finish(deps, consumers))
    log.info("read models rebuilding from the streams' start", inbox_rows_dropped=dropped)
    return RebuildStarted(len(READ_MODEL_TABLES), dropped)


async def _finish(deps: Deps, consumers: ReadModelConsumers) -> None:
    """Once the replay has caught up, archive again what the archive records say was archived (the
    replay brought those journals' cells back)."""
    seconds = await wait_caught_up(consumers, timeout=24 * 3600)
    await reapply_archive_marks(deps)
    log.info("read models rebuilt", seconds=round(seconds, 2))


async def wait_caught_up(consumers: ReadModelConsumers, timeout: float = 600.0) -> float:
    """Wait until every existing consumer has applied everything in its stream; return the seconds."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        # Positions only: the dead letters' counts (a stream look-up per consumer) do not decide it,
        # and every question here is work for NATS while the replay runs.
        backlog = await consumers.positions()
        if all(b.pending == 0 and b.unacknowledged == 0 for b in backlog):
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"read models did not catch up within {timeout:.0f} s")
