"""A new installation gets its first administrator from an operator's command, once: a second run is
refused, whoever it names."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from ejournal_platform.testing.fixtures import Databases
from services.identity.entrypoints.first_admin import PASSWORD_VARIABLE, main

pytestmark = pytest.mark.integration


async def test_the_first_administrator_is_created_once(
    databases: Databases, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = databases.fresh("identity")
    monkeypatch.setenv("EJOURNAL_IDENTITY_DATABASE_URL", url)
    # Run where the service's settings are (its pod, or the launcher's environment); NATS is not used.
    monkeypatch.setenv("EJOURNAL_IDENTITY_NATS_URL", "nats://127.0.0.1:1")
    university = str(uuid.uuid4())
    command = [
        "--university",
        university,
        "--last-name",
        "Сейітқали",
        "--first-name",
        "Әлия",
        "--profile",
        "kz-medical",
    ]
    assert main([*command, "--login", "aliya.admin"]) == 2  # no password given
    monkeypatch.setenv(PASSWORD_VARIABLE, "Жаңа-құпия-сөз-2026")
    assert await asyncio_main([*command, "--login", "aliya.admin"]) == 0
    assert await asyncio_main([*command, "--login", "second.admin"]) == 1
    assert "already has an administrator" in capsys.readouterr().err
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        held = conn.execute(
            "SELECT p.login, r.role, r.scope_id FROM role_assignments r JOIN people p ON p.id = r.person_id "
            "WHERE r.role = 'administrator'"
        ).fetchall()
    assert held == [("aliya.admin", "administrator", university)]


async def asyncio_main(argv: list[str]) -> int:
    """main() runs its own event loop: run it in a thread, away from the test's loop."""
    import asyncio

    return await asyncio.to_thread(main, argv)
