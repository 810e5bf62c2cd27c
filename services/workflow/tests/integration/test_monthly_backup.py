"""KZ-16 on the time-skipping server: the monthly backup ensured at start (twice: idempotent) runs by
itself at 02:00 on the 1st in the university's time zone and a backup is recorded; a backup that
keeps failing raises a notice to the administrators; old backups are pruned by the retention."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.worker import Worker

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from services.workflow.adapters import tables
from services.workflow.adapters.backup_schedule import MONTHLY_BACKUP_ID, ensure_monthly_backup
from services.workflow.entrypoints import activities as run
from services.workflow.processes.backup.messages import BackupInput, BackupTaken
from services.workflow.processes.backup.workflows import MonthlyBackupWorkflow
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.doubles import FakeGradebook

pytestmark = pytest.mark.integration
ALMATY = ZoneInfo("Asia/Almaty")


@dataclass
class RecordingBackups:
    """The operator tool's stand-in: records each backup with the (skipped) time it was taken."""

    env: Any
    fail: bool = False
    records: list[datetime] = field(default_factory=list)
    pruned_with: list[int] = field(default_factory=list)
    attempts: int = 0

    async def take(self) -> BackupTaken:
        self.attempts += 1
        if self.fail:
            raise RuntimeError("pg_dump: connection refused")
        self.records.append(await self.env.get_current_time())
        return BackupTaken(f"b{len(self.records)}", f"/backups/b{len(self.records)}", 1024)

    async def prune(self, keep_years: int, now: str) -> list[str]:
        self.pruned_with.append(keep_years)
        return []


@dataclass
class Backups:
    env: Any
    port: RecordingBackups
    queue: str
    sessions: Any


@pytest.fixture
async def backups(databases: Any, time_skipping: Any) -> AsyncIterator[Backups]:
    engine = make_engine(databases.fresh("workflow"))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    port = RecordingBackups(time_skipping)
    queue = f"backup-{uuid.uuid4().hex[:8]}"
    deps = Deps(lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)), FakeGradebook())
    activities = run.Backup(deps, port)
    async with Worker(
        time_skipping.client, task_queue=queue, workflows=[MonthlyBackupWorkflow], activities=activities.all()
    ):
        yield Backups(time_skipping, port, queue, sessions)
    await engine.dispose()


async def wait_for(condition: Any, what: str) -> None:
    """Real time for the worker to run the activity after the server's clock has jumped."""
    for _ in range(300):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(what)


@pytest.mark.rule("KZ-16")
async def test_the_monthly_backup_runs_by_itself_on_the_1st_at_2_am_local_time(backups: Backups) -> None:
    env = backups.env
    assert await ensure_monthly_backup(env.client, backups.queue, "Asia/Almaty") is True
    assert await ensure_monthly_backup(env.client, backups.queue, "Asia/Almaty") is False  # already running
    handle = env.client.get_workflow_handle(MONTHLY_BACKUP_ID)
    try:
        started = (await env.get_current_time()).astimezone(ALMATY)
        assert backups.port.records == []
        await env.sleep(timedelta(days=32))  # past the next 1st of the month, whatever today is
        await wait_for(lambda: len(backups.port.records) >= 1, "no backup was taken by the schedule")
        await env.sleep(timedelta(days=31))
        await wait_for(lambda: len(backups.port.records) >= 2, "the schedule did not go on to the next month")
    finally:
        await handle.terminate("test over")
    first, second = (at.astimezone(ALMATY) for at in backups.port.records[:2])
    for taken in (first, second):
        assert (taken.day, taken.hour, taken.minute) == (1, 2, 0), taken
    assert first > started and (second.year * 12 + second.month) - (first.year * 12 + first.month) == 1
    assert backups.port.pruned_with[:2] == [5, 5]  # the longest retention of the profiles (KG-12: 5 years)


@pytest.mark.rule("KZ-16")
async def test_a_failing_backup_raises_a_notice_to_the_administrators(backups: Backups) -> None:
    backups.port.fail = True
    workflow_id = f"b-{uuid.uuid4()}"
    await backups.env.client.start_workflow(
        MonthlyBackupWorkflow.run,
        BackupInput("Asia/Almaty", keep_years=5),
        id=workflow_id,
        task_queue=backups.queue,
    )
    try:
        await backups.env.sleep(timedelta(days=32))
        await wait_for(lambda: backups.port.attempts >= 3, "the backup was not retried")
        for _ in range(300):
            async with backups.sessions() as session:
                rows = (await session.execute(tables.outbox.select())).all()
            notices = [ev.NotificationRequested.FromString(r.payload) for r in rows]
            failed = [n for n in notices if n.kind == "backup_failed"]
            if failed:
                break
            await backups.env.sleep(timedelta(minutes=10))
    finally:
        await backups.env.client.get_workflow_handle(workflow_id).terminate("test over")
    assert len(failed) == 1 and failed[0].recipient_role == "administrator"
    assert "pg_dump: connection refused" in failed[0].why
    assert backups.port.records == []
