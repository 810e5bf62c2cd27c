"""Every table of a covered service either carries `university_id` or is listed, with the reason, in
ejournal_platform.tenancy.NOT_UNIVERSITY_TABLES (issue 18: every row that belongs to a university can
be routed by it). The tables come from each service's own SQLAlchemy metadata, every adapter module
imported, so a new table is held to the rule the moment it is declared."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import MetaData

from ejournal_platform.tenancy import COVERED_SERVICES, NOT_UNIVERSITY_TABLES, UNIVERSITY_ID
from ejournal_platform.testing.schema import import_all


def metadata_of(service: str) -> MetaData:
    import_all(f"services.{service}.adapters")
    metadata = importlib.import_module(f"services.{service}.adapters.tables").metadata
    assert isinstance(metadata, MetaData)
    return metadata


@pytest.mark.parametrize("service", COVERED_SERVICES)
def test_every_table_carries_the_university_or_says_why_not(service: str) -> None:
    metadata = metadata_of(service)
    exempt = NOT_UNIVERSITY_TABLES[service]
    unrouted = sorted(
        name for name, table in metadata.tables.items() if UNIVERSITY_ID not in table.c and name not in exempt
    )
    assert unrouted == [], f"{service}: tables with no {UNIVERSITY_ID} and no reason in NOT_UNIVERSITY_TABLES"


@pytest.mark.parametrize("service", COVERED_SERVICES)
def test_the_list_names_only_tables_that_exist_and_lack_the_key(service: str) -> None:
    """A stale entry (a table renamed, or given the key since) would hide nothing, but would lie."""
    metadata = metadata_of(service)
    for name, reason in NOT_UNIVERSITY_TABLES[service].items():
        assert name in metadata.tables, f"{service}.{name} is listed but is no table"
        assert UNIVERSITY_ID not in metadata.tables[name].c, f"{service}.{name} has the key; unlist it"
        assert len(reason) > 20, f"{service}.{name}: say why"


def test_the_rule_is_enforced_somewhere() -> None:
    """The test above would pass for a service whose metadata were empty."""
    for service in COVERED_SERVICES:
        tables = metadata_of(service).tables
        assert sum(UNIVERSITY_ID in t.c for t in tables.values()) >= 3, service
