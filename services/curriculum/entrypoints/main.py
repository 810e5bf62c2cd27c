"""`python -m services.curriculum`: run the curriculum service."""

from __future__ import annotations

import asyncio

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
from ejournal_platform.consumer import EventConsumer
from ejournal_platform.events import stream_name
from ejournal_platform.grpc.public import public_methods
from ejournal_platform.runtime import Runtime, Wiring, run_service
from ejournal_platform.settings import load_settings
from ejournal_platform.tokens import JwtAuthenticator
from services.curriculum.adapters import tables
from services.curriculum.entrypoints.grpc_api import CurriculumServicer
from services.curriculum.service_layer import closed_sections, recorded_cells, substitutions
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.settings import CurriculumSettings

SERVICE = pb.DESCRIPTOR.services_by_name["CurriculumService"].full_name
# Reference data any signed-out page may show (the list of profiles and their scales).
PUBLIC_METHODS = public_methods(pb.DESCRIPTOR.services_by_name["CurriculumService"])  # in the contract


def closed_sections_consumer(runtime: Runtime) -> EventConsumer:
    """Gradebook's SectionClosed events into curriculum's closed_sections (issue 13), exactly once."""
    return EventConsumer(
        runtime.js,
        runtime.unit_of_work,
        tables.inbox,
        name="curriculum-gradebook",
        stream=stream_name("gradebook"),
        subjects=closed_sections.SUBJECTS,
        handler=closed_sections.record_closed,
    )


def recorded_cells_consumer(runtime: Runtime) -> EventConsumer:
    """Gradebook's marks and attendance into recorded_cells (issue 22: what a sync import may not
    remove), exactly once. A durable of its own: created on its first run, it reads the gradebook
    stream from its first event, so marks made before curriculum listened are known too (the backfill)."""
    return EventConsumer(
        runtime.js,
        runtime.unit_of_work,
        tables.inbox,
        name=recorded_cells.CONSUMER,
        stream=stream_name("gradebook"),
        subjects=recorded_cells.SUBJECTS,
        handler=recorded_cells.record_cell,
    )


def substitutions_consumer(runtime: Runtime) -> EventConsumer:
    """Identity's substitutions into curriculum's substitutions: substitutes read their groups' names."""
    return EventConsumer(
        runtime.js,
        runtime.unit_of_work,
        tables.inbox,
        name="curriculum-identity",
        stream=stream_name("identity"),
        subjects=substitutions.SUBJECTS,
        handler=substitutions.record_substitution,
    )


async def wire(runtime: Runtime) -> Wiring:
    assert runtime.outbox is not None
    deps = Deps(uow=unit_of_work_factory(runtime.sessions, runtime.outbox))
    return Wiring(
        background=[
            closed_sections_consumer(runtime).run,
            recorded_cells_consumer(runtime).run,
            substitutions_consumer(runtime).run,
        ],
        servicers=[(pb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(deps), SERVICE)],
        public_methods=PUBLIC_METHODS,
        # Tokens are verified locally against identity's key set, fetched over gRPC and cached.
        authenticator=JwtAuthenticator(runtime.settings.identity_address),
    )


def main() -> None:
    settings = load_settings(CurriculumSettings)
    asyncio.run(run_service(settings, wire, outbox_table=tables.outbox))


if __name__ == "__main__":
    main()
