"""Least privilege in PostgreSQL: each service's database has two roles of its own.

- `ejournal_<service>_owner` owns the database and every object in it; only migrations connect as it.
- `ejournal_<service>` is what the running service connects as. It owns nothing, so it can run no DDL,
  disable no trigger and change no ownership; it is no superuser, so `session_replication_role` is out
  of its reach. It gets SELECT, INSERT, UPDATE and DELETE on tables through the owner's default
  privileges (never TRUNCATE, TRIGGER or REFERENCES); a service's migrations then take back what its
  use cases do not need (UPDATE and DELETE on its record, see `restrict_app_role`).

The launcher, the test fixtures and the cluster's set-up job all call `provision` as an administrator
before migrating, so every installation has the same roles with the same rights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import psycopg
from psycopg import sql

TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"


def owner_role(service: str) -> str:
    return f"ejournal_{service}_owner"


def app_role(service: str) -> str:
    return f"ejournal_{service}"


@dataclass(frozen=True)
class ServiceRoles:
    owner: str
    owner_password: str
    app: str
    app_password: str


def _ensure_login_role(conn: psycopg.Connection[tuple[object, ...]], name: str, password: str) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    conn.execute(
        sql.SQL(
            "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD {}"
        ).format(sql.SQL(verb), sql.Identifier(name), sql.Literal(password))
    )


def provision(
    admin_dsn: str, database: str, service: str, owner_password: str, app_password: str
) -> ServiceRoles:
    """Create (or repair) both roles and the database, owned by the owner role; idempotent.

    `admin_dsn` is a libpq URL of a role that may create roles and databases (postgresql://...).
    A database created before these roles existed is handed over to the owner role with everything in it.
    """
    roles = ServiceRoles(owner_role(service), owner_password, app_role(service), app_password)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        _ensure_login_role(conn, roles.owner, owner_password)
        _ensure_login_role(conn, roles.app, app_password)
        row = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if row is None:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(database), sql.Identifier(roles.owner)
                )
            )
        elif row[0] != roles.owner:
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(database), sql.Identifier(roles.owner)
                )
            )
    prepare_database(
        _with_database(admin_dsn, database), roles, legacy=row is not None and row[0] != roles.owner
    )
    return roles


def provision_engine(
    admin_dsn: str,
    role: str,
    password: str,
    databases: Iterable[str],
    extensions: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Databases for an engine that manages its own schema (Temporal's `temporal` and
    `temporal_visibility`): one login role, no superuser, no CREATEDB, owning its databases; nobody
    else may connect. `extensions` (database -> names) are created here as the administrator, so
    the engine's schema tool needs no more rights than its own role's. Idempotent; a changed
    password is set again."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        _ensure_login_role(conn, role, password)
        for database in databases:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
            verb = "ALTER DATABASE {} OWNER TO {}" if exists else "CREATE DATABASE {} OWNER {}"
            conn.execute(sql.SQL(verb).format(sql.Identifier(database), sql.Identifier(role)))
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
    for database, names in (extensions or {}).items():
        with psycopg.connect(_with_database(admin_dsn, database), autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name)))


def prepare_database(dsn: str, roles: ServiceRoles, *, legacy: bool = False) -> None:
    """Inside the database: the schema, default privileges and (for a legacy database) ownership."""
    owner, app = sql.Identifier(roles.owner), sql.Identifier(roles.app)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(conn.info.dbname))
        )
        conn.execute(
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(conn.info.dbname), app
            )
        )
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app))
        conn.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT "
                + TABLE_RIGHTS
                + " ON TABLES TO {}"
            ).format(owner, app)
        )
        conn.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(owner, app)
        )
        if legacy:
            _hand_over(conn, roles)


def _hand_over(conn: psycopg.Connection[tuple[object, ...]], roles: ServiceRoles) -> None:
    """Objects made by an earlier superuser-run installation pass to the owner; the app gets table rights.

    The service's own migrations then restrict those rights again where they ran after this.
    """
    owner, app = sql.Identifier(roles.owner), sql.Identifier(roles.app)
    for kind, query in (
        ("TABLE", "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
        ("SEQUENCE", "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"),
    ):
        for (name,) in conn.execute(query).fetchall():
            conn.execute(
                sql.SQL("ALTER {} public.{} OWNER TO {}").format(
                    sql.SQL(kind), sql.Identifier(str(name)), owner
                )
            )
    functions = conn.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public'"
    ).fetchall()
    for (signature,) in functions:
        conn.execute(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(str(signature)), owner))
    conn.execute(sql.SQL("GRANT " + TABLE_RIGHTS + " ON ALL TABLES IN SCHEMA public TO {}").format(app))
    conn.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(app))


def _with_database(dsn: str, database: str) -> str:
    return dsn.rsplit("/", 1)[0] + "/" + database


def role_url(admin_url: str, database: str, role: str, password: str) -> str:
    """The admin URL's host and port with another role, password and database."""
    scheme, rest = admin_url.split("://", 1)
    host = rest.split("@", 1)[1].split("/", 1)[0]
    return f"{scheme}://{role}:{password}@{host}/{database}"


def restrict_app_role(
    service: str,
    *,
    append_only: Iterable[str] = (),
    no_delete: Iterable[str] = (),
    read_only: Iterable[str] = (),
    updatable_columns: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Called from a service's migration (as the owner): take back rights its use cases do not need.

    append_only: rows are added, never changed or removed (history, statements, audits).
    no_delete: rows change but are never removed. read_only: written only by SECURITY DEFINER functions.
    updatable_columns: only these columns may change (a column-level grant), rows never removed.
    """
    from alembic import op

    if not app_role_exists(service):
        return
    app = f'"{app_role(service)}"'
    for table in append_only:
        op.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {app}')
    for table in no_delete:
        op.execute(f'REVOKE DELETE, TRUNCATE ON "{table}" FROM {app}')
    for table in read_only:
        op.execute(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{table}" FROM {app}')
    for table, columns in (updatable_columns or {}).items():
        op.execute(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{table}" FROM {app}')
        listed = ", ".join(f'"{column}"' for column in columns)
        op.execute(f'GRANT UPDATE ({listed}) ON "{table}" TO {app}')


def app_role_exists(service: str) -> bool:
    """In a migration: whether the service's role exists. A throwaway database migrated by the superuser
    without `provision` (a benchmark's) has no such role and nobody to restrict; every installation
    (launcher, fixtures, cluster Job) provisions the roles before migrating."""
    from alembic import op
    from sqlalchemy import text

    found = op.get_bind().execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": app_role(service)})
    return found.first() is not None
