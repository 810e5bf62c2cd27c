"""The launcher's database set-up on a PostgreSQL of its own: each service gets its database with an
owner role (migrations) and its own role (the service), passwords kept in the home folder, and a second
start finds everything as the first left it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from deploy.local.launcher import LauncherSettings, Stack
from deploy.local.servers import PostgresServer, free_port
from ejournal_platform.services import SERVICES

pytestmark = pytest.mark.integration


def test_every_service_connects_as_its_own_role_after_a_cold_and_a_warm_start(tmp_path: Path) -> None:
    server = PostgresServer(tmp_path / "pg" / "data", free_port())
    server.start()
    try:
        settings = LauncherSettings.model_validate(
            {"home": tmp_path / "home", "database_url": server.url("postgres")}
        )
        for _start in ("cold", "warm"):
            stack = Stack(settings)
            stack.home.mkdir(parents=True, exist_ok=True)
            url_of = stack.create_databases(stack.start_postgres())
            for service in SERVICES:
                url = url_of(f"ejournal_{service}").replace("postgresql+psycopg://", "postgresql://")
                with psycopg.connect(url, autocommit=True) as conn:
                    assert conn.execute("SELECT current_user").fetchone() == (f"ejournal_{service}",)
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        conn.execute("TRUNCATE outbox")
        assert (settings.home / "database-roles.json").stat().st_mode & 0o777 == 0o600
    finally:
        server.stop()
