"""Consumed events become deliveries: one per subscriber of the event's university that was granted
its type, written in the consumer's transaction (so exactly once per event and subscriber).

The university is found by walking the ids the event carries up the structure this service keeps from
curriculum's `StructureUnitDefined` and gradebook's `JournalOpened`. The streams are consumed side by
side, so an event may arrive before the structure that places it: it is parked, in order, and routed
when the structure arrives (dispatch.py retries parked events). Events of one subject that follow a
parked one are parked behind it, so per-subject order holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.contract import message_class
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.logging import get_logger
from services.subscribers.adapters import deliveries_repo, routing_repo, subscribers_repo
from services.subscribers.domain.routing import OFFERED_SERVICES, anchor_ids, granted, university_of

log = get_logger(__name__)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _time(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return datetime.now(UTC)


def _stored(event: ReceivedEvent) -> dict[str, Any]:
    """The event's columns as parked, exported and delivered rows keep them."""
    return {
        "event_id": uuid.UUID(event.id),
        "event_type": event.type,
        "source": event.source,
        "subject": event.subject,
        "event_time": _time(event.time),
        "payload": event.data,
    }


async def keep_anchor(session: AsyncSession, payload: Message) -> bool:
    """Remember where a unit or a journal sits; True when the structure changed."""
    if isinstance(payload, cur.StructureUnitDefined):
        anchor_id, kind, parent_id = payload.unit_id, payload.kind, payload.parent_id
    elif isinstance(payload, gb.JournalOpened):
        anchor_id, kind = payload.journal_id, "journal"
        parent_id = payload.university_id or payload.group_id or payload.faculty_id
    else:
        return False
    anchor, parent = _uuid(anchor_id), _uuid(parent_id)
    if anchor is None:
        return False
    await routing_repo.keep_anchor(session, anchor, kind, parent)
    return True


async def university(session: AsyncSession, payload: Message) -> str | None:
    ids = [i for i in anchor_ids(payload) if _uuid(i) is not None]
    known: dict[str, tuple[str, str | None]] = {}
    frontier = {uuid.UUID(i) for i in ids}
    for _ in range(8):  # each round loads one level up
        if not frontier:
            break
        rows = await routing_repo.anchors(session, frontier)
        for r in rows:
            known[str(r.anchor_id)] = (r.kind, str(r.parent_id) if r.parent_id else None)
        frontier = {r.parent_id for r in rows if r.parent_id is not None and str(r.parent_id) not in known}
    return university_of(ids, known)


async def queue_export(session: AsyncSession, event: ReceivedEvent, university_id: str) -> None:
    """The event, to be republished on the export NATS for its university (service_layer/export.py)."""
    await routing_repo.queue_export(session, university_id, _stored(event))


async def fan_out(
    session: AsyncSession, event: ReceivedEvent, university_id: str, export: bool = False
) -> int:
    """A delivery for each webhook subscriber of the university granted this type (paused ones too: they
    queue); with `export`, also the event for the export NATS (counted as one)."""
    if export:
        await queue_export(session, event, university_id)
    candidates = await subscribers_repo.webhook_grants(session, university_id)
    chosen = [r.subscriber_id for r in candidates if granted(event.type, r.event_types)]
    if not chosen:
        return int(export)
    await deliveries_repo.add(session, chosen, _stored(event))
    return len(chosen) + int(export)


class Intake:
    def __init__(
        self, wake: Callable[[], None] = lambda: None, export: Callable[[], None] | None = None
    ) -> None:
        """`wake` nudges the dispatcher; `export`, when the export NATS is configured, the exporter."""
        self._wake = wake
        self._export = export

    async def handle(self, uow: UnitOfWork, event: ReceivedEvent) -> None:
        """The consumers' handler, in the consumer's unit of work (committed by the consumer)."""
        session = uow.session
        service = event.type.split(".")[1] if event.type.count(".") >= 2 else ""
        if service not in OFFERED_SERVICES:
            return
        try:
            payload = message_class(event.type)()
        except KeyError:
            log.warning("event type not in the contract", event_type=event.type)
            return
        payload.ParseFromString(event.data)
        structure_changed = await keep_anchor(session, payload)
        behind_parked = await routing_repo.parked_on(session, event.subject) if event.subject else False
        found = None if behind_parked else await university(session, payload)
        if found is not None:
            if await fan_out(session, event, found, export=self._export is not None):
                self._wake()
                if self._export is not None:
                    self._export()
        elif anchor_ids(payload):
            await park(session, event)
        if structure_changed:
            self._wake()


async def park(session: AsyncSession, event: ReceivedEvent) -> None:
    await routing_repo.park(session, _stored(event))


async def route_parked(
    session: AsyncSession, now: datetime, keep: timedelta, batch: int = 500, export: bool = False
) -> int:
    """Route parked events whose university is known now, in order; drop those parked too long."""
    rows = await routing_repo.parked_batch(session, batch)
    blocked: set[str] = set()
    routed = []
    for row in rows:
        if row.subject and row.subject in blocked:
            continue
        payload = message_class(row.event_type)()
        payload.ParseFromString(row.payload)
        found = await university(session, payload)
        if found is None:
            if row.parked_at < now - keep:
                log.warning(
                    "parked event dropped: its university never became known", event_id=str(row.event_id)
                )
                routed.append(row.seq)
            elif row.subject:
                blocked.add(row.subject)
            continue
        event = ReceivedEvent(str(row.event_id), row.event_type, row.source, row.subject,
                              row.event_time.isoformat(), row.payload, {})  # fmt: skip
        await fan_out(session, event, found, export=export)
        routed.append(row.seq)
    if routed:
        await routing_repo.unpark(session, routed)
    return len(routed)
