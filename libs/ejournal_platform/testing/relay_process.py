"""A relay in a process of its own, so that tests can kill it with SIGKILL in the middle of a batch.

python -m ejournal_platform.testing.relay_process DATABASE_URL NATS_URL BATCH [MARKER_FILE]

With MARKER_FILE, after JetStream has acked each batch and before the batch is marked published, the
relay appends a line to the file and pauses, so a test can kill it exactly between the two.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ejournal_platform.db import make_engine, new_metadata
from ejournal_platform.logging import configure_logging
from ejournal_platform.nats import connect
from ejournal_platform.outbox import OutboxRelay, OutboxWriter, define_outbox


async def main(database_url: str, nats_url: str, batch: int, marker: Path | None) -> None:
    configure_logging("relay-under-test", fmt="json")
    writer = OutboxWriter(define_outbox(new_metadata()))
    nc = await connect(nats_url, "relay-under-test")

    async def pause(published: int) -> None:
        assert marker is not None
        with marker.open("a") as out:
            out.write(f"{published}\n")
        await asyncio.sleep(0.3)

    relay = OutboxRelay(
        make_engine(database_url),
        writer,
        nc.jetstream(),
        "ejournal/test",
        batch=batch,
        before_marking=pause if marker else None,
    )
    await relay.run()


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None)
    )
