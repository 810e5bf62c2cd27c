"""Spans recorded in memory for a test, through the same set-up a service process uses
(`configure_tracing`: the global tracer provider and the psycopg instrumentation)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ejournal_platform.telemetry import configure_tracing


class Discard(SpanExporter):
    """The process-wide exporter in tests: keeps nothing (each test records into its own)."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


@contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """Every span ended inside the block, kept in memory. The process's provider is installed once
    (later tests add their own recorder to it); connections opened before the first call are not
    instrumented, so start this before the engines under test connect."""
    configure_tracing("test", exporter=Discard())
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), "another tracer provider was installed first"
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    try:
        yield exporter
    finally:
        exporter.clear()
        exporter.shutdown()  # the processor stays on the provider but keeps nothing more
