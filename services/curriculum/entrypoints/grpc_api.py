"""curriculum's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import NotImplementedYet


class CurriculumServicer(pb_grpc.CurriculumServiceServicer):
    async def ListProfiles(
        self, request: pb.ListProfilesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListProfilesResponse:
        raise NotImplementedYet("ListProfiles is not built yet (the curriculum issue)")
