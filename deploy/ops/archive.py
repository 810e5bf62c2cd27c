"""Backups (KZ-16: monthly; KG-14: the administrator makes archive copies): every service's database
(pg_dump) and every NATS stream (its messages), in one folder with a manifest of SHA-256 sums; and the
restore into fresh databases and a fresh NATS, after checking every file against the manifest.

An operator's tool, not part of any service: `deploy/ops/backup.py` and `restore.py` are its command
lines and the monthly schedule.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from deploy.ops import pg_dump, stream_dump
from ejournal_platform.events import stream_name
from ejournal_platform.logging import get_logger
from ejournal_platform.nats import NatsTls, connect
from ejournal_platform.services import SERVICES

log = get_logger(__name__)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class BackupTarget:
    databases: Mapping[str, str]  # service -> SQLAlchemy URL of its database
    nats_url: str
    directory: Path
    streams: tuple[str, ...] = tuple(stream_name(s) for s in SERVICES)
    nats_tls: NatsTls | None = None  # the cluster's NATS serves TLS (EJOURNAL_BACKUP_NATS_CA_FILE)


@dataclass(frozen=True)
class BackupResult:
    backup_id: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def size_bytes(self) -> int:
        files = [*self.manifest["databases"].values(), *self.manifest["streams"].values()]
        return sum(int(f.get("bytes", 0)) for f in files)


async def take_backup(target: BackupTarget, nats: Client | None = None) -> BackupResult:
    started = datetime.now(UTC)
    backup_id = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
    folder = target.directory / backup_id
    folder.mkdir(parents=True, exist_ok=False)
    manifest: dict[str, Any] = {
        "backup_id": backup_id,
        "started_at": started.isoformat(),
        "databases": {},
        "streams": {},
    }
    for service, url in sorted(target.databases.items()):
        file = folder / f"{service}.pgdump"
        await pg_dump.dump(url, file)
        manifest["databases"][service] = {
            "file": file.name,
            "database": pg_dump.database_name(url),
            "sha256": sha256_of(file),
            "bytes": file.stat().st_size,
        }
    client = nats or await connect(target.nats_url, "reporting-backup", target.nats_tls)
    try:
        js = client.jetstream()
        for stream in target.streams:
            file = folder / f"{stream}.jsonl"
            facts = await stream_dump.dump_stream(js, stream, file)
            if facts.get("missing"):
                file.unlink(missing_ok=True)
                continue
            manifest["streams"][stream] = {
                "file": file.name,
                "messages": facts["messages"],
                "last_seq": facts["last_seq"],
                "sha256": sha256_of(file),
                "bytes": file.stat().st_size,
            }
    finally:
        if nats is None:
            await client.close()
    manifest["finished_at"] = datetime.now(UTC).isoformat()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    log.info("backup written", backup_id=backup_id, folder=str(folder))
    return BackupResult(backup_id, folder, manifest)


class DamagedBackup(Exception):
    """A file of the backup is missing or does not match the manifest's SHA-256."""


def verify(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in [*manifest["databases"].values(), *manifest["streams"].values()]:
        path = folder / entry["file"]
        if not path.exists() or sha256_of(path) != entry["sha256"]:
            raise DamagedBackup(f"{path} is missing or does not match the manifest")
    return manifest


async def restore_backup(folder: Path, databases: Mapping[str, str], nats: Client) -> dict[str, int]:
    """Restore into *new* databases (the URLs name databases that must not exist yet) and into a NATS
    whose streams do not exist yet. Returns the messages restored per stream."""
    manifest = verify(folder)
    missing = sorted(set(manifest["databases"]) - set(databases))
    if missing:
        raise ValueError(f"no target database given for {', '.join(missing)}")
    for service, entry in sorted(manifest["databases"].items()):
        await pg_dump.restore(folder / entry["file"], databases[service])
    js = nats.jetstream()
    return {
        stream: await stream_dump.restore_stream(js, folder / entry["file"])
        for stream, entry in sorted(manifest["streams"].items())
    }
