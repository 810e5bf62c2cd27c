"""The monthly backup's port to the operator tool that knows how to back the system up.

The tool (`EJOURNAL_WORKFLOW_BACKUP_COMMAND`, today `python -m deploy.ops.backup`, reading its
settings from the file `EJOURNAL_WORKFLOW_BACKUP_ENV_FILE`)
dumps every database and stream into a folder of the backup directory, records the backup in
reporting's ListBackups, and prints `{"backup_id", "folder", "size_bytes"}` as JSON. Pruning removes
the folders whose manifest says they were started more than `keep_years` before the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
from datetime import datetime
from pathlib import Path

from services.workflow.domain.backup_retention import expired
from services.workflow.processes.backup.messages import BackupTaken


class CommandFailed(RuntimeError):
    pass


class CommandBackups:
    def __init__(self, command: str, directory: Path, env_file: Path | None = None) -> None:
        self._command = shlex.split(command)
        self._directory = directory
        # The tool's settings (every database it dumps) live in this file, not in this process.
        self._env = {**os.environ, "EJOURNAL_BACKUP_ENV_FILE": str(env_file)} if env_file else None

    async def take(self) -> BackupTaken:
        process = await asyncio.create_subprocess_exec(
            *self._command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=self._env
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            raise CommandFailed(f"exit {process.returncode}: {err.decode(errors='replace')[-2000:]}")
        taken = json.loads(out)
        return BackupTaken(str(taken["backup_id"]), str(taken["folder"]), int(taken["size_bytes"]))

    async def prune(self, keep_years: int, now: str) -> list[str]:
        started: dict[str, datetime] = {}
        for manifest in sorted(self._directory.glob("*/manifest.json")):
            started[manifest.parent.name] = datetime.fromisoformat(
                json.loads(manifest.read_text())["started_at"]
            )
        removed = expired(started, datetime.fromisoformat(now), keep_years)
        for backup_id in removed:
            shutil.rmtree(self._directory / backup_id)
        return removed
