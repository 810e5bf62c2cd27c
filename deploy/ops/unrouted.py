"""Rows that cannot be routed by university (issue 18, docs/scale.md "Tenancy"): per service database,
every table with a `university_id` column and how many of its rows do not know their university yet
(NULL, or workflow's "" for unknown), marking the append-only ones — the record (history, statements)
is rewritten only to learn its university when its structure arrives (gradebook migration 0009), so a
row counted here waits for a structure unit that has not arrived. Read-only; run it before moving a
university to its own shard, or to watch the count fall as structures arrive.

    python -m deploy.ops.unrouted --database gradebook=postgresql://… [--database …]
    (without --database: every database of EJOURNAL_BACKUP_DATABASE_URLS / the backup tool's file)
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass

import psycopg
from psycopg import sql

UPDATE_TRIGGER = 1 << 4  # pg_trigger.tgtype: fires on UPDATE

TABLES = """
SELECT c.relname,
       EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND p.proname = 'ejournal_append_only'
                 AND t.tgtype & %(update)s <> 0) AS append_only
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'university_id' AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname
"""


@dataclass(frozen=True)
class Unrouted:
    service: str
    table: str
    rows: int
    append_only: bool


def unrouted(service: str, url: str) -> list[Unrouted]:
    """Every table of the database with rows that do not know their university, fewest last."""
    found = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for table, append_only in conn.execute(TABLES, {"update": UPDATE_TRIGGER}).fetchall():
            count = sql.SQL("SELECT count(*) FROM {} WHERE coalesce(university_id::text, '') = ''").format(
                sql.Identifier(table)
            )
            (rows,) = conn.execute(count).fetchone() or (0,)
            if rows:
                found.append(Unrouted(service, table, int(rows), bool(append_only)))
    return sorted(found, key=lambda u: -u.rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", action="append", default=[], metavar="SERVICE=URL")
    args = parser.parse_args(argv)
    databases = dict(item.split("=", 1) for item in args.database)
    if not databases:
        from deploy.ops.settings import backup_settings

        databases = backup_settings().database_urls
    rows = [asdict(u) for service, url in sorted(databases.items()) for u in unrouted(service, url)]
    print(json.dumps({"unrouted": rows}, indent=2))


if __name__ == "__main__":
    main()
