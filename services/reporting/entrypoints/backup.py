"""`python -m services.reporting.entrypoints.backup [--dir DIR]`: back up every service's database
(pg_dump) and every NATS stream now, into DIR/<backup id>/ with manifest.json (KZ-16, KG-14).

The databases are the ones the services themselves use (EJOURNAL_<SERVICE>_DATABASE_URL, with the
same defaults), NATS is EJOURNAL_REPORTING_NATS_URL, DIR defaults to EJOURNAL_REPORTING_BACKUP_DIR.

Monthly (KZ-16): the workflow service's MonthlyBackup workflow runs this command at 02:00 on the 1st
of every month (services/workflow/backup, adapters/backups.py) and reads the JSON it prints.
"""

from __future__ import annotations

import argparse
import asyncio
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
