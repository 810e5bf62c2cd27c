"""Migration drift: what a service's migrations create, compared with what its code describes."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, text


def import_all(package: str) -> None:
    """Import every module of a package, so every table it defines is in its metadata."""
    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
        importlib.import_module(module.name)


def schema_differences(url: str, metadata: MetaData) -> list[object]:
    """Alembic's differences between the migrated database at `url` and `metadata` (types compared
    too); alembic's own version table is not the code's business, and neither are the partitions of a
    partitioned table (one per term, made by the database as terms arrive): the code describes the
    partitioned parent."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            partitions = set(
                conn.execute(
                    text("SELECT relname FROM pg_class WHERE relispartition AND relkind IN ('r', 'p')")
                ).scalars()
            )

            def include_name(name: str | None, type_: str, parent_names: object) -> bool:
                return not (type_ == "table" and name in partitions)

            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            found = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    return [d for d in found if "alembic_version" not in str(d)]
