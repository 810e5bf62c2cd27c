"""Every service connects as its own role: no superuser, owner of nothing, no DDL, no TRUNCATE, no
`session_replication_role`; its migrations ran as a separate owner role."""

from __future__ import annotations

import psycopg
import pytest

from ejournal_platform.db_roles import app_role, owner_role
from ejournal_platform.services import SERVICES
from ejournal_platform.testing.fixtures import Databases

pytestmark = pytest.mark.integration


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_role_owns_nothing_and_cannot_change_the_schema(
    databases: Databases, service: str
) -> None:
    url = libpq(databases.fresh(service))
    with psycopg.connect(url, autocommit=True) as conn:
        user, superuser = conn.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() or ("", True)
        assert (user, superuser) == (app_role(service), False)
        owned = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> %s",
            (owner_role(service),),
        ).fetchone()
        assert owned == (0,), "every table belongs to the owner role"
        tables = [
            row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        assert "outbox" in tables
        refused = [
            "SET session_replication_role = replica",
            "CREATE TABLE intruder (x int)",
            "ALTER TABLE outbox DISABLE TRIGGER ALL",
            "DROP TABLE outbox",
            "CREATE SCHEMA intruder",
            "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            *[f'TRUNCATE "{table}" CASCADE' for table in tables],
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
