"""reporting's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc

from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import NotImplementedYet


class ReportingServicer(pb_grpc.ReportingServiceServicer):
    async def GetEventLag(
        self, request: pb.GetEventLagRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetEventLagResponse:
        raise NotImplementedYet("GetEventLag is not built yet (the reporting issue)")
