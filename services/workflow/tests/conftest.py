"""Fixtures of the workflow service's tests: Temporal clients with the search attributes registered."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.service import RPCError

from deploy.local.servers import TemporalDevServer
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES

_KINDS = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    "Text": IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
}


async def _register_search_attributes(env: Any) -> None:
    try:
        await env.client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=env.client.namespace,
                search_attributes={name: _KINDS[kind] for name, kind in SEARCH_ATTRIBUTES.items()},
            )
        )
    except RPCError as error:
        if "already" not in str(error).lower():
            raise


@pytest.fixture(scope="session")
async def time_skipping(temporal_time_skipping: Any) -> AsyncIterator[Any]:
    """The shared time-skipping environment, with our search attributes registered once."""
    await _register_search_attributes(temporal_time_skipping)
    yield temporal_time_skipping


@pytest.fixture
async def own_time_skipping() -> AsyncIterator[Any]:
    """A time-skipping server of the test's own, for a test that terminates its only workflow: after a
    termination the shared server stopped skipping time, and every later test's timers hung."""
    from temporalio.testing import WorkflowEnvironment

    path = shutil.which("temporal-test-server", path=str(Path(sys.executable).parent))
    assert path, "temporal-test-server is not installed"
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=path)
    await _register_search_attributes(env)
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def temporal_client(temporal_dev: TemporalDevServer) -> Client:
    """A client of the dev server's `ejournal` namespace (search attributes registered at its start)."""
    return await Client.connect(temporal_dev.address, namespace=NAMESPACE)
