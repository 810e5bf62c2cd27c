"""`python -m services.reporting.entrypoints.backup [--dir DIR]`: back up every service's database
(pg_dump) and every NATS stream now, into DIR/<backup id>/ with manifest.json (KZ-16, KG-14).

The databases are the ones the services themselves use (EJOURNAL_<SERVICE>_DATABASE_URL, with the
same defaults), NATS is EJOURNAL_REPORTING_NATS_URL, DIR defaults to EJOURNAL_REPORTING_BACKUP_DIR.

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

from ejournal_platform.db import make_engine
from ejournal_platform.settings import ServiceSettings, load_settings
from services.curriculum.settings import CurriculumSettings
from services.gradebook.settings import GradebookSettings
from services.identity.settings import IdentitySettings
from services.reporting.service_layer.backup import BackupTarget, take_backup
from services.reporting.service_layer.backup_records import record_backup
from services.reporting.settings import ReportingSettings
from services.workflow.settings import WorkflowSettings

SETTINGS: dict[str, type[ServiceSettings]] = {
    "identity": IdentitySettings,
    "curriculum": CurriculumSettings,
    "gradebook": GradebookSettings,
    "reporting": ReportingSettings,
    "workflow": WorkflowSettings,
}
MONTHLY_SCHEDULE_ID = "ejournal-monthly-backup"
MONTHLY_CRON = "0 2 1 * *"  # 02:00 on the 1st of every month (KZ-16: monthly)


def target_from_environment(directory: Path | None = None) -> BackupTarget:
    databases = {service: load_settings(cls).database_url for service, cls in SETTINGS.items()}
    reporting = load_settings(ReportingSettings)
    return BackupTarget(databases, reporting.nats_url, directory or reporting.backup_dir)


async def backup_now(target: BackupTarget, record_url: str) -> dict[str, Any]:
    result = await take_backup(target)
    engine = make_engine(record_url, pool_size=1)
    try:
        await record_backup(async_sessionmaker(engine, expire_on_commit=False), result)
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
