"""The gateway process's own CPU per 25-cell save, served as in the write figure (uvicorn, the gRPC
client, 16 keep-alive teachers) but in front of a stand-in gradebook that answers WriteMarks at once
with the cells it was sent (one version up). No database, so the gateway is what is measured, and its
CPU per save (from /proc) moves with the gateway's code, not with PostgreSQL or the gradebook. A tool
for work on the gateway (docs/perf/README.md, stop 31), not one of `python -m bench`'s figures.

    .venv/bin/python -m bench.gateway_alone [saves per teacher] [runs]

EJOURNAL_BENCH_PROFILE=<folder> (and EJOURNAL_BENCH_PROFILE_FORMAT=raw) profiles the gateway with
py-spy as the write figure does (bench/profiling.py).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import time
import uuid
from contextlib import AsyncExitStack
from typing import Any

import orjson

from bench.http_client import KeepAliveClient
from bench.profiling import cpu_seconds, profiled
from bench.services import _answering, _run
from deploy.local.servers import free_port
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER

TEACHERS = 16
BATCH = 25


def _stand_in_gradebook(port: int) -> None:
    import grpc

    class Gradebook(pb_grpc.GradebookServiceServicer):
        async def WriteMarks(self, request: Any, context: Any) -> pb.WriteMarksResponse:
            return pb.WriteMarksResponse(
                cells=[
                    pb.MarkCell(column_id=c.column_id, student_id=c.student_id, value=c.value,
                                version=c.expected_version + 1)
                    for c in request.cells
                ]
            )  # fmt: skip

    async def serve() -> None:
        server = grpc.aio.server()
        pb_grpc.add_GradebookServiceServicer_to_server(Gradebook(), server)  # type: ignore[abstract]
        server.add_insecure_port(f"127.0.0.1:{port}")
        await server.start()
        await server.wait_for_termination()

    asyncio.run(serve())


async def _teacher(client: KeepAliveClient, saves: int) -> None:
    journal = uuid.uuid4()
    cells = [(str(uuid.uuid4()), str(uuid.uuid4())) for _ in range(BATCH)]
    versions = dict.fromkeys(cells, 1)
    headers = {"Cookie": f"{ACCESS_COOKIE}=token; {CSRF_COOKIE}=bench", CSRF_HEADER: "bench"}
    for n in range(saves):
        body = {
            "cells": [{"column_id": c, "student_id": s, "value": str((n + i) % 101),
                       "expected_version": versions[(c, s)]} for i, (c, s) in enumerate(cells)]
        }  # fmt: skip
        answer = await client.post(
            f"/api/v1/journals/{journal}/marks",
            orjson.dumps(body),
            {**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        if answer.status != 200:
            raise RuntimeError(f"write refused: {answer.status} {answer.text[:500]}")
        for cell in orjson.loads(answer.body)["cells"]:
            versions[(cell["column_id"], cell["student_id"])] = int(cell["version"])


async def measure(saves: int, runs: int) -> None:
    context = multiprocessing.get_context("spawn")
    grpc_port, http_port = free_port(), free_port()
    addresses = {"gradebook": f"127.0.0.1:{grpc_port}"}
    gradebook = context.Process(target=_stand_in_gradebook, args=(grpc_port,), daemon=True)
    gateway = context.Process(target=_run, args=("gateway", addresses, http_port), daemon=True)
    gradebook.start()
    gateway.start()
    base = f"http://127.0.0.1:{http_port}"
    try:
        while not _answering(base, addresses):
            await asyncio.sleep(0.2)
        assert gateway.pid is not None
        async with AsyncExitStack() as opened:
            clients = [await opened.enter_async_context(KeepAliveClient(base)) for _ in range(TEACHERS)]
            await asyncio.gather(*(_teacher(c, 20) for c in clients))  # warm
            with profiled("alone", {"gateway": gateway.pid}):
                for _ in range(runs):
                    before = cpu_seconds(gateway.pid)
                    started = time.perf_counter()
                    await asyncio.gather(*(_teacher(c, saves) for c in clients))
                    elapsed = time.perf_counter() - started
                    spent = cpu_seconds(gateway.pid) - before
                    total = saves * TEACHERS
                    print(
                        f"gateway alone: {spent / total * 1e6:,.0f} us CPU per 25-cell save"
                        f" ({total / elapsed:,.0f} saves/s)",
                        flush=True,
                    )
    finally:
        for process in (gateway, gradebook):
            process.terminate()
            process.join(10)


def main() -> None:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    asyncio.run(measure(saves, runs))


if __name__ == "__main__":
    main()
