"""KG-12: journals and statements are kept 5 years after their term, then archived — into a bundle that
holds every row, the printouts and the statements' bytes, with a record of what was archived."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import grpc
import pypdf
import pytest

from deploy.local.servers import NatsServer
from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from ejournal_platform.testing.fixtures import Databases
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.rebuild import rebuild
from services.reporting.tests.demo.university import Shape, build
from services.reporting.tests.support import load_demo, reporting, serve

pytestmark = pytest.mark.integration

ADMIN = ("administrator", "university", "u-1")
OLD = Shape(
    profile_code="kg-jasu", groups_per_department=1, students_per_group=5, term_start=date(2019, 9, 2)
)
RECENT = Shape(profile_code="kz-medical", groups_per_department=1, students_per_group=5)


@pytest.mark.rule("KG-12")
async def test_old_journals_and_statements_are_archived_with_a_record(
    databases: Databases, nats_factory: Callable[[], NatsServer], tmp_path: Path
) -> None:
    old, recent = build(OLD), build(RECENT)
    async with reporting(databases, nats_factory) as r:
        await load_demo(r, old)
        await load_demo(r, recent)
        async with serve(r, tmp_path / "archive") as s:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await s.stub.RunRetention(
                    pb.RunRetentionRequest(), metadata=s.as_("t", ("teacher", "department", "d"))
                )
            assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
            # Five years after the old term ended: not yet (the last day it is kept) ...
            ends = date.fromisoformat(old.of_type(cur.TermDefined)[0].ends_on)
            last_day = ends.replace(year=ends.year + 5)
            nothing = await s.stub.RunRetention(
                pb.RunRetentionRequest(as_of=last_day.isoformat()), metadata=s.as_("a", ADMIN)
            )
            assert list(nothing.archived) == []
            # ... the day after, every journal and statement of that term, and nothing younger.
            reply = await s.stub.RunRetention(pb.RunRetentionRequest(), metadata=s.as_("a", ADMIN))
            archived = {(a.kind, a.item_id) for a in reply.archived}
            assert archived == {("journal", j) for j in old.journal_ids} | {
                ("statement", st) for st in old.statements
            }
            assert all(a.kept_until == last_day.isoformat() for a in reply.archived)

            bundle = tmp_path / "archive" / reply.archived[0].bundle
            data = bundle.read_bytes()
            assert hashlib.sha256(data).hexdigest() == reply.archived[0].bundle_sha256
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                manifest = json.loads(z.read("manifest.json"))
                assert {(i["kind"], i["id"]) for i in manifest["items"]} == archived
                for record in reply.archived:
                    if record.kind == "statement":
                        raw = z.read(f"statements/{record.item_id}.pb")
                        assert raw == old.statements[record.item_id].SerializeToString(deterministic=True)
                        assert hashlib.sha256(raw).hexdigest() == record.item_sha256
                    else:
                        rows = json.loads(z.read(f"journals/{record.item_id}.json"))
                        assert rows["marks"], "every mark goes into the archive"
                        printout = pypdf.PdfReader(io.BytesIO(z.read(f"journals/{record.item_id}.pdf")))
                        assert record.item_sha256 in printout.pages[0].extract_text()

            # Archived cells leave the live read models; the recent term's stay.
            assert (
                await r.scalar(
                    "SELECT count(*) FROM rm_mark WHERE journal_id = ANY(:ids)", ids=old.journal_ids
                )
                == 0
            )
            assert await r.scalar(
                "SELECT count(*) FROM rm_mark WHERE journal_id = ANY(:ids)", ids=recent.journal_ids
            )
            again = await s.stub.RunRetention(pb.RunRetentionRequest(), metadata=s.as_("a", ADMIN))
            assert list(again.archived) == [], "nothing is archived twice"
            listed = await s.stub.ListArchiveRecords(
                pb.ListArchiveRecordsRequest(), metadata=s.as_("a", ADMIN)
            )
            assert {(a.kind, a.item_id) for a in listed.records} == archived

            # A rebuild replays the old term's events; the archive record puts them back in the archive.
            await rebuild(Deps.over(r.sessions), consumers=r.consumers)
            await r.caught_up()
            assert r.consumers.after_rebuild is not None
            await r.consumers.after_rebuild
            assert await r.scalar(
                "SELECT count(*) FROM rm_journal WHERE archived AND journal_id = ANY(:ids)",
                ids=old.journal_ids,
            ) == len(old.journal_ids)
            assert (
                await r.scalar(
                    "SELECT count(*) FROM rm_mark WHERE journal_id = ANY(:ids)", ids=old.journal_ids
                )
                == 0
            )
