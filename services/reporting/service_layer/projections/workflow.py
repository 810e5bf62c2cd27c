"""Projections of the workflow's events (reopen cases, sanctions, checks): filled in when the workflow's
contract lands (proto/ejournal/workflow/v1/events.proto)."""

from __future__ import annotations

from ejournal_platform.events import stream_name, stream_subjects
from services.reporting.service_layer.projections.registry import Projector

projector = Projector("reporting-workflow", stream_name("workflow"), stream_subjects("workflow"))
