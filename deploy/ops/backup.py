"""`python -m deploy.ops.backup [--dir DIR]`: back up every service's database
(pg_dump) and every NATS stream now, into DIR/<backup id>/ with manifest.json (KZ-16, KG-14).

An operator's tool beside the services, not part of any, with settings of its own
(`deploy/ops/settings.py`: EJOURNAL_BACKUP_DATABASE_URLS, _NATS_URL, _DIR, or the file
EJOURNAL_BACKUP_ENV_FILE names); the backup is recorded in reporting's database (ListBackups).

Monthly (KZ-16): the workflow service's MonthlyBackup workflow runs this command at 02:00 on the 1st
of every month (services/workflow/processes/backup, adapters/backups.py) and reads the JSON it prints.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.ops.archive import BackupTarget, take_backup
from deploy.ops.settings import BackupSettings, backup_settings
from ejournal_platform.db import make_engine
from ejournal_platform.nats import NatsTls
from services.reporting.service_layer.backup_records import record_backup
from services.reporting.service_layer.deps import Deps


def target(settings: BackupSettings, directory: Path | None = None) -> BackupTarget:
    return BackupTarget(
        settings.database_urls,
        settings.nats_url,
        directory or settings.dir,
        nats_tls=NatsTls(settings.nats_ca_file, settings.nats_cert_file, settings.nats_key_file),
    )


async def backup_now(target: BackupTarget, record_url: str) -> dict[str, Any]:
    result = await take_backup(target)
    engine = make_engine(record_url, pool_size=1)
    try:
        await record_backup(
            Deps.over(async_sessionmaker(engine, expire_on_commit=False)),
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
    settings = backup_settings()
    return await backup_now(target(settings), settings.database_urls["reporting"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--dir", type=Path, help="where to write the backup (default EJOURNAL_BACKUP_DIR)")
    args = parser.parse_args(argv)
    settings = backup_settings()
    result = asyncio.run(backup_now(target(settings, args.dir), settings.database_urls["reporting"]))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
