from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ejournal_platform.testing.fixtures import Databases
from services.gradebook.tests.world import World, world


@pytest.fixture
async def w(databases: Databases) -> AsyncIterator[World]:
    url = databases.fresh("gradebook")
    async with world(url, databases.admin_url(url)) as found:
        yield found
