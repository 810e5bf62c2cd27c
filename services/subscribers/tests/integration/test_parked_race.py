"""An event parked while its structure arrives is not parked for ever (issue 18).

The race is the gradebook's and reporting's: the event's consumer finds no university (the structure's
transaction has not committed) and parks the event, while the dispatcher's round that follows the
structure's arrival does not see the parked row (its transaction has not committed). Here no trigger
must meet the other side: every dispatcher round re-reads every parked event (intake.route_parked),
and the dispatcher runs a round at least every `poll_seconds` whether woken or not (Dispatcher._rounds),
so the first round after both commits routes it. This test plays both orders step by step and shows
that such a round routes the event; it cannot fail on today's code, and would if route_parked stopped
re-reading what it once found unroutable (e.g. routed parked events only for the structure it was woken
for)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf.message import Message
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.db import make_engine
from ejournal_platform.events import ReceivedEvent
from ejournal_platform.testing.fixtures import Databases
from services.subscribers.adapters import tables
from services.subscribers.service_layer.deps import Deps
from services.subscribers.service_layer.intake import Intake, route_parked

pytestmark = pytest.mark.integration


@pytest.fixture
async def deps(databases: Databases) -> AsyncIterator[Deps]:
    engine = make_engine(databases.fresh("subscribers"))
    yield Deps.over(async_sessionmaker(engine, expire_on_commit=False))
    await engine.dispose()


def received(message: Message, subject: str = "") -> ReceivedEvent:
    return ReceivedEvent(
        str(uuid.uuid4()), message.DESCRIPTOR.full_name, "test", subject,
        datetime.now(UTC).isoformat(), message.SerializeToString(), {},
    )  # fmt: skip


async def dispatcher_round(deps: Deps) -> int:
    """What a dispatcher round does first: route the parked events it can; how many it routed."""
    async with deps.unit_of_work() as uow:
        routed = await route_parked(uow.session, datetime.now(UTC), timedelta(hours=72))
        await uow.commit()
    return routed


async def parked(deps: Deps) -> int:
    async with deps.unit_of_work() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(tables.parked))).scalar_one())


@pytest.mark.parametrize("structure_first", [False, True], ids=["event-first", "structure-first"])
async def test_an_event_parked_while_its_structure_arrives_is_routed_by_the_next_round(
    deps: Deps, structure_first: bool
) -> None:
    intake = Intake()
    university, journal = str(uuid.uuid4()), str(uuid.uuid4())
    structure = [
        received(cur.StructureUnitDefined(unit_id=university, kind="university", title="U")),
        received(gb.JournalOpened(journal_id=journal, university_id=university), subject=journal),
    ]
    mark = received(gb.MarkRecorded(journal_id=journal, lesson_id=str(uuid.uuid4()), value="5"), journal)
    first, second = (structure, [mark]) if structure_first else ([mark], structure)
    async with deps.unit_of_work() as held:
        for event in first:
            await intake.handle(held, event)
        async with deps.unit_of_work() as other:
            for event in second:
                await intake.handle(other, event)
            await other.commit()
        # The round that follows the second side's commit: the event is parked unseen, or cannot be
        # routed yet (its structure is not committed).
        assert await dispatcher_round(deps) == 0
        await held.commit()
    assert await parked(deps) == 1  # neither side routed it: the race is real
    assert await dispatcher_round(deps) == 1
    assert await parked(deps) == 0
