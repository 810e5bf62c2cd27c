"""The hand-written migrations create exactly the tables the code describes, and the audit trail is
append-only in the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.schema import import_all, schema_differences
from services.identity.adapters.tables import metadata

pytestmark = pytest.mark.integration


def test_migrated_schema_matches_the_tables(databases: Databases) -> None:
    import_all("services.identity.adapters")
    assert schema_differences(databases.fresh("identity"), metadata) == []


def test_audit_tables_refuse_updates_and_deletes(databases: Databases) -> None:
    """The service's role holds no such privilege; the trigger stops even the database's superuser."""
    url = databases.fresh("identity")
    with create_engine(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO login_attempts (login, client_address, user_agent, outcome)"
                " VALUES ('x', '', '', 't')"
            )
        )
    for engine_url, refusal in ((url, "permission denied"), (databases.admin_url(url), "append-only")):
        engine = create_engine(engine_url)
        for statement in ("UPDATE login_attempts SET outcome = 'succeeded'", "DELETE FROM login_attempts",
                          "DELETE FROM person_audit", "TRUNCATE person_audit"):  # fmt: skip
            with pytest.raises(DBAPIError, match=refusal), engine.begin() as conn:
                conn.execute(text(statement))
    engine.dispose()
