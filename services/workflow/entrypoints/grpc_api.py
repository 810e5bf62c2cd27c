"""workflow's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc

from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal.workflow.v1 import workflow_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import NotImplementedYet


class WorkflowServicer(pb_grpc.WorkflowServiceServicer):
    async def ListTasks(
        self, request: pb.ListTasksRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListTasksResponse:
        raise NotImplementedYet("ListTasks is not built yet (the reopen-procedure issue)")
