"""`python -m deploy.temporal_namespace`: register the workflow service's Temporal namespace and its
search attributes (services/workflow/search_attributes.py) on a Temporal cluster; idempotent.

A Job of every release (deploy/k8s/base/jobs/temporal-namespace.yaml); the local stack's dev server
does the same at its start. It reads the workflow service's own variables for where Temporal is
(EJOURNAL_WORKFLOW_TEMPORAL_ADDRESS, _NAMESPACE, _TLS, _API_KEY, _TLS_*_FILE) and keeps finished
workflows' histories EJOURNAL_WORKFLOW_TEMPORAL_RETENTION_DAYS days (the namespace's setting).
On Temporal Cloud the namespace is made in the Cloud console; the Job then only adds attributes.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

from google.protobuf.duration_pb2 import Duration
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
    ListSearchAttributesResponse,
)
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from ejournal_platform.settings import load_settings
from services.workflow.adapters.temporal import temporal_tls
from services.workflow.search_attributes import NAMESPACE, SEARCH_ATTRIBUTES

KINDS = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Bool": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    "Text": IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
}


class TemporalNamespaceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_WORKFLOW_", extra="ignore", frozen=True)

    temporal_address: str
    temporal_namespace: str = NAMESPACE
    temporal_tls: bool = False
    temporal_api_key: str = Field(default="", repr=False)
    temporal_tls_cert_file: Path | None = None
    temporal_tls_key_file: Path | None = None
    temporal_tls_ca_file: Path | None = None
    temporal_retention_days: int = Field(default=30, ge=1, le=3650)


async def register(settings: TemporalNamespaceSettings) -> list[str]:
    """Make the namespace and the missing search attributes; return what was added."""
    client = await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        api_key=settings.temporal_api_key or None,
        tls=temporal_tls(settings),
    )
    added: list[str] = []
    namespace = settings.temporal_namespace
    try:
        await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=namespace))
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        retention = Duration()
        retention.FromTimedelta(timedelta(days=settings.temporal_retention_days))
        await client.workflow_service.register_namespace(
            RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=retention)
        )
        added.append(f"namespace {namespace}")
    known = await _once_known(client, namespace)
    missing = {
        name: KINDS[kind] for name, kind in SEARCH_ATTRIBUTES.items() if name not in known.custom_attributes
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
        added += [f"search attribute {name}" for name in sorted(missing)]
    return added


async def _once_known(client: Client, namespace: str, attempts: int = 60) -> ListSearchAttributesResponse:
    """A namespace just registered is known to every Temporal frontend only after their caches refresh
    (about 10 s), so NOT_FOUND is waited out."""
    for attempt in range(attempts):
        try:
            return await client.operator_service.list_search_attributes(
                ListSearchAttributesRequest(namespace=namespace)
            )
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND or attempt == attempts - 1:
                raise
            await asyncio.sleep(1)
    raise AssertionError("unreachable")


def main() -> int:
    added = asyncio.run(register(load_settings(TemporalNamespaceSettings)))
    print("\n".join(added) if added else "namespace and search attributes already registered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
