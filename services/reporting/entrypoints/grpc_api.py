"""reporting's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc


class ReportingServicer(pb_grpc.ReportingServiceServicer):
    """RPCs not implemented yet answer UNIMPLEMENTED (the generated base class)."""
