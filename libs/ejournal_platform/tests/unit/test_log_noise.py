"""Issue 18: library noise stays out of the logs (fontTools writes INFO lines for every PDF whose font
it subsets), while the library's warnings and our own INFO lines still get through; a line written
inside a trace carries its trace id."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider

from ejournal_platform.logging import configure_logging, get_logger

pytestmark = pytest.mark.unit


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging("reporting", "INFO", "json", stream=out)
    yield out
    configure_logging("reporting", "INFO", "auto", stream=sys.stderr)


def test_font_subsetting_chatter_is_dropped_but_warnings_and_our_lines_stay(stream: io.StringIO) -> None:
    logging.getLogger("fontTools.subset").info("maxp pruned")
    logging.getLogger("fontTools.ttLib.ttFont").warning("table 'kern' is broken")
    get_logger("services.reporting").info("statement rendered")
    events = [json.loads(line)["event"] for line in stream.getvalue().splitlines()]
    assert events == ["table 'kern' is broken", "statement rendered"]


def test_a_line_inside_a_span_carries_the_trace_id(stream: io.StringIO) -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("save") as span:
        get_logger("services.gradebook").info("marks written")
    get_logger("services.gradebook").info("outside")
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert "trace_id" not in outside
