"""`python -m services.identity`: run the identity service."""

from __future__ import annotations

import asyncio

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from services.identity.adapters import tables
from services.identity.entrypoints.grpc_api import IdentityServicer
from services.identity.settings import IdentitySettings

SERVICE = pb.DESCRIPTOR.services_by_name["IdentityService"].full_name


async def wire(runtime: Runtime) -> Wiring:
    return Wiring(
        servicers=[(pb_grpc.add_IdentityServiceServicer_to_server, IdentityServicer(), SERVICE)],
        public_methods={f"/{SERVICE}/Login", f"/{SERVICE}/GetKeySet"},
    )


def main() -> None:
    settings = load_settings(IdentitySettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
