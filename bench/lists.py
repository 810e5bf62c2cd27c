"""The first page of a list at a whole university's size, through the service's gRPC API (cursor
pagination, page size 100), beside the raw indexed query of the same page, in the same run.

    .venv/bin/python -m bench lists

- `/my/journals` (ListMyJournals): the gradebook seeded by bench/seed.py with 120,000 journals (2 terms x
  1,000 groups x 60) among 2,000 teachers, without marks (they do not change this list); a teacher with
  the most journals asks for page 1 and for the last page. Ours also builds each journal's header (its
  sections and open reopen cases), which is what the route answers, in a constant number of queries per
  page; raw is the keyset query of the ids.
- `/groups` (ListGroups): curriculum with 2 academic years x 1,000 groups (30 specialties); the
  registrar asks for the year's first page and its last. Raw: the same join, keyset and limit in SQL.
Each figure is the median of `ROUNDS` alternating calls (both sides warm).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import grpc
import psycopg
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench.harness import servers
from bench.report import figure, median, size
from bench.seed import UniversitySize, seed_university
from ejournal.curriculum.v1 import curriculum_service_pb2 as cpb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as cpb_grpc
from ejournal.gradebook.v1 import gradebook_service_pb2 as gpb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gpb_grpc
from ejournal_platform.db import make_engine
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.tokens import TestTokens
from services.curriculum.adapters import tables as ctables
from services.curriculum.entrypoints.grpc_api import CurriculumServicer
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.gradebook.adapters import tables as gtables
from services.gradebook.adapters.classroom_secrets import StaticClassroomSecrets
from services.gradebook.adapters.reads_sql import MY_JOURNALS
from services.gradebook.entrypoints.grpc_api import GradebookServicer
from services.gradebook.service_layer.context import Gradebook

ROUNDS = int(os.environ.get("BENCH_LISTS_ROUNDS", "30"))  # fewer for a short run on a shared machine
PAGE = 100
RAW_MY_JOURNALS = str(MY_JOURNALS).replace(":me", "%(me)s").replace(":today", "%(today)s")
RAW_MY_JOURNALS = RAW_MY_JOURNALS.replace(":term", "%(term)s").replace(":after", "%(after)s")
RAW_MY_JOURNALS = RAW_MY_JOURNALS.replace(":fetch", "%(fetch)s")
RAW_GROUPS = """
    SELECT g.*, s.faculty_id FROM groups g JOIN specialties s ON s.id = g.specialty_id
    WHERE g.academic_year_id = %(year)s
      AND (%(after)s::text IS NULL OR (g.code, g.id) > (%(after)s, %(after_id)s))
    ORDER BY g.code, g.id LIMIT %(fetch)s
