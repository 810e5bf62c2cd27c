"""The gradebook's subscriptions: curriculum (structure, load, schedule, contingent, deadlines) and
identity (substitutions), each a durable consumer whose effects are exactly-once through the inbox."""

from __future__ import annotations

from collections.abc import Callable

from nats.js import JetStreamContext

from ejournal_platform.consumer import EventConsumer
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import stream_name
from services.gradebook.adapters import tables
from services.gradebook.service_layer.projections import Projector


def consumers(
    js: JetStreamContext, unit_of_work: Callable[[], UnitOfWork], projector: Projector
) -> list[EventConsumer]:
    curriculum = sorted(t for t in projector.event_types if t.startswith("ejournal.curriculum."))
    identity = sorted(t for t in projector.event_types if t.startswith("ejournal.identity."))
    return [
        EventConsumer(
            js,
            unit_of_work,
            tables.inbox,
            name="gradebook-curriculum",
            stream=stream_name("curriculum"),
            subjects=curriculum,
            handler=projector.handle,
        ),
        EventConsumer(
            js,
            unit_of_work,
            tables.inbox,
            name="gradebook-identity",
            stream=stream_name("identity"),
            subjects=identity,
            handler=projector.handle,
        ),
    ]
