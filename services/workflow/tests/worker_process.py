"""A workflow worker in its own process, for tests that kill it.

`python -m services.workflow.tests.worker_process`

Configured by environment: WORKER_TEMPORAL, WORKER_QUEUE, WORKER_DATABASE_URL, WORKER_GRADEBOOK,
WORKER_TOKEN (the service identity's token for the gradebook). Prints "ready" once polling.
"""

from __future__ import annotations

import asyncio
import os

from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.client import Client

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from services.workflow.adapters import tables
from services.workflow.adapters.gradebook import GrpcGradebook
from services.workflow.adapters.service_token import StaticToken
from services.workflow.entrypoints.worker import build_worker
from services.workflow.search_attributes import NAMESPACE


async def main() -> None:
    client = await Client.connect(os.environ["WORKER_TEMPORAL"], namespace=NAMESPACE)
    engine = make_engine(os.environ["WORKER_DATABASE_URL"])
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)
    gradebook = GrpcGradebook(os.environ["WORKER_GRADEBOOK"], StaticToken(os.environ["WORKER_TOKEN"]))
    worker = build_worker(client, os.environ["WORKER_QUEUE"], lambda: UnitOfWork(sessions, outbox), gradebook)
    async with worker:
        print("ready", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
