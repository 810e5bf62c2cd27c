"""RPCs of the contingent."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal_platform.authz import authenticated
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
            self.deps,
            authenticated(),
            contingent.EnrollStudent(
                student_id=request.student_id,
                group_id=request.group_id,
                subgroup_id=request.subgroup_id,
                order=order,
                student_name=request.student_name,
            ),
        )
        return pb.EnrollStudentResponse(movement=tr.movement(row))

    async def TransferStudent(
        self, request: pb.TransferStudentRequest, context: Context
    ) -> pb.TransferStudentResponse:
        order = OrderInput(request.order.number, request.order.date, request.effective_date)
        row = await contingent.transfer_student(
            self.deps,
            authenticated(),
            contingent.TransferStudent(
                student_id=request.student_id,
                to_group_id=request.to_group_id,
                to_subgroup_id=request.to_subgroup_id,
                order=order,
                from_group_id=request.from_group_id,
            ),
        )
        return pb.TransferStudentResponse(movement=tr.movement(row))

    async def ExpelStudent(
        self, request: pb.ExpelStudentRequest, context: Context
    ) -> pb.ExpelStudentResponse:
        order = OrderInput(request.order.number, request.order.date, request.effective_date)
        row = await contingent.expel_student(
            self.deps,
            authenticated(),
            contingent.ExpelStudent(
                student_id=request.student_id, group_id=request.group_id, order=order, reason=request.reason
            ),
        )
        return pb.ExpelStudentResponse(movement=tr.movement(row))

    async def ListGroupMembers(
        self, request: pb.ListGroupMembersRequest, context: Context
    ) -> pb.ListGroupMembersResponse:
        members = await contingent.list_group_members(
            self.deps, authenticated(), request.group_id, request.on_date, request.subgroup_id
        )
        return pb.ListGroupMembersResponse(members=[tr.member(m) for m in members])

    async def GetStudentHistory(
        self, request: pb.GetStudentHistoryRequest, context: Context
    ) -> pb.GetStudentHistoryResponse:
        rows = await contingent.student_history(self.deps, authenticated(), request.student_id)
        return pb.GetStudentHistoryResponse(movements=[tr.movement(m) for m in rows])
