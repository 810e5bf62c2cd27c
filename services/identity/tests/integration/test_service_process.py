"""identity as it runs in the stack (run_service: database, NATS, outbox relay, gRPC), seeded with
the demo accounts; another service verifies identity's tokens through the key set it fetches over
gRPC; identity's events reach NATS (the registrar office learns of a substitution from them)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta

import grpc
import nats
import pytest
from nats.aio.msg import Msg
from pydantic import SecretStr

from deploy.demo.seed.identity import DEMO_PASSWORD, demo_accounts, person_id, seed_demo
from deploy.local.servers import NatsServer, free_port
from ejournal.curriculum.v1 import curriculum_service_pb2 as cpb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as cpb_grpc
from ejournal.identity.v1 import events_pb2 as ev
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.authz import ResourceScope, require_current
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.runtime import run_service
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.tokens import JwtAuthenticator
from services.identity.adapters import tables
from services.identity.entrypoints.main import wire
from services.identity.settings import IdentitySettings
from services.identity.tests.harness import KZ_ANAT, KZ_MED, KZ_U, SIGNING_KEY_PASSPHRASE

pytestmark = pytest.mark.integration


class Curriculum(cpb_grpc.CurriculumServiceServicer):
    """A stand-in for another service: its use case authorizes with the shared policy."""

    async def ListProfiles(
        self, request: cpb.ListProfilesRequest, context: object
    ) -> cpb.ListProfilesResponse:
        require_current("structure.manage", ResourceScope(university_id=KZ_U, faculty_id=KZ_MED))
        return cpb.ListProfilesResponse(profiles=[cpb.Profile(code="kz-medical")])


@pytest.fixture
async def identity_process(databases: Databases, nats_server: NatsServer) -> AsyncIterator[str]:
    url = databases.fresh("identity")
    assert await seed_demo(url) == len(demo_accounts(date.today()))
    assert await seed_demo(url) == 0  # idempotent: the launcher calls it on every start
    port = free_port()
    settings = IdentitySettings(
        database_url=url, nats_url=nats_server.url, grpc_port=port, log_format="console",
        signing_key_passphrase=SecretStr(SIGNING_KEY_PASSPHRASE.decode()),
    )  # fmt: skip
    stop = asyncio.Event()
    task = asyncio.create_task(run_service(settings, wire, outbox_table=tables.outbox, stop=stop))
    address = f"127.0.0.1:{port}"
    async with grpc.aio.insecure_channel(address) as channel:
        await channel.channel_ready()
    yield address
    stop.set()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(task, 15)


async def test_tokens_verify_in_other_services_and_events_reach_nats(
    identity_process: str, nats_server: NatsServer
) -> None:
    received: list[tuple[str, bytes]] = []
    client = await nats.connect(nats_server.url)

    async def collect(msg: Msg) -> None:
        received.append((msg.subject, msg.data))

    # From the stream (it keeps what the relay published before we subscribed).
    await client.jetstream().subscribe("ejournal.identity.>", cb=collect, ordered_consumer=True)
    other = GrpcServer(JwtAuthenticator(identity_process))
    stand_in = Curriculum()  # type: ignore[abstract]  # only ListProfiles is called
    other.add(
        cpb_grpc.add_CurriculumServiceServicer_to_server,
        stand_in,
        "ejournal.curriculum.v1.CurriculumService",
    )
    other_port = await other.start("127.0.0.1", 0)
    try:
        async with grpc.aio.insecure_channel(identity_process) as channel:
            identity = pb_grpc.IdentityServiceStub(channel)
            admin = await identity.Login(pb.LoginRequest(login="kz.admin", password=DEMO_PASSWORD))
            teacher = await identity.Login(pb.LoginRequest(login="kz.teacher1", password=DEMO_PASSWORD))
            head = await identity.Login(pb.LoginRequest(login="kz.head.anatomy", password=DEMO_PASSWORD))
            async with grpc.aio.insecure_channel(f"127.0.0.1:{other_port}") as other_channel:
                curriculum = cpb_grpc.CurriculumServiceStub(other_channel)
                reply = await curriculum.ListProfiles(
                    cpb.ListProfilesRequest(), metadata=bearer(admin.access_token)
                )
                assert reply.profiles[0].code == "kz-medical"
                for metadata, code in (
                    (bearer(teacher.access_token), grpc.StatusCode.PERMISSION_DENIED),
                    (None, grpc.StatusCode.UNAUTHENTICATED),
                    (bearer(admin.access_token[:-4] + "AAAA"), grpc.StatusCode.UNAUTHENTICATED),
                ):
                    with pytest.raises(grpc.aio.AioRpcError) as refused:
                        await curriculum.ListProfiles(cpb.ListProfilesRequest(), metadata=metadata)
                    assert refused.value.code() == code
            today = date.today()
            await identity.AppointSubstitute(
                pb.AppointSubstituteRequest(
                    request_id="e2e-1", absent_teacher_id=person_id("kz.teacher1"),
                    substitute_id=person_id("kz.teacher2"), department_id=KZ_ANAT, journal_ids=["j-anat-1"],
                    starts_on=today.isoformat(), ends_on=(today + timedelta(days=2)).isoformat(),
                    decision=pb.DecisionReference(protocol_number="4", protocol_date=today.isoformat()),
                ),
                metadata=bearer(head.access_token),
            )  # fmt: skip
            jwks = json.loads((await identity.GetKeySet(pb.GetKeySetRequest())).jwks_json)
            assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
        for _ in range(100):
            if any(subject.endswith("SubstitutionAppointed") for subject, _ in received):
                break
            await asyncio.sleep(0.05)
        created = set()
        for subject, data in received:
            if subject == "ejournal.identity.v1.PersonCreated":
                created.add(ev.PersonCreated.FromString(data).person_id)
        assert created == {account.person_id for account in demo_accounts(date.today())}
        appointed = ev.SubstitutionAppointed()
        appointed.ParseFromString(
            next(d for s, d in received if s == "ejournal.identity.v1.SubstitutionAppointed")
        )
        assert appointed.substitute_id == person_id("kz.teacher2") and appointed.protocol_number == "4"
    finally:
        await other.stop(0)
        await client.close()
