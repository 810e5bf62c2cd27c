"""curriculum's gRPC servicer: translates requests to use cases and results to responses.

One class made of mixins, one per area, each only translating (proto <-> use-case inputs and rows)."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from services.curriculum.entrypoints.grpc_calendar import CalendarRpcs
from services.curriculum.entrypoints.grpc_contingent import ContingentRpcs
from services.curriculum.entrypoints.grpc_imports import ImportRpcs
from services.curriculum.entrypoints.grpc_structure import StructureRpcs
from services.curriculum.entrypoints.grpc_teaching import TeachingRpcs
from services.curriculum.service_layer.deps import Deps


class CurriculumServicer(
    StructureRpcs, CalendarRpcs, ContingentRpcs, TeachingRpcs, ImportRpcs, pb_grpc.CurriculumServiceServicer
):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
