"""Temporal's own databases on a cluster's PostgreSQL: the provisioning Job makes `temporal` and
`temporal_visibility`, owned by a login role that is no superuser and may create no database, with the
extension Temporal's visibility schema needs; nobody else connects; a re-run repairs and changes
nothing else. Without a Temporal password (Temporal Cloud) nothing of Temporal's is made."""

from __future__ import annotations

import secrets
import uuid

import psycopg
import pytest

import deploy.provision as job
from ejournal_platform.db_roles import provision_engine, role_url
from ejournal_platform.services import SERVICES
from ejournal_platform.testing.fixtures import Databases


@pytest.mark.integration
def test_temporals_databases_belong_to_its_own_unprivileged_role(databases: Databases) -> None:
    server = databases.server
    admin = server.url("postgres", driver="postgresql")
    suffix = uuid.uuid4().hex[:8]
    role, password = f"temporal_{suffix}", secrets.token_urlsafe(16)
    names = (f"temporal_{suffix}", f"temporal_visibility_{suffix}")
    extensions = {names[1]: ("btree_gin",)}
    for _ in range(2):  # idempotent: every release re-runs the Job
        provision_engine(admin, role, password, names, extensions)

    with psycopg.connect(admin, autocommit=True) as conn:
        rights = conn.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = %s",
            (role,),
        ).fetchone()
        assert rights == (False, False, False, True)
        owners = conn.execute(
            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = ANY(%s) ORDER BY 1",
            (list(names),),
        ).fetchall()
        assert owners == [(names[0], role), (names[1], role)]
        other = f"someone_{suffix}"
        conn.execute(f"CREATE ROLE {other} LOGIN PASSWORD 'x'")
    for database in names:  # Temporal's schema tool, as its role, can build its tables
        with psycopg.connect(role_url(admin, database, role, password), autocommit=True) as conn:
            conn.execute("CREATE TABLE schema_version (db_name VARCHAR(255) PRIMARY KEY)")
    with psycopg.connect(role_url(admin, names[1], role, password)) as conn:
        assert conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError, match=r"permission denied|not permitted"):
        psycopg.connect(role_url(admin, names[0], other, "x")).close()
    # A new password (a rotated Secret) is set by the next run.
    rotated = secrets.token_urlsafe(16)
    provision_engine(admin, role, rotated, names, extensions)
    psycopg.connect(role_url(admin, names[0], role, rotated)).close()


@pytest.mark.unit
def test_the_job_makes_temporals_databases_only_with_a_temporal_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[tuple[str, tuple[str, ...]]] = []
    monkeypatch.setattr(job, "provision", lambda *args: None)
    monkeypatch.setattr(
        job, "provision_engine", lambda admin, role, password, names, ext: made.append((role, names))
    )
    monkeypatch.setenv("EJOURNAL_DATABASE_ADMIN_URL", "postgresql://admin:x@db/postgres")
    for service in SERVICES:
        for kind in ("OWNER", "APP"):
            monkeypatch.setenv(f"EJOURNAL_{service.upper()}_{kind}_PASSWORD", "x")
    monkeypatch.delenv("EJOURNAL_TEMPORAL_DATABASE_PASSWORD", raising=False)
    assert job.main([]) == 0 and made == []  # Temporal Cloud: nothing of Temporal's here
    monkeypatch.setenv("EJOURNAL_TEMPORAL_DATABASE_PASSWORD", "t")
    assert job.main([]) == 0 and made == [("temporal", ("temporal", "temporal_visibility"))]
