"""The gateway, gradebook and curriculum as separate processes for a benchmark, as they are deployed.

Each runs in a process of its own (multiprocessing, spawn) on a free port: gradebook and curriculum as
gRPC servers verifying tokens with the benchmark's signing key (identity is not needed to verify),
the gateway as the real FastAPI app under uvicorn forwarding to them. The benchmark issues teachers'
tokens with the same key and calls the gateway over HTTP, as the portal does.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import grpc
import httpx

from deploy.local.servers import free_port
from ejournal_platform.testing.tokens import TestTokens
from ejournal_platform.tokens import SigningKey
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER


def _authenticator(pem: bytes) -> Any:
    return TestTokens(SigningKey.from_pem("bench", pem)).verifier_authenticator()


async def _gradebook(url: str, pem: bytes, port: int) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
    from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
    from ejournal_platform.db import make_engine
    from ejournal_platform.grpc.server import GrpcServer
    from ejournal_platform.outbox import OutboxWriter
    from services.gradebook.adapters import tables
    from services.gradebook.adapters.classroom_secrets import StaticClassroomSecrets
    from services.gradebook.entrypoints.grpc_api import GradebookServicer
    from services.gradebook.service_layer.context import Gradebook

    engine = make_engine(url)
    gb = Gradebook(
        async_sessionmaker(engine, expire_on_commit=False),
        OutboxWriter(tables.outbox),
        StaticClassroomSecrets(),
    )
    server = GrpcServer(_authenticator(pem))
    name = pb.DESCRIPTOR.services_by_name["GradebookService"].full_name
    server.add(pb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(gb), name)
    await server.start("127.0.0.1", port)
    await server.set_serving(True)
    await server.server.wait_for_termination()


async def _curriculum(url: str, pem: bytes, port: int) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
    from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc
    from ejournal_platform.db import make_engine
    from ejournal_platform.grpc.server import GrpcServer
    from ejournal_platform.outbox import OutboxWriter
    from services.curriculum.adapters import tables
    from services.curriculum.entrypoints.grpc_api import CurriculumServicer
    from services.curriculum.service_layer.deps import Deps, unit_of_work_factory

    engine = make_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    deps = Deps(uow=unit_of_work_factory(sessions, OutboxWriter(tables.outbox)))
    server = GrpcServer(_authenticator(pem))
    name = pb.DESCRIPTOR.services_by_name["CurriculumService"].full_name
    server.add(pb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(deps), name)
    await server.start("127.0.0.1", port)
    await server.set_serving(True)
    await server.server.wait_for_termination()


def _gateway(addresses: dict[str, str], port: int) -> None:
    import uvicorn

    from services.gateway.app import create_app
    from services.gateway.settings import GatewaySettings

    absent = "127.0.0.1:9"  # services this stack does not run (its calls never reach them)
    settings = GatewaySettings(
        gradebook_address=addresses.get("gradebook", absent),
        curriculum_address=addresses.get("curriculum", absent),
        identity_address=addresses.get("identity", absent),
        reporting_address=absent,
        workflow_address=absent,
        notifier_address=absent,
        subscribers_address=absent,
    )
    app = create_app(settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _run(target: str, *args: Any) -> None:
    from ejournal_platform.logging import configure_logging

    configure_logging("bench", "WARNING", "console")
    if target == "gateway":
        _gateway(*args)
    else:
        asyncio.run({"gradebook": _gradebook, "curriculum": _curriculum}[target](*args))


@dataclass
class Stack:
    gateway: str
    tokens: TestTokens
    pids: dict[str, int]  # each process's id, for a profiler (py-spy record --pid)
    addresses: dict[str, str]  # the services' gRPC addresses

    def cookies(self, teacher_id: str) -> dict[str, str]:
        """A teacher's portal session: the access cookie and the CSRF double-submit pair."""
        token = self.tokens.token(teacher_id, ("teacher", "department", teacher_id), ttl=timedelta(hours=2))
        return {"Cookie": f"{ACCESS_COOKIE}={token}; {CSRF_COOKIE}=bench", CSRF_HEADER: "bench"}


def _answering(gateway: str, addresses: dict[str, str]) -> bool:
    """Every gRPC server accepts connections and the gateway answers (a 401 needs no service; its
    /readyz would wait on services this stack does not run)."""
    for address in addresses.values():
        with grpc.insecure_channel(address) as channel:
            try:
                grpc.channel_ready_future(channel).result(timeout=2)
            except grpc.FutureTimeoutError:
                return False
    try:
        return httpx.get(f"{gateway}/api/v1/session/me", timeout=5).status_code == 401
    except httpx.TransportError:
        return False


@contextmanager
def gateway_stack(gradebook_url: str, curriculum_url: str) -> Iterator[Stack]:
    """The gateway in front of gradebook and curriculum, each its own process; stopped afterwards."""
    key = SigningKey.generate("bench")
    pem = key.to_pem()
    ports = {name: free_port() for name in ("gradebook", "curriculum", "gateway")}
    addresses = {name: f"127.0.0.1:{ports[name]}" for name in ("gradebook", "curriculum")}
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_run, args=("gradebook", gradebook_url, pem, ports["gradebook"]), daemon=True),
        context.Process(
            target=_run, args=("curriculum", curriculum_url, pem, ports["curriculum"]), daemon=True
        ),
        context.Process(target=_run, args=("gateway", addresses, ports["gateway"]), daemon=True),
    ]
    for process in processes:
        process.start()
    base = f"http://127.0.0.1:{ports['gateway']}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine imports slowly
        while not _answering(base, addresses):
            if time.monotonic() > deadline or not all(p.is_alive() for p in processes):
                codes = {p.name: p.exitcode for p in processes}
                raise RuntimeError(f"the gateway stack did not start: exit codes {codes}")
            time.sleep(0.5)
        names = ("gradebook", "curriculum", "gateway")
        yield Stack(
            base, TestTokens(key), {n: p.pid or 0 for n, p in zip(names, processes, strict=True)}, addresses
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(10)


@contextmanager
def gateway_in_front_of(addresses: dict[str, str]) -> Iterator[str]:
    """Only the gateway, in its own process, forwarding to services that already run (`addresses` by
    service name, e.g. identity's for sign-ins); yields its base URL."""
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=_run, args=("gateway", addresses, port), daemon=True
    )
    process.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not _answering(base, {}):
            if time.monotonic() > deadline or not process.is_alive():
                raise RuntimeError(f"the gateway did not start: exit code {process.exitcode}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.join(10)
