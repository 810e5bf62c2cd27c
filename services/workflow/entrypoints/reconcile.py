"""`python -m services.workflow.entrypoints.reconcile`: reconcile the reopen cases now and print what
was done as JSON (the operator's command; the same runs hourly on a Temporal schedule).

Uses the workflow service's own settings (EJOURNAL_WORKFLOW_DATABASE_URL, _TEMPORAL_ADDRESS,
_TASK_QUEUE, with the same defaults): it acts as the service does, on its database and task queue.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json

from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import ServiceIdentity
from services.workflow.adapters import tables
from services.workflow.adapters.case_processes import CaseProcesses
from services.workflow.adapters.gradebook import GrpcGradebook
from services.workflow.adapters.temporal import connect_temporal
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.reconciler import ReconcileCases, ReconcileReport, reconcile_cases
from services.workflow.settings import WorkflowSettings


async def reconcile_now(settings: WorkflowSettings) -> ReconcileReport:
    engine = make_engine(settings.database_url, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        client = await connect_temporal(settings, attempts=10)
        # The service's own deps; reconciling never calls the gradebook (its channel opens lazily).
        gradebook = GrpcGradebook(
            settings.gradebook_address,
            ServiceIdentity(settings.identity_address, "workflow", settings.service_secret),
        )
        deps = Deps(
            lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)),
            gradebook,
            CaseProcesses(client, settings.task_queue),
            activity_timeout_seconds=settings.activity_timeout_seconds,
        )
        try:
            return await reconcile_cases(deps, ReconcileCases())
        finally:
            await gradebook.close()
    finally:
        await engine.dispose()


def main() -> None:
    report = asyncio.run(reconcile_now(load_settings(WorkflowSettings)))
    print(json.dumps(dataclasses.asdict(report), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
