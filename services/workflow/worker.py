"""The Temporal worker of every process in services/workflow (one folder per process)."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from ejournal_platform.logging import get_logger
from services.workflow.settings import WorkflowSettings

log = get_logger(__name__)

# Each process folder adds its workflow classes and activity callables here.
WORKFLOWS: list[type[Any]] = []
ACTIVITIES: list[Any] = []


async def connect_temporal(settings: WorkflowSettings, attempts: int = 120) -> Client:
    for attempt in range(attempts):
        try:
            return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.info("waiting for temporal", address=settings.temporal_address, error=repr(error))
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def run_worker(client: Client, settings: WorkflowSettings) -> None:
    if not WORKFLOWS and not ACTIVITIES:
        log.info("no workflows registered yet; worker idle")
        await asyncio.Event().wait()
    worker = Worker(client, task_queue=settings.task_queue, workflows=WORKFLOWS, activities=ACTIVITIES)
    await worker.run()
