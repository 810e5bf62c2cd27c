"""What reporting's use cases need: a unit of work per transaction (a read leaves without committing,
which rolls back), like every service's use cases (identity's Deps is the model), and the server's
configuration: where retention archives, the address printed on statements, the signing keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.reporting.adapters.signing.setup import Signing
from services.reporting.adapters.tables import outbox


@dataclass(frozen=True)
class Deps:
    unit_of_work: Callable[[], UnitOfWork]
    # The server's archive folder (retention writes its bundles there); None: retention is refused.
    archive_dir: Path | None = None
    # The statements' verification pages are under <public_url>/verify/ ("": no link is printed).
    public_url: str = ""
    # Keys and trust; without them statements print unsigned (and cannot be approved).
    signing: Signing | None = None

    @classmethod
    def over(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        *,
        archive_dir: Path | None = None,
        public_url: str = "",
        signing: Signing | None = None,
    ) -> Deps:
        """Units of work over these sessions, with reporting's outbox (tools, tests, benchmarks)."""
        writer = OutboxWriter(outbox)
        return cls(
            lambda: UnitOfWork(sessions, writer),
            archive_dir=archive_dir,
            public_url=public_url,
            signing=signing,
        )
