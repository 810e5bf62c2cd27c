"""`python -m deploy.ops.backup [--dir DIR]`: back up every service's database
(pg_dump) and every NATS stream now, into DIR/<backup id>/ with manifest.json (KZ-16, KG-14).

An operator's tool beside the services, not part of any (settings: `deploy/ops/settings.py`). The
databases are the ones the services themselves use (EJOURNAL_<SERVICE>_DATABASE_URL, with the same
defaults), NATS is EJOURNAL_REPORTING_NATS_URL, DIR defaults to EJOURNAL_REPORTING_BACKUP_DIR, and
the backup is recorded in reporting's database (ListBackups).

Monthly schedule (KZ-16): the workflow's Temporal worker registers `monthly_backup` as an activity and
a workflow that calls it; `ensure_monthly_schedule(client, workflow, task_queue)` creates the schedule
MONTHLY_SCHEDULE_ID running it at 02:00 on the 1st of every month (MONTHLY_CRON).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.ops.archive import BackupTarget, take_backup
from deploy.ops.settings import database_urls
from ejournal_platform.db import make_engine
from ejournal_platform.settings import load_settings
from services.reporting.service_layer.backup_records import record_backup
from services.reporting.settings import ReportingSettings

MONTHLY_SCHEDULE_ID = "ejournal-monthly-backup"
MONTHLY_CRON = "0 2 1 * *"  # 02:00 on the 1st of every month (KZ-16: monthly)


def target_from_environment(directory: Path | None = None) -> BackupTarget:
    reporting = load_settings(ReportingSettings)
    return BackupTarget(database_urls(), reporting.nats_url, directory or reporting.backup_dir)


async def backup_now(target: BackupTarget, record_url: str) -> dict[str, Any]:
    result = await take_backup(target)
    engine = make_engine(record_url, pool_size=1)
    try:
        await record_backup(
            async_sessionmaker(engine, expire_on_commit=False),
            backup_id=result.backup_id,
            location=str(result.folder),
            manifest=result.manifest,
            size_bytes=result.size_bytes,
        )
    finally:
        await engine.dispose()
    return {"backup_id": result.backup_id, "folder": str(result.folder), "size_bytes": result.size_bytes}


async def monthly_backup() -> dict[str, Any]:
    """The body of the monthly Temporal activity: a backup of everything, recorded in reporting."""
    return await backup_now(target_from_environment(), load_settings(ReportingSettings).database_url)


async def ensure_monthly_schedule(
    client: Any, workflow: str, task_queue: str, workflow_id: str = "monthly-backup"
) -> None:
    """Create the monthly schedule if it does not exist (temporalio.client.Client)."""
    from temporalio.client import (
        Schedule,
        ScheduleActionStartWorkflow,
        ScheduleAlreadyRunningError,
        ScheduleSpec,
    )

    schedule = Schedule(
        action=ScheduleActionStartWorkflow(workflow, id=workflow_id, task_queue=task_queue),
        spec=ScheduleSpec(cron_expressions=[MONTHLY_CRON]),
    )
    with contextlib.suppress(ScheduleAlreadyRunningError):
        await client.create_schedule(MONTHLY_SCHEDULE_ID, schedule)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--dir", type=Path, help="where to write the backup (default EJOURNAL_REPORTING_BACKUP_DIR)"
    )
    args = parser.parse_args(argv)
    target = target_from_environment(args.dir)
    result = asyncio.run(backup_now(target, load_settings(ReportingSettings).database_url))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
