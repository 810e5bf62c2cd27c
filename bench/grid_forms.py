"""The grid's two forms back to back: GetJournalGrid with the cells as messages (what gRPC clients get)
and as JSON (GetJournalGridRequest.cells_as_json, what the gateway asks), interleaved on one stack so
both meet the same load. Prints the gradebook's CPU per read and the latency of each, with the bytes
on the wire; and, for the gateway's side, the CPU of turning each reply into the HTTP body (in this
process: parse, ETag, to_dict, orjson), which is what the JSON form saves.

`python -m bench.grid_forms` (100 x 71 grids, as gateway_grid_100x71_p50_ms reads).
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta

import grpc
import orjson

from bench.gateway import prepare
from bench.harness import servers
from bench.profiling import cpu_seconds, profiled
from bench.report import percentile, size
from bench.seed import UniversitySize
from bench.services import gateway_stack
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gateway.proto_json import to_dict
from services.gateway.rpc_routes import etag_of


def http_body(wire: bytes) -> bytes:
    """What the gateway does with a grid reply before sending it (names aside)."""
    reply = pb.GetJournalGridResponse.FromString(wire)
    etag_of(reply)
    return orjson.dumps(to_dict(reply))


async def measure() -> None:
    big = UniversitySize(groups=size(4, 1), students_per_group=100, terms=1, graded_per_group=2,
                         graded_columns=71, other_per_group=0)  # fmt: skip
    with servers() as s:
        gradebook, curriculum, (seeded,) = prepare(s, "forms", [(big, 71)])
        with gateway_stack(gradebook, curriculum) as stack:
            rng = random.Random(29)
            journals = seeded.graded
            pid = stack.pids["gradebook"]
            spent = {False: 0.0, True: 0.0}
            gateway_cpu = {False: 0.0, True: 0.0}
            ms: dict[bool, list[float]] = {False: [], True: []}
            sizes = {False: 0, True: 0}
            with profiled("grid-forms", {"gradebook": pid}):
                async with grpc.aio.insecure_channel(stack.addresses["gradebook"]) as channel:
                    # The reply's bytes as they came (http_body parses them, as the gateway's stub does).
                    call = channel.unary_unary(
                        "/ejournal.gradebook.v1.GradebookService/GetJournalGrid",
                        request_serializer=pb.GetJournalGridRequest.SerializeToString,
                        response_deserializer=None,
                    )
                    for n in range(size(60, 4) + 4):
                        journal = journals[rng.randrange(len(journals))]
                        teacher = str(journal.teacher_id)
                        token = stack.tokens.token(
                            teacher, ("teacher", "department", teacher), ttl=timedelta(hours=2)
                        )
                        auth = (("authorization", f"Bearer {token}"),)
                        for as_json in (n % 2 == 0, n % 2 == 1):  # each form first every other time
                            ask = pb.GetJournalGridRequest(
                                journal_id=str(journal.journal_id), cells_as_json=as_json
                            )
                            before = cpu_seconds(pid)
                            t0 = time.perf_counter()
                            wire = await call(ask, metadata=auth)
                            elapsed = time.perf_counter() - t0
                            used = cpu_seconds(pid) - before
                            c0 = time.process_time()
                            body = http_body(wire)
                            here = time.process_time() - c0
                            if n < 4:
                                continue  # warm: connections, prepared statements
                            spent[as_json] += used
                            gateway_cpu[as_json] += here
                            ms[as_json].append(elapsed * 1000)
                            sizes[as_json] = len(wire)
                            if not orjson.loads(body)["cells"]:
                                raise RuntimeError("a grid without cells")
            for as_json, label in ((False, "cells as messages"), (True, "cells as JSON")):
                count = len(ms[as_json])
                print(
                    f"  100x71 {label}: gradebook CPU {spent[as_json] / count * 1000:.2f} ms per read,"
                    f" reply to HTTP body {gateway_cpu[as_json] / count * 1000:.2f} ms CPU,"
                    f" gRPC p50 {percentile(ms[as_json], 50):.1f} ms,"
                    f" {sizes[as_json]:,} bytes ({count} reads)",
                    flush=True,
                )


if __name__ == "__main__":
    asyncio.run(measure())
