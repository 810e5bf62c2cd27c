"""curriculum's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

from typing import Any, TypeAlias

import grpc

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from services.curriculum.domain.profiles import load_profiles

Context: TypeAlias = grpc.aio.ServicerContext[Any, Any]


class CurriculumServicer(pb_grpc.CurriculumServiceServicer):
    async def ListProfiles(
        self, request: pb.ListProfilesRequest, context: Context
    ) -> pb.ListProfilesResponse:
        profiles = load_profiles()
        return pb.ListProfilesResponse(
            profiles=[
                pb.Profile(code=code, title=p.title.get("en", code)) for code, p in sorted(profiles.items())
            ]
        )

    async def GetClassroomSecret(
        self, request: pb.GetClassroomSecretRequest, context: Context
    ) -> pb.GetClassroomSecretResponse:
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "classrooms arrive with the structure slice")
        raise AssertionError("unreachable")
