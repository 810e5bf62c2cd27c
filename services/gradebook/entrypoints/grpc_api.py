"""gradebook's gRPC servicer: translates requests to use cases and results to responses."""

from __future__ import annotations

import grpc

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.errors import NotImplementedYet


class GradebookServicer(pb_grpc.GradebookServiceServicer):
    async def GetJournal(
        self, request: pb.GetJournalRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetJournalResponse:
        raise NotImplementedYet("GetJournal is not built yet (the gradebook core issue)")
