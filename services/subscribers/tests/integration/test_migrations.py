"""The hand-written migrations create exactly the tables the code describes (no drift either way)."""

from __future__ import annotations

import pytest

from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.schema import import_all, schema_differences
from services.subscribers.adapters.tables import metadata

pytestmark = pytest.mark.integration


def test_migrated_schema_matches_the_tables(databases: Databases) -> None:
    import_all("services.subscribers.adapters")
    assert schema_differences(databases.fresh("subscribers"), metadata) == []
