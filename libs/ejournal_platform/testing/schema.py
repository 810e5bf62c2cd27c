"""Migration drift: what a service's migrations create, compared with what its code describes."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine


def import_all(package: str) -> None:
    """Import every module of a package, so every table it defines is in its metadata."""
    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
        importlib.import_module(module.name)


def schema_differences(url: str, metadata: MetaData) -> list[object]:
    """Alembic's differences between the migrated database at `url` and `metadata` (types compared
    too); alembic's own version table is not the code's business."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            found = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    return [d for d in found if "alembic_version" not in str(d)]
