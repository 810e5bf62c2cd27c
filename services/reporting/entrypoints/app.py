"""What the servicer and the background loops share in one reporting process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.reporting.service_layer.consumers import ReadModelConsumers
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.signing import Signing
from services.reporting.service_layer.jobs import JobRunner
from services.reporting.service_layer.lag import LagTracker


@dataclass
class ReportingApp:
    deps: Deps
    consumers: ReadModelConsumers
    lag: LagTracker
    jobs: JobRunner
    archive_dir: Path
    public_url: str = ""  # the statements' verification pages are under <public_url>/verify/
    signing: Signing | None = None  # without it statements print unsigned (and cannot be approved)
