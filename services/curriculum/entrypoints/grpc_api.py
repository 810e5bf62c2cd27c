"""curriculum's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc


class CurriculumServicer(pb_grpc.CurriculumServiceServicer):
    """RPCs not implemented yet answer UNIMPLEMENTED (the generated base class)."""
