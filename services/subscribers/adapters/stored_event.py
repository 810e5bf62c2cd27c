"""An event as subscribers keeps it until it is delivered, routed or exported: its place in order and
what a delivery or a republished message carries (the CloudEvents attributes and the protobuf payload).
Waiting deliveries, parked events and the export queue each add their own columns to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class StoredEvent:
    seq: int
    event_id: uuid.UUID
    event_type: str
    source: str
    subject: str
    event_time: datetime
    payload: bytes
