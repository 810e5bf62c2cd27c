"""`python -m deploy.migrate [SERVICE ...]`: apply the migrations of the named services (all of them
when none is named), each as its owner role, whose URL is EJOURNAL_<SERVICE>_MIGRATION_URL
(EJOURNAL_<SERVICE>_DATABASE_URL, the service's own role, cannot run DDL; see
ejournal_platform.db_roles and deploy/provision.py).

On a cluster this is one Job per release (deploy/k8s/base/jobs/migrate.yaml). Each database is
migrated under a PostgreSQL advisory lock, so a second run started meanwhile (a retried Job, two
releases applied close together) waits and then finds nothing left to do.

`python -m deploy.migrate --wait SERVICE`: wait until SERVICE's database is at the migrations' heads,
as the service's own role (EJOURNAL_<SERVICE>_DATABASE_URL): the init container of every pod, so that
no new code runs on an old schema.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from ejournal_platform.migrations import alembic_config, upgrade
from ejournal_platform.services import SERVICES

ROOT = Path(__file__).resolve().parent.parent
# One key for every ejournal migration in a database: pg_advisory_lock(ADVISORY_KEY).
ADVISORY_KEY = 0x656A6F75726E  # "ejourn"


def migrations_dir(service: str) -> Path:
    return ROOT / "services" / service / "migrations"


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def migrate_locked(service: str, url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_KEY,))
        try:
            upgrade(migrations_dir(service), url)
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_KEY,))


def pending(service: str, url: str) -> set[str]:
    """The heads the database has not reached yet (empty: up to date)."""
    heads = set(ScriptDirectory.from_config(alembic_config(migrations_dir(service), url)).get_heads())
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    return heads - current


def wait_until_migrated(service: str, url: str, poll: float = 2.0) -> None:
    said = 0.0
    while True:
        try:
            missing = pending(service, url)
        except Exception as error:  # the database not reachable yet, or not provisioned
            missing = {repr(error)}
        if not missing:
            print(f"{service}: migrated")
            return
        if time.monotonic() - said > 30:
            print(f"{service}: waiting for the migration Job ({', '.join(sorted(missing))})", flush=True)
            said = time.monotonic()
        time.sleep(poll)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.migrate")
    parser.add_argument("--wait", action="store_true", help="wait for the schema instead of migrating")
    parser.add_argument("services", nargs="*", choices=[[], *SERVICES], metavar="SERVICE")
    args = parser.parse_args(argv)
    services = args.services or list(SERVICES)
    kind = "DATABASE_URL" if args.wait else "MIGRATION_URL"
    variables = {service: f"EJOURNAL_{service.upper()}_{kind}" for service in services}
    missing = [name for name in variables.values() if not os.environ.get(name)]
    if missing or (args.wait and len(services) != 1):
        print(f"{parser.format_usage().strip()} (not set: {', '.join(missing) or '-'})", file=sys.stderr)
        return 2
    for service in services:
        url = os.environ[variables[service]]
        if args.wait:
            wait_until_migrated(service, url)
        else:
            migrate_locked(service, url)
            print(f"{service}: migrated", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
