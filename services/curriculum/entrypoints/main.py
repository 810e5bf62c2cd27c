"""`python -m services.curriculum`: run the curriculum service."""

from __future__ import annotations

import asyncio

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings

from services.curriculum.adapters import tables
from services.curriculum.entrypoints.grpc_api import CurriculumServicer
from services.curriculum.settings import CurriculumSettings

SERVICE = pb.DESCRIPTOR.services_by_name["CurriculumService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    return Wiring(
        servicers=[(pb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(), SERVICE)],
    )


def main() -> None:
    settings = load_settings(CurriculumSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
