"""RPCs of the contingent."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from services.curriculum.entrypoints import translate as tr
from services.curriculum.entrypoints.rpc_base import Context, Rpcs
from services.curriculum.service_layer import contingent
from services.curriculum.service_layer.contingent import OrderInput


class ContingentRpcs(Rpcs):
    async def EnrollStudent(
        self, request: pb.EnrollStudentRequest, context: Context
    ) -> pb.EnrollStudentResponse:
        order = OrderInput(request.order.number, request.order.date, request.effective_date)
        row = await contingent.enroll_student(
            self.deps, request.student_id, request.group_id, request.subgroup_id, order, request.student_name
        )
        return pb.EnrollStudentResponse(movement=tr.movement(row))

    async def TransferStudent(
        self, request: pb.TransferStudentRequest, context: Context
    ) -> pb.TransferStudentResponse:
        order = OrderInput(request.order.number, request.order.date, request.effective_date)
        row = await contingent.transfer_student(
            self.deps,
            request.student_id,
            request.to_group_id,
            request.to_subgroup_id,
            order,
            request.from_group_id,
        )
        return pb.TransferStudentResponse(movement=tr.movement(row))

    async def ExpelStudent(
        self, request: pb.ExpelStudentRequest, context: Context
    ) -> pb.ExpelStudentResponse:
        order = OrderInput(request.order.number, request.order.date, request.effective_date)
        row = await contingent.expel_student(
            self.deps, request.student_id, request.group_id, order, request.reason
        )
        return pb.ExpelStudentResponse(movement=tr.movement(row))

    async def ListGroupMembers(
        self, request: pb.ListGroupMembersRequest, context: Context
    ) -> pb.ListGroupMembersResponse:
        rows = await contingent.list_group_members(
            self.deps, request.group_id, request.on_date, request.subgroup_id
        )
        return pb.ListGroupMembersResponse(members=[tr.member(p, m) for p, m in rows])

    async def GetStudentHistory(
        self, request: pb.GetStudentHistoryRequest, context: Context
    ) -> pb.GetStudentHistoryResponse:
        rows = await contingent.student_history(self.deps, request.student_id)
        return pb.GetStudentHistoryResponse(movements=[tr.movement(m) for m in rows])
