"""The release Job that registers the workflow service's Temporal namespace and search attributes, run
against a real Temporal server: it makes what is missing, and a second run changes nothing."""

from __future__ import annotations

import uuid

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from deploy.local.servers import TemporalDevServer
from deploy.temporal_namespace import TemporalNamespaceSettings, register
from services.workflow.search_attributes import SEARCH_ATTRIBUTES

pytestmark = pytest.mark.integration


async def test_the_job_registers_the_namespace_and_search_attributes_once(
    temporal_dev: TemporalDevServer,
) -> None:
    namespace = f"ejournal-{uuid.uuid4().hex[:8]}"
    settings = TemporalNamespaceSettings(
        temporal_address=temporal_dev.address, temporal_namespace=namespace, temporal_retention_days=7
    )
    added = await register(settings)
    assert added == [f"namespace {namespace}"] + [f"search attribute {n}" for n in sorted(SEARCH_ATTRIBUTES)]

    client = await Client.connect(temporal_dev.address, namespace=namespace)
    described = await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=namespace)
    )
    assert described.config.workflow_execution_retention_ttl.ToSeconds() == 7 * 86400
    known = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    assert set(SEARCH_ATTRIBUTES) <= set(known.custom_attributes)
    assert await register(settings) == []
