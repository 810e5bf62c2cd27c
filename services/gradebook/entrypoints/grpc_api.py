"""gradebook's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc


class GradebookServicer(pb_grpc.GradebookServiceServicer):
    """RPCs not implemented yet answer UNIMPLEMENTED (the generated base class)."""
