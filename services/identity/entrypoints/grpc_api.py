"""identity's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import NotImplementedYet


class IdentityServicer(pb_grpc.IdentityServiceServicer):
    async def GetKeySet(
        self, request: pb.GetKeySetRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetKeySetResponse:
        raise NotImplementedYet("GetKeySet is not built yet (the identity issue)")

    async def Login(self, request: pb.LoginRequest, context: grpc.aio.ServicerContext) -> pb.LoginResponse:
        raise NotImplementedYet("Login is not built yet (the identity issue)")

    async def WhoAmI(self, request: pb.WhoAmIRequest, context: grpc.aio.ServicerContext) -> pb.WhoAmIResponse:
        raise NotImplementedYet("WhoAmI is not built yet (the identity issue)")
