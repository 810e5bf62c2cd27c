"""Fixtures of the workflow service's tests: Temporal clients with the search attributes registered."""

from __future__ import annotations

from collections.abc import AsyncIterator
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


@pytest.fixture(scope="session")
async def time_skipping(temporal_time_skipping: Any) -> AsyncIterator[Any]:
    """The shared time-skipping environment, with our search attributes registered once."""
    env = temporal_time_skipping
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
    yield env


@pytest.fixture(scope="session")
async def temporal_client(temporal_dev: TemporalDevServer) -> Client:
    """A client of the dev server's `ejournal` namespace (search attributes registered at its start)."""
    return await Client.connect(temporal_dev.address, namespace=NAMESPACE)
