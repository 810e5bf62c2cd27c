"""identity's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc

from ejournal_platform.errors import FailedPrecondition


class IdentityServicer(pb_grpc.IdentityServiceServicer):
    async def GetKeySet(self, request: pb.GetKeySetRequest, context: grpc.aio.ServicerContext) -> pb.GetKeySetResponse:
        raise FailedPrecondition("token signing keys are not configured yet")
