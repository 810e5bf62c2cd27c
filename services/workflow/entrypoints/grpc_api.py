"""workflow's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc


class WorkflowServicer(pb_grpc.WorkflowServiceServicer):
    """RPCs not implemented yet answer UNIMPLEMENTED (the generated base class)."""
