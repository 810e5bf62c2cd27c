"""Real servers for a benchmark run, in a temporary folder, stopped afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy.local.servers import NatsServer, PostgresServer, free_port
from ejournal_platform.migrations import upgrade

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Servers:
    postgres: PostgresServer
    nats: NatsServer

    def database(self, name: str, service: str | None = None) -> str:
        """A new database (migrated for `service` if given); returns its SQLAlchemy URL."""
        self.postgres.drop_database(name)
        self.postgres.create_database(name)
        url = self.postgres.url(name)
        if service:
            upgrade(ROOT / "services" / service / "migrations", url)
        return url


@contextmanager
def servers() -> Iterator[Servers]:
    with tempfile.TemporaryDirectory(prefix="ejournal-bench-") as tmp:
        base = Path(tmp)
        postgres = PostgresServer(base / "pg", free_port())
        nats = NatsServer(base / "nats", free_port(), free_port(), base / "nats.log")
        postgres.start()
        nats.start()
        try:
            yield Servers(postgres, nats)
        finally:
            nats.stop()
            postgres.stop()
