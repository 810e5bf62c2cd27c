"""Migrations on a cluster: one Job per release migrates every database under a PostgreSQL advisory
lock, and every pod's init container waits, as the service's own role, until its schema is there."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from deploy.migrate import ADVISORY_KEY
from ejournal_platform.db_roles import provision, role_url
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.migrate", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_the_migration_job_takes_the_lock_and_the_pods_wait_for_its_schema(databases: Databases) -> None:
    server = databases.server
    name, password = f"job_notifier_{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(16)
    roles = provision(server.url("postgres", driver="postgresql"), name, "notifier", password, password)
    owner_url = role_url(server.url(), name, roles.owner, password)
    app_url = role_url(server.url(), name, roles.app, password)

    waiter = start(["--wait", "notifier"], {"EJOURNAL_NOTIFIER_DATABASE_URL": app_url})
    with psycopg.connect(server.url(name, driver="postgresql"), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_KEY,))  # another release is migrating
        job = start(["notifier"], {"EJOURNAL_NOTIFIER_MIGRATION_URL": owner_url})

        def job_waits_for_the_lock() -> bool:
            row = holder.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s",
                (name,),
            ).fetchone()
            return bool(row and row[0] == 1)

        wait_until(job_waits_for_the_lock, "the Job never asked for the advisory lock")
        assert job.poll() is None and waiter.poll() is None  # nothing migrated: the pod still waits
        holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,))
    assert job.wait(120) == 0, job.communicate()[0]
    assert waiter.wait(60) == 0, waiter.communicate()[0]
    assert "notifier: migrated" in (waiter.stdout.read() if waiter.stdout else "")
    # A retried Job (or the next release with nothing new) finds nothing to do.
    again = start(["notifier"], {"EJOURNAL_NOTIFIER_MIGRATION_URL": owner_url})
    assert again.wait(120) == 0
