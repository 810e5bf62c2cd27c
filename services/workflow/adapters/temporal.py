"""The connection to Temporal: TLS or an API key towards an external cluster (e.g. Temporal Cloud),
the SDK's runtime with its Prometheus metrics, the tracing interceptor, and a patient first connect."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import TLSConfig

from ejournal_platform.logging import get_logger
from services.workflow.settings import WorkflowSettings

log = get_logger(__name__)


class TemporalConnection(Protocol):
    temporal_tls: bool
    temporal_api_key: str
    temporal_tls_cert_file: Path | None
    temporal_tls_key_file: Path | None
    temporal_tls_ca_file: Path | None


def temporal_tls(settings: TemporalConnection) -> bool | TLSConfig:
    """TLS towards an external Temporal (e.g. Temporal Cloud): plain when nothing asks for it."""
    files = (settings.temporal_tls_ca_file, settings.temporal_tls_cert_file, settings.temporal_tls_key_file)
    if not any(files):
        return settings.temporal_tls or bool(settings.temporal_api_key)
    ca, cert, key = (path.read_bytes() if path else None for path in files)
    return TLSConfig(server_root_ca_cert=ca, client_cert=cert, client_private_key=key)


def sdk_runtime(metrics_address: str) -> Runtime:
    """The SDK's runtime, serving its metrics for Prometheus when an address is given."""
    if not metrics_address:
        return Runtime.default()
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_address)))


async def connect_temporal(settings: WorkflowSettings, attempts: int = 360) -> Client:
    runtime = sdk_runtime(settings.temporal_metrics_address)
    for attempt in range(attempts):
        try:
            return await Client.connect(
                settings.temporal_address,
                namespace=settings.temporal_namespace,
                api_key=settings.temporal_api_key or None,
                tls=temporal_tls(settings),
                interceptors=[TracingInterceptor()],
                runtime=runtime,
            )
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.info("waiting for temporal", address=settings.temporal_address, error=repr(error))
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")