"""


async def alternate(
    ours: Callable[[], Awaitable[int]], raw: Callable[[], Awaitable[int]]
) -> tuple[float, float]:
    """Median milliseconds of each side over ROUNDS alternating calls; both must return a full page."""
    ours_ms, raw_ms = [], []
    for _ in range(3):  # warm both (connections, plans)
        await ours()
        await raw()
    for _ in range(size(ROUNDS, 3)):
        t0 = time.perf_counter()
        got_ours = await ours()
        t1 = time.perf_counter()
        got_raw = await raw()
        t2 = time.perf_counter()
        assert got_ours > 0 and got_raw > 0, (got_ours, got_raw)
        ours_ms.append((t1 - t0) * 1000)
        raw_ms.append((t2 - t1) * 1000)
    return median(ours_ms), median(raw_ms)


async def my_journals(url: str, tokens: TestTokens) -> None:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    university = UniversitySize(graded_per_group=0, other_per_group=60, other_columns=1)
    if size(1, 0) == 0:
        university = UniversitySize(groups=10, teachers=20, graded_per_group=0, other_per_group=60,
                                    other_columns=1)  # fmt: skip
    seeded = seed_university(plain, university)
    journals = seeded.other
    teacher, count = Counter(j.teacher_id for j in journals).most_common(1)[0]
    print(f"  gradebook: {len(journals):,} journals, {university.teachers:,} teachers; the busiest "
          f"teacher has {count} journals ({seeded.seconds:.0f} s to seed)", flush=True)  # fmt: skip
    engine = make_engine(url)
    gb = Gradebook(async_sessionmaker(engine, expire_on_commit=False), OutboxWriter(gtables.outbox),
                   StaticClassroomSecrets())  # fmt: skip
    server = GrpcServer(tokens.verifier_authenticator())
    server.add(gpb_grpc.add_GradebookServiceServicer_to_server, GradebookServicer(gb),
               gpb.DESCRIPTOR.services_by_name["GradebookService"].full_name)  # fmt: skip
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    stub = gpb_grpc.GradebookServiceStub(channel)
    auth = bearer(tokens.token(str(teacher), ("teacher", "university", "*"), ttl=timedelta(hours=1)))
    raw = await psycopg.AsyncConnection.connect(plain, autocommit=True)
    mine = sorted(str(j.journal_id) for j in journals if j.teacher_id == teacher)
    page_size = min(PAGE, max(1, len(mine) // 2))
    try:
        last_token, last_after, seen = "", None, []
        request = gpb.ListMyJournalsRequest(page_size=page_size)
        while True:  # walk once to find the last page's token (and check each journal comes once)
            page = await stub.ListMyJournals(request, metadata=auth)
            if not page.next_page_token:
                break
            seen += [j.journal_id for j in page.journals]
            last_token, last_after = page.next_page_token, uuid.UUID(seen[-1])
            request = gpb.ListMyJournalsRequest(page_size=page_size, page_token=last_token)
        seen += [j.journal_id for j in page.journals]
        assert seen == mine, "each journal exactly once, in id order"
        for label, token, after in (("first", "", None), ("last", last_token, last_after)):

            async def ours(token: str = token) -> int:
                reply = await stub.ListMyJournals(
                    gpb.ListMyJournalsRequest(page_size=page_size, page_token=token), metadata=auth
                )
                return len(reply.journals)

            async def bare(after: Any = after) -> int:
                params = {"me": teacher, "today": gb.now().date(), "term": None, "after": after,
                          "fetch": page_size + 1}  # fmt: skip
                async with raw.cursor() as cur:
                    await cur.execute(RAW_MY_JOURNALS, params)
                    return len(await cur.fetchall())

            ours_ms, raw_ms = await alternate(ours, bare)
            what = f"/my/journals {label} page ({page_size} of {count}; {len(journals):,} journals)"
            figure(what, ours_ms, raw_ms, "ms", higher_is_better=False)
    finally:
        await raw.close()
        await channel.close()
        await server.stop(0)
        await engine.dispose()


def seed_groups(plain: str, groups: int, years: list[uuid.UUID]) -> None:
    specialties = [uuid.uuid4() for _ in range(30)]
    # No university or faculty rows: a list bench. With the triggers off (replica), the rows carry the
    # university the fill triggers would have copied from their faculty.
    university = uuid.uuid4()
    with psycopg.connect(plain) as conn:
        conn.execute("SET session_replication_role = replica")
        with conn.cursor() as cur:
            with cur.copy("COPY specialties (id, faculty_id, code, title, university_id) FROM STDIN") as copy:
                for n, s in enumerate(specialties):
                    copy.write_row((s, uuid.uuid4(), f"S{n:03}", f"Specialty {n}", university))
            with cur.copy("COPY groups (id, specialty_id, academic_year_id, course_number, code, language, "
                          "university_id) FROM STDIN") as copy:  # fmt: skip
                for year in years:
                    for n in range(groups):
                        group = (uuid.uuid4(), specialties[n % 30], year, 1 + n % 5, f"G-{n:05}", "kk")
                        copy.write_row((*group, university))
        conn.commit()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


async def groups(url: str, tokens: TestTokens) -> None:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    years = [uuid.uuid4(), uuid.uuid4()]
    count = size(1_000, 150)
    seed_groups(plain, count, years)
    engine = make_engine(url)
    deps = Deps(unit_of_work_factory(async_sessionmaker(engine, expire_on_commit=False),
                                     OutboxWriter(ctables.outbox)))  # fmt: skip
    server = GrpcServer(tokens.verifier_authenticator())
    server.add(cpb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(deps),
               cpb.DESCRIPTOR.services_by_name["CurriculumService"].full_name)  # fmt: skip
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    stub = cpb_grpc.CurriculumServiceStub(channel)
    auth = bearer(tokens.token("registrar", ("registrar_head", "university", "*"), ttl=timedelta(hours=1)))
    raw = await psycopg.AsyncConnection.connect(plain, autocommit=True)
    year = str(years[0])
    try:
        request = cpb.ListGroupsRequest(academic_year_id=year, page_size=PAGE)
        last_token, last_after = "", None
        codes: list[tuple[str, str]] = []
        while True:
            page = await stub.ListGroups(request, metadata=auth)
            if not page.next_page_token:
                break
            codes += [(g.code, g.id) for g in page.groups]
            last_token, last_after = page.next_page_token, codes[-1]
            request = cpb.ListGroupsRequest(academic_year_id=year, page_size=PAGE, page_token=last_token)
        for label, token, after in (("first", "", None), ("last", last_token, last_after)):

            async def ours(token: str = token) -> int:
                reply = await stub.ListGroups(
                    cpb.ListGroupsRequest(academic_year_id=year, page_size=PAGE, page_token=token),
                    metadata=auth,
                )
                return len(reply.groups)

            async def bare(after: Any = after) -> int:
                params = {"year": year, "after": after[0] if after else None,
                          "after_id": after[1] if after else None, "fetch": PAGE + 1}  # fmt: skip
                async with raw.cursor() as cur:
                    await cur.execute(RAW_GROUPS, params)
                    return len(await cur.fetchall())

            ours_ms, raw_ms = await alternate(ours, bare)
            figure(f"/groups {label} page ({PAGE} of {count:,} a year)", ours_ms, raw_ms, "ms",
                   higher_is_better=False)  # fmt: skip
    finally:
        await raw.close()
        await channel.close()
        await server.stop(0)
        await engine.dispose()


async def measure() -> None:
    tokens = TestTokens()
    with servers() as s:
        await my_journals(s.database("bench_lists_gradebook", "gradebook"), tokens)
        await groups(s.database("bench_lists_curriculum", "curriculum"), tokens)


def main() -> None:
    asyncio.run(measure())
