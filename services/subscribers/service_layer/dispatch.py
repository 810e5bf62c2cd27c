"""Delivering webhooks: each waiting delivery as a CloudEvents binary-mode HTTP POST signed the
Standard Webhooks way, in order per subscriber and subject, retried with growing delays, then parked
as dead.

One round: take, per subscriber and subject, the first `chain` waiting deliveries in order; send each
chain sequentially (a failure stops its chain, so nothing overtakes it) and the chains concurrently;
record the outcomes. Only one dispatcher works at a time (a PostgreSQL advisory lock), so replicas of
the service never send the same delivery twice at once. A delivery is at-least-once (a crash between
the receiver's 2xx and the record sends it again): receivers deduplicate by `webhook-id` = `ce-id`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from ejournal_platform.contract import JSON_CONTENT_TYPE, to_json
from ejournal_platform.events import PROTOBUF_CONTENT_TYPE
from ejournal_platform.logging import get_logger
from services.subscribers.adapters import deliveries_repo, routing_repo
from services.subscribers.domain.backoff import next_attempt
from services.subscribers.domain.signing import secret_key, signed_headers
from services.subscribers.service_layer import metrics
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.intake import route_parked

log = get_logger(__name__)

DISPATCH_LOCK = 0x5E_B5C2_1BE5  # the advisory lock id every dispatcher competes for
ROUND_LIMIT = 5000  # deliveries one round looks at, so a large backlog costs no more per round


@dataclass
class Outcome:
    seq: int
    delivered: bool
    attempts: int
    error: str = ""


def request_for(row: Any, now: datetime) -> tuple[dict[str, str], bytes]:
    json_wanted = row.content_type == JSON_CONTENT_TYPE
    body = to_json(row.event_type, row.payload) if json_wanted else row.payload
    event_id = str(row.event_id)
    headers = {
        "content-type": JSON_CONTENT_TYPE if json_wanted else PROTOBUF_CONTENT_TYPE,
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-type": row.event_type,
        "ce-source": row.source,
        "ce-subject": row.subject,
        "ce-time": row.event_time.isoformat(),
        **signed_headers(secret_key(row.secret), event_id, int(now.timestamp()), body),
    }
    return headers, body


class Dispatcher:
    def __init__(
        self,
        engine: AsyncEngine,
        deps: Deps,
        clock: Callable[[], datetime],
        *,
        retry_delays: Sequence[float],
        timeout: float = 10.0,
        concurrency: int = 32,
        chain: int = 50,
        poll_seconds: float = 0.5,
        park_keep: timedelta = timedelta(hours=72),
        delivered_keep: timedelta = timedelta(days=7),
        export_wake: Callable[[], None] | None = None,
    ) -> None:
        self._engine, self._deps, self._clock = engine, deps, clock
        self._delays, self._chain, self._poll, self._park_keep = (
            tuple(retry_delays),
            chain,
            poll_seconds,
            park_keep,
        )
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._slots = asyncio.Semaphore(concurrency)
        self._wakeup = asyncio.Event()
        self._next_status = 0.0
        self._delivered_keep, self._export_wake = delivered_keep, export_wake

    def wake(self) -> None:
        self._wakeup.set()

    async def close(self) -> None:
        await self._http.aclose()

    async def _send_chain(self, rows: list[Any]) -> list[Outcome]:
        """Send one subject's deliveries in order; stop at the first that is not accepted."""
        outcomes = []
        async with self._slots:
            for row in rows:
                now = self._clock()
                if row.next_attempt_at > now:
                    break
                headers, body = request_for(row, now)
                try:
                    reply = await self._http.post(row.url, content=body, headers=headers)
                    ok, error = 200 <= reply.status_code < 300, f"HTTP {reply.status_code}"
                except httpx.HTTPError as problem:
                    ok, error = False, f"{type(problem).__name__}: {problem}"
                outcomes.append(Outcome(row.seq, ok, row.attempts + 1, "" if ok else error))
                if not ok:
                    break
        return outcomes

    async def dispatch_due(self) -> int:
        """One round; the number of deliveries tried."""
        async with self._deps.unit_of_work() as uow:
            session = uow.session
            routed = await route_parked(
                session, self._clock(), self._park_keep, export=self._export_wake is not None
            )
            await uow.commit()
        if routed and self._export_wake is not None:
            self._export_wake()
        async with self._deps.unit_of_work() as uow:
            session = uow.session
            rows = await deliveries_repo.waiting(session, self._chain, ROUND_LIMIT)
        chains: dict[tuple[Any, str], list[Any]] = {}
        for row in rows:
            chains.setdefault((row.subscriber_id, row.subject), []).append(row)
        results = await asyncio.gather(*(self._send_chain(c) for c in chains.values()))
        outcomes = [o for chain in results for o in chain]
        if outcomes:
            await self._record(outcomes)
        return len(outcomes)

    async def _record(self, outcomes: list[Outcome]) -> None:
        now = self._clock()
        delivered = [o.seq for o in outcomes if o.delivered]
        async with self._deps.unit_of_work() as uow:
            session = uow.session
            if delivered:
                await deliveries_repo.mark_delivered(session, delivered, now)
            for o in outcomes:
                if o.delivered:
                    continue
                retry_at = next_attempt(o.attempts, now, self._delays)
                await deliveries_repo.mark_failed(session, o.seq, o.attempts, o.error, retry_at, now)
                log.warning("webhook delivery failed", seq=o.seq, attempts=o.attempts, error=o.error,
                            retry_at=str(retry_at) if retry_at else "dead-lettered")  # fmt: skip
                metrics.DELIVERIES.labels("dead" if retry_at is None else "failed").inc()
            await uow.commit()
        metrics.DELIVERIES.labels("delivered").inc(len(delivered))

    async def prune(self, batch: int = 10_000) -> int:
        """Delete delivered rows older than the retention (a batch per call; the status loop calls it
        every few seconds). Pending and dead rows are kept whatever their age."""
        cutoff = self._clock() - self._delivered_keep
        async with self._deps.unit_of_work() as uow:
            session = uow.session
            pruned = await deliveries_repo.prune(session, cutoff, batch)
            await uow.commit()
        return pruned

    async def run(self) -> None:
        """Dispatch until cancelled, while holding the dispatcher lock; ride out outages."""
        while True:
            try:
                async with self._engine.connect() as leader:
                    got = await routing_repo.try_dispatch_lock(leader, DISPATCH_LOCK)
                    await leader.commit()
                    if not got:
                        await asyncio.sleep(5)
                        continue
                    await self._rounds()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("dispatcher failed; retrying", error=repr(error))
                await asyncio.sleep(1)

    async def _rounds(self) -> None:
        while True:
            busy = await self.dispatch_due() > 0
            if time.monotonic() >= self._next_status:
                await self.prune()
                await metrics.refresh(self._deps, self._clock())
                self._next_status = time.monotonic() + 5
            if busy:
                continue
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll)
