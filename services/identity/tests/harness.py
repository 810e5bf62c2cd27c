"""identity served in-process for tests: real PostgreSQL (a fresh migrated database), the real gRPC
server with the platform's interceptors, the demo accounts seeded (with cheap argon2 parameters).

The demo university's ids (`KZ_U`, `KZ_ANAT`, ...) are curriculum's ids of those units, as in the
running system (deploy/demo/university.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from google.protobuf.message import Message
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from deploy.demo import university as demo
from deploy.demo.seed.identity import DEMO_PASSWORD, person_id, seed_accounts
from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from services.identity.adapters import tables
from services.identity.adapters.passwords import Argon2Parameters, PasswordHashing
from services.identity.entrypoints.grpc_api import IdentityServicer
from services.identity.entrypoints.main import PUBLIC_METHODS, SERVICE, own_authenticator
from services.identity.service_layer.deps import Deps, TokenPolicy
from services.identity.service_layer.keys import KeyRing, retired_key_window

FAST_ARGON2 = Argon2Parameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)
_IDS = demo.structure_ids(datetime.now(UTC).date())
KZ_U, KZ_MED, KZ_PHARM = _IDS["kz-kaznmu"], _IDS["kz-fac-general-medicine"], _IDS["kz-fac-pharmacy"]
KZ_ANAT, KZ_PHYS = _IDS["kz-dep-anatomy"], _IDS["kz-dep-physiology"]
KZ_G1, KZ_G4 = _IDS["kz-grp-med-101"], _IDS["kz-grp-pharm-201"]
KG_U, KG_PHYSMATH, KG_PED = _IDS["kg-jasu"], _IDS["kg-fac-physics-math"], _IDS["kg-fac-pedagogy"]
KG_MATH, KG_G1 = _IDS["kg-dep-mathematics"], _IDS["kg-grp-mi-1"]
SIGNING_KEY_PASSPHRASE = b"identity-signing-keys-passphrase-for-tests-only"
SERVICE_SECRETS = {"workflow": "workflow-secret-for-tests-only", "notifier": "notifier-secret-for-tests-only"}


@dataclass
class Clock:
    """Real time plus an offset that tests move forward (lockout, expiry)."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Identity:
    stub: pb_grpc.IdentityServiceStub
    deps: Deps
    engine: AsyncEngine
    clock: Clock
    address: str
    tokens: dict[str, str] = field(default_factory=dict)

    async def token(self, login: str, password: str = DEMO_PASSWORD) -> str:
        if login not in self.tokens:
            reply = await self.stub.Login(
                pb.LoginRequest(login=login, password=password, client_address="test")
            )
            self.tokens[login] = reply.access_token
        return self.tokens[login]

    async def as_(self, login: str) -> tuple[tuple[str, str]]:
        return bearer(await self.token(login))

    async def call(self, login: str | None, rpc: str, request: Message) -> Any:
        metadata = await self.as_(login) if login else None
        return await getattr(self.stub, rpc)(request, metadata=metadata)

    async def events(self, event_type: type[Message]) -> list[Any]:
        name = event_type.DESCRIPTOR.full_name
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(tables.outbox.c.payload)
                .where(tables.outbox.c.event_type == name)
                .order_by(tables.outbox.c.seq)
            )
            found = []
            for (payload,) in rows:
                message = event_type()
                message.ParseFromString(payload)
                found.append(message)
            return found

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def snapshot(self) -> str:
        """Every table's rows as text, to prove that a refused call changed nothing."""
        parts = []
        async with self.engine.connect() as conn:
            for name in (
                "people",
                "role_assignments",
                "substitutions",
                "login_requests",
                "outbox",
                "person_audit",
            ):
                rows = (await conn.execute(text(f"SELECT * FROM {name} ORDER BY 1"))).all()
                parts.append(json.dumps([list(map(str, row)) for row in rows]))
        return "\n".join(parts)


def pid(login: str) -> str:
    return person_id(login)


_seeded_templates: dict[int, str] = {}


async def demo_database(databases: Databases) -> str:
    """URL of a fresh identity database holding the demo accounts: a copy of one seeded once per test
    session (seeding ~170 accounts costs about a second; copying a database, milliseconds)."""
    if id(databases) not in _seeded_templates:
        url = databases.fresh("identity")
        async with running_identity(url):
            pass
        _seeded_templates[id(databases)] = url.rsplit("/", 1)[1]
    return databases.clone(_seeded_templates[id(databases)], "identity")


@asynccontextmanager
async def running_identity(database_url: str, clock: Clock | None = None) -> AsyncIterator[Identity]:
    clock = clock or Clock()
    engine = make_engine(database_url, pool_size=5)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)
    policy = TokenPolicy()
    keys = KeyRing(
        lambda: UnitOfWork(sessions, outbox),
        publish_retired_for=retired_key_window(policy.access_ttl),
        clock=clock,
        passphrase=SIGNING_KEY_PASSPHRASE,
    )
    await keys.load()
    deps = Deps(
        unit_of_work=lambda: UnitOfWork(sessions, outbox),
        hashing=PasswordHashing(FAST_ARGON2),
        keys=keys,
        tokens=policy,
        service_secrets=SERVICE_SECRETS,
        clock=clock,
    )
    await seed_accounts(deps)
    server = GrpcServer(own_authenticator(deps), PUBLIC_METHODS)
    server.add(pb_grpc.add_IdentityServiceServicer_to_server, IdentityServicer(deps), SERVICE)
    port = await server.start("127.0.0.1", 0)
    await server.set_serving(True)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Identity(pb_grpc.IdentityServiceStub(channel), deps, engine, clock, f"127.0.0.1:{port}")
    finally:
        await channel.close()
        await server.stop(0)
        await engine.dispose()
