from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ejournal_platform.testing.fixtures import Databases
from services.identity.tests.harness import Identity, demo_database, running_identity


@pytest.fixture
async def identity(databases: Databases) -> AsyncIterator[Identity]:
    """A fresh identity (own database, demo accounts seeded) for one test."""
    async with running_identity(await demo_database(databases)) as service:
        yield service


@pytest.fixture(scope="module")
async def shared_identity(databases: Databases) -> AsyncIterator[Identity]:
    """One identity for a whole module whose tests only add data of their own."""
    async with running_identity(await demo_database(databases)) as service:
        yield service
