"""What the servicer and the background loops share in one reporting process."""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.jobs import JobRunner
from services.reporting.service_layer.lag import LagTracker


@dataclass
class ReportingApp:
    deps: Deps
    consumers: ReadModelConsumers
    lag: LagTracker
    jobs: JobRunner
