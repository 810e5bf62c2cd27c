"""KZ-16: monthly backups of every service's database and of the event streams. The backup restores
into fresh databases and a fresh NATS with every statement bit-identical (same hashes), every table
identical, every stream complete; a damaged backup is refused before anything is restored; the
monthly Temporal schedule exists."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.local.servers import NatsServer
from deploy.ops.archive import DamagedBackup, restore_backup
from deploy.ops.backup import (
    monthly_backup,
)
from deploy.ops.pg_dump import fingerprint, libpq_url, with_database
from deploy.ops.stream_dump import dump_stream
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.events import Event
from ejournal_platform.nats import connect
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.services import SERVICES
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.adapters import tables as gradebook_tables
from services.reporting.tests.demo.university import Shape, build, statement_hash
from services.reporting.tests.support import load_demo, reporting

pytestmark = pytest.mark.integration

SHAPE = Shape(groups_per_department=2, students_per_group=6, units_per_department=2, lessons_per_unit=4)


def statements(url: str) -> dict[str, tuple[str, str, str]]:
    """statement id -> (gradebook's hash, hash recomputed from the stored bytes, sha256 of the bytes)."""
    found = {}
    with psycopg.connect(libpq_url(url)) as conn:
        for statement_id, content_hash, content in conn.execute(
            "SELECT statement_id, content_hash, content FROM rm_statement"
        ):
            message = gbs.Statement()
            message.ParseFromString(bytes(content))
            found[statement_id] = (
                content_hash,
                statement_hash(message),
                hashlib.sha256(bytes(content)).hexdigest(),
            )
    return found


@pytest.mark.rule("KZ-16")
async def test_a_backup_restores_into_fresh_databases_with_every_statement_bit_identical(
    databases: Databases,
    nats_factory: Callable[[], NatsServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = build(SHAPE)
    async with reporting(databases, nats_factory) as r:
        await load_demo(r, demo)
        # The operator backs up as the database administrator (the services' roles create no databases).
        urls = {s: databases.admin_url(databases.fresh(s)) for s in SERVICES if s != "reporting"}
        urls["reporting"] = databases.admin_url(r.url)
        # The gradebook's database holds something too: an event waiting in its outbox.
        engine = make_engine(urls["gradebook"])
        async with UnitOfWork(async_sessionmaker(engine), OutboxWriter(gradebook_tables.outbox)) as uow:
            uow.add_event(Event(gb.MarkRecorded(journal_id="j", value="Ә"), subject="journal/j"))
            await uow.commit()
        await engine.dispose()

        # The monthly activity's body, configured as the workflow service hands it over: a file.
        nats_url = r.nc.connected_url
        assert nats_url is not None
        settings_file = tmp_path / "backup.env"
        settings_file.write_text(
            f"EJOURNAL_BACKUP_DATABASE_URLS='{json.dumps(urls)}'\n"
            f"EJOURNAL_BACKUP_NATS_URL=nats://{nats_url.netloc}\nEJOURNAL_BACKUP_DIR={tmp_path / 'backups'}\n"
        )
        monkeypatch.setenv("EJOURNAL_BACKUP_ENV_FILE", str(settings_file))
        done = await monthly_backup()
        folder = Path(done["folder"])
        assert {p.name for p in folder.iterdir()} >= {f"{s}.pgdump" for s in SERVICES} | {"manifest.json"}
        assert (
            await r.scalar("SELECT count(*) FROM backup_record WHERE backup_id = :b", b=done["backup_id"])
            == 1
        )

        original = statements(r.url)
        assert len(original) == len(demo.statements)
        assert all(a == b == demo.statements[s].content_hash for s, (a, b, _) in original.items())

        fresh = nats_factory()
        targets = {s: with_database(url, f"restored_{s}_{uuid.uuid4().hex[:8]}") for s, url in urls.items()}
        client = await connect(fresh.url, "restore-test")
        try:
            restored_streams = await restore_backup(folder, targets, client)
            manifest = json.loads((folder / "manifest.json").read_text())
            for stream, count in restored_streams.items():
                info = await client.jetstream().stream_info(stream)
                assert info.state.messages == count == (await r.js.stream_info(stream)).state.messages
                # Every message, header and byte: the restored stream dumps to the very same file.
                again = tmp_path / f"again-{stream}.jsonl"
                await dump_stream(client.jetstream(), stream, again)
                assert hashlib.sha256(again.read_bytes()).hexdigest() == manifest["streams"][stream]["sha256"]
        finally:
            await client.close()
        assert statements(targets["reporting"]) == original
        for service in SERVICES:
            now, then = fingerprint(urls[service]), fingerprint(targets[service])
            if service == "reporting":
                # The backup's own record is written after the dump it describes.
                assert then.pop("backup_record") != now.pop("backup_record")
            assert then == now, service
        fresh.stop()


@pytest.mark.rule("KZ-16")
async def test_a_damaged_backup_is_refused_before_anything_is_restored(
    databases: Databases,
    nats_factory: Callable[[], NatsServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with reporting(databases, nats_factory) as r:
        # As in the test above, the operator backs up as the database administrator: the services'
        # roles read no partition of their own (the event tables' weeks are the owner's).
        urls = {s: databases.admin_url(databases.fresh(s)) for s in SERVICES if s != "reporting"}
        urls["reporting"] = databases.admin_url(r.url)
        assert r.nc.connected_url is not None
        monkeypatch.setenv("EJOURNAL_BACKUP_DATABASE_URLS", json.dumps(urls))
        monkeypatch.setenv("EJOURNAL_BACKUP_NATS_URL", f"nats://{r.nc.connected_url.netloc}")
        monkeypatch.setenv("EJOURNAL_BACKUP_DIR", str(tmp_path))
        folder = Path((await monthly_backup())["folder"])
        dump = folder / "gradebook.pgdump"
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0xFF
        dump.write_bytes(bytes(data))
        target = with_database(r.url, f"never_{uuid.uuid4().hex[:8]}")
        with pytest.raises(DamagedBackup, match=r"gradebook\.pgdump"):
            await restore_backup(folder, dict.fromkeys(SERVICES, target), r.nc)
        with psycopg.connect(libpq_url(with_database(r.url, "postgres"))) as conn:
            name = target.rsplit("/", 1)[1]
            assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None
