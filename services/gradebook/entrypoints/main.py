"""`python -m services.gradebook`: run the gradebook service."""

from __future__ import annotations

import asyncio
import contextlib

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.logging import get_logger
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator, ServiceIdentity
from services.gradebook.adapters import tables
from services.gradebook.adapters.classroom_secrets import CurriculumClassroomSecrets
from services.gradebook.entrypoints.consumers import consumers
from services.gradebook.entrypoints.grpc_api import GradebookServicer
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.projections import Projector
from services.gradebook.service_layer.reopen import end_expired_grants
from services.gradebook.settings import GradebookSettings

SERVICE = pb.DESCRIPTOR.services_by_name["GradebookService"].full_name
log = get_logger(__name__)


def grant_sweeper(gradebook: Gradebook, every: float):  # type: ignore[no-untyped-def]
    async def sweep() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                ended = await end_expired_grants(gradebook)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("ending expired reopen grants failed", error=repr(error))
                continue
            if ended:
                log.info("expired reopen grants ended", count=ended)

    return sweep


async def wire(runtime: Runtime) -> Wiring:
    settings = runtime.settings
    assert isinstance(settings, GradebookSettings) and runtime.outbox is not None
    identity = ServiceIdentity(settings.identity_address, settings.service_name, settings.service_secret)
    secrets = CurriculumClassroomSecrets(settings.curriculum_address, identity)
    gradebook = Gradebook(runtime.sessions, runtime.outbox, secrets)
    projector = Projector(secrets)
    loops = [c.run for c in consumers(runtime.js, gradebook.unit_of_work, projector)]
    loops.append(grant_sweeper(gradebook, settings.grant_sweep_seconds))
    return Wiring(
        servicers=[(pb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(gradebook), SERVICE)],
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(settings.identity_address),
        background=loops,
    )


def main() -> None:
    settings = load_settings(GradebookSettings)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
