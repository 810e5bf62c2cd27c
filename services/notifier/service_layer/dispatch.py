"""Sending what is due: one message per immediate delivery, one digest per person and channel. A round
sends through each channel's `batch()`, so SMTP opens one connection per round, not one per message.

Every try is recorded with its outcome. A failure is retried after the configured delays; after the
last one the delivery is dead-lettered: marked dead and announced as `DeliveryDeadLettered` on the
notifier's stream, through the outbox in the same transaction, so nothing is lost silently.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from ejournal.notifier.v1 import events_pb2 as ev
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from ejournal_platform.logging import get_logger
from services.notifier.adapters import notices_repo
from services.notifier.adapters.channels import Channel, Sender
from services.notifier.adapters.notices_repo import DueDelivery
from services.notifier.domain.schedule import next_attempt
from services.notifier.service_layer.render import Rendered, Renderer

log = get_logger(__name__)


def dead_lettered(group: Sequence[DueDelivery], reason: str, message: Rendered) -> Event:
    """The dead-letter announcement: everything needed to deliver the message by other means."""
    first = group[0]
    payload = ev.DeliveryDeadLettered(
        delivery_id=str(first.id), notice_ids=[str(r.notice_id) for r in group],
        recipient_id=first.recipient_id, channel=first.channel, address=first.address,
        attempts=first.attempts + 1, last_error=reason, subject=message.subject, body=message.body,
    )  # fmt: skip
    return Event(payload, subject=f"delivery/{first.id}")


class Dispatcher:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        channels: Mapping[str, Channel],
        renderer: Renderer,
        clock: Callable[[], datetime],
        *,
        retry_delays: Sequence[float],
        batch: int = 100,
        poll_seconds: float = 0.5,
    ) -> None:
        self._uow, self._channels, self._renderer, self._clock = unit_of_work, channels, renderer, clock
        self._delays, self._batch, self._poll = tuple(retry_delays), batch, poll_seconds
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    def _message(self, rows: Sequence[DueDelivery]) -> Rendered:
        if rows[0].mode != "daily_digest":
            return Rendered(rows[0].subject, rows[0].body)
        items = [{"subject": r.subject, "body": r.body} for r in rows]
        return self._renderer.render("digest", rows[0].language, {"items": items})

    async def dispatch_due(self) -> int:
        """Send one batch of due deliveries; return how many deliveries it settled or rescheduled."""
        async with self._uow() as uow:
            now = self._clock()
            rows = await notices_repo.due(uow.session, now, self._batch)
            immediate = [[r] for r in rows if r.mode != "daily_digest"]
            digest_rows = sorted((r for r in rows if r.mode == "daily_digest"),
                                 key=lambda r: (r.recipient_id, r.channel, r.address))  # fmt: skip
            digests = [
                list(g) for _, g in groupby(digest_rows, key=lambda r: (r.recipient_id, r.channel, r.address))
            ]
            sent: list[Any] = []
            async with contextlib.AsyncExitStack() as open_channels:
                senders: dict[str, Sender] = {}

                async def sender_for(name: str) -> Sender | None:
                    channel = self._channels.get(name)
                    if channel is not None and name not in senders:
                        senders[name] = await open_channels.enter_async_context(channel.batch())
                    return senders.get(name)

                for group in immediate + digests:
                    if await self._deliver(uow, group, now, await sender_for(group[0].channel)):
                        sent += [r.id for r in group]
            if sent:  # one update and one insert for the whole batch: the round trips are the cost
                await notices_repo.mark_sent(uow.session, sent, now)
                await notices_repo.record(uow.session, sent, "sent")
            await uow.commit()
        return len(rows)

    async def _deliver(
        self, uow: UnitOfWork, group: list[DueDelivery], now: datetime, channel: Sender | None
    ) -> bool:
        """Send one message; True when sent (recorded by the caller), False when failed (recorded here)."""
        first, ids = group[0], [r.id for r in group]
        message = self._message(group)
        try:
            if channel is None:
                raise RuntimeError(f"channel {first.channel} is not configured")
            await channel.send(first.address, message.subject, message.body)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            retry_at = next_attempt(first.attempts + 1, now, self._delays)
            await notices_repo.mark_failed(uow.session, ids, reason, retry_at)
            await notices_repo.record(uow.session, ids, "failed" if retry_at else "dead_lettered", reason)
            log.warning("delivery failed", channel=first.channel, attempts=first.attempts + 1,
                        retry_at=str(retry_at), error=reason)  # fmt: skip
            if retry_at is None:
                uow.add_event(dead_lettered(group, reason, message))
            return False
        return True

    async def run(self) -> None:
        """Dispatch until cancelled; a database outage is ridden out (the next round tries again)."""
        while True:
            try:
                busy = await self.dispatch_due() >= self._batch
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("dispatch round failed", error=repr(error))
                busy = False
            if busy:
                continue
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll)
