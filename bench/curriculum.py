"""Benchmark of curriculum's imports: 30,000 students (contingent) and 60,000 teaching-load rows.

    python -m bench.curriculum [--students 30000] [--loads 60000] [--database-url postgresql+psycopg://...]

Starts its own PostgreSQL (embedded, on a free port) unless a server URL is given, builds one
university (10 specialties x 5 courses x 24 groups of 25; 10 disciplines per specialty and course;
2,000 teachers), then times, for each import: the whole run (read CSV, check every row against the file
and the database, write rows + outbox events + the import record in one transaction), the same file
again (answered "unchanged"), the same rows in another file (checked row by row, nothing changes), and
the raw figure: COPY of the same rows into the same tables of an identical database. Peak memory is the
Python heap peak (tracemalloc) of each import and the process's resident peak.
Results go to stdout and bench/results/curriculum.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bench.report import figure, size
from deploy.local.servers import PostgresServer, free_port
from ejournal_platform.db import make_engine
from ejournal_platform.migrations import upgrade
from ejournal_platform.outbox import OutboxWriter
from services.curriculum.adapters import tables
from services.curriculum.adapters.ids import person_id_for_login, stable_id
from services.curriculum.domain.curriculum import CourseUnitSpec
from services.curriculum.domain.vocabulary import CourseUnitKind, LessonType
from services.curriculum.service_layer import calendar, curriculum, structure
from services.curriculum.service_layer.authorization import setup_principal
from services.curriculum.service_layer.calendar import DefineAcademicYear
from services.curriculum.service_layer.curriculum import DefineCourseUnit
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.service_layer.imports.runner import RunImport, run_import
from services.curriculum.service_layer.structure import (
    DefineDepartment,
    DefineFaculty,
    DefineGroup,
    DefineSpecialty,
    DefineUniversity,
)

ROOT = Path(__file__).resolve().parents[1]
SPECIALTIES, COURSES, GROUPS_PER_COURSE, GROUP_SIZE, UNITS = 10, 5, 24, 25, 10
LESSON_TYPES = ["lecture", "practical", "seminar", "laboratory", "self_study"]
NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)  # inside the curriculum loading window


# Who sets the bench university up and imports into it: its setup principal, passed to every use case.
BENCH = setup_principal(str(stable_id("university", "bench")), "bench")


def deps_for(engine: AsyncEngine) -> Deps:
    return Deps(
        unit_of_work_factory(async_sessionmaker(engine, expire_on_commit=False), OutboxWriter(tables.outbox)),
        clock=lambda: NOW,
    )


async def build_university(deps: Deps) -> dict[str, Any]:
    """Groups and the working curriculum, through the use cases (ids are stable, so both databases match)."""
    uni = await structure.define_university(
        deps,
        BENCH,
        DefineUniversity(
            code="bench", title="Bench University", profile_code="kz-medical", time_zone="Asia/Almaty"
        ),
    )
    faculty = await structure.define_faculty(
        deps, BENCH, DefineFaculty(university_id=str(uni.id), code="f", title="Faculty")
    )
    departments = [
        str(
            (
                await structure.define_department(
                    deps,
                    BENCH,
                    DefineDepartment(faculty_id=str(faculty.id), code=f"d{i}", title=f"Dept {i}"),
                )
            ).id
        )
        for i in range(10)
    ]
    year = await calendar.define_academic_year(
        deps,
        BENCH,
        DefineAcademicYear(
            university_id=str(uni.id),
            code="2026-2027",
            starts_on="2026-09-01",
            ends_on="2027-06-30",
            terms=[calendar.TermInput(1, "2026-09-01", "2027-01-20")],
        ),
    )
    groups: list[str] = []
    for s in range(SPECIALTIES):
        specialty = await structure.define_specialty(
            deps,
            BENCH,
            DefineSpecialty(faculty_id=str(faculty.id), code=f"S{s}", title=f"Specialty {s}"),
        )
        for course in range(1, COURSES + 1):
            for g in range(GROUPS_PER_COURSE):
                code = f"S{s}-{course}-{g:02}"
                await structure.define_group(
                    deps,
                    BENCH,
                    DefineGroup(
                        specialty_id=str(specialty.id),
                        academic_year_id=str(year.year.id),
                        course_number=course,
                        code=code,
                        language="ru",
                        subgroup_codes=[],
                    ),
                )
                groups.append(code)
            for u in range(UNITS):
                hours = {LessonType(t): 30 for t in LESSON_TYPES}
                await curriculum.define_course_unit(
                    deps,
                    BENCH,
                    DefineCourseUnit(
                        spec=CourseUnitSpec(
                            str(year.year.id),
                            str(specialty.id),
                            course,
                            1,
                            CourseUnitKind.DISCIPLINE,
                            f"U{u}",
                            f"Discipline {u}",
                            departments[u],
                            "kz-medical",
                            Decimal(5),
                            hours,
                        )
                    ),
                )
    return {"year": str(year.year.id), "groups": groups}


def contingent_csv(groups: list[str], students: int, order: str = "124-с") -> bytes:
    lines = ["student_login;student_name;group;order_number;order_date;effective_date"]
    for i in range(students):
        lines.append(
            f"st{i:06};Студент {i} Әлиұлы;{groups[i // GROUP_SIZE % len(groups)]};{order};"
            "2026-08-20;2026-09-01"
        )
    return "\n".join(lines).encode()


def load_csv(groups: list[str], loads: int) -> bytes:
    lines = ["teacher_login;course_unit;group;lesson_type;hours"]
    per_group = UNITS * len(LESSON_TYPES)
    for i in range(loads):
        group, k = groups[i // per_group % len(groups)], i % per_group
        lines.append(
            f"t{(i * 7) % 2000:04};U{k // len(LESSON_TYPES)};{group};{LESSON_TYPES[k % len(LESSON_TYPES)]};30"
        )
    return "\n".join(lines).encode()


async def timed(
    label: str, action: Callable[[], Awaitable[Any]], *, trace: bool
) -> tuple[Any, dict[str, Any]]:
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = await action()
    seconds = time.perf_counter() - started
    figures: dict[str, Any] = {"step": label, "seconds": round(seconds, 3)}
    if trace:
        figures["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    figures["process_rss_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return result, figures


async def import_once(deps: Deps, kind: str, name: str, content: bytes, year: str) -> Any:
    outcome = await run_import(
        deps,
        BENCH,
        RunImport(kind=kind, file_name=name, content=content, academic_year_id=year, language="ru"),
    )
    assert outcome.status in ("applied", "unchanged"), (outcome.status, outcome.errors[:3])
    return outcome


def copy_rows(url: str, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def raw_rows(world: dict[str, Any], students: int, loads: int, url: str) -> dict[str, float]:
    """COPY the rows the imports wrote (movements + placements; teaching loads) into an identical database."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        group_ids: dict[str, uuid.UUID] = dict(conn.execute("SELECT code, id FROM groups").fetchall())
        units = {
            (r[0], r[1]): (r[2], r[3], r[4])
            for r in conn.execute(
                "SELECT g.code, cu.code, cu.id, cu.term_id, cu.department_id "
                "FROM groups g JOIN course_units cu "
                "ON cu.specialty_id = g.specialty_id AND cu.course_number = g.course_number"
            ).fetchall()
        }
        faculty = conn.execute("SELECT id FROM faculties LIMIT 1").fetchone()[0]  # type: ignore[index]
    groups, now = world["groups"], NOW
    movements, placements = [], []
    for i in range(students):
        student, mid = person_id_for_login(f"st{i:06}"), uuid.uuid4()
        gid = group_ids[groups[i // GROUP_SIZE % len(groups)]]
        movements.append(
            (
                mid,
                "enrolled",
                student,
                f"Студент {i}",
                gid,
                "124-с",
                date(2026, 8, 20),
                date(2026, 9, 1),
                "",
                "bench",
                now,
            )
        )
        placements.append((uuid.uuid4(), student, gid, date(2026, 9, 1), mid))
    per_group = UNITS * len(LESSON_TYPES)
    load_rows = []
    for i in range(loads):
        code, k = groups[i // per_group % len(groups)], i % per_group
        unit_id, term, dept = units[(code, f"U{k // len(LESSON_TYPES)}")]
        gid = group_ids[code]
        load_rows.append(
            (
                uuid.uuid4(),
                person_id_for_login(f"t{(i * 7) % 2000:04}"),
                unit_id,
                gid,
                LESSON_TYPES[k % len(LESSON_TYPES)],
                term,
                dept,
                faculty,
                30,
                1,
            )
        )
    return {
        "movements": copy_rows(
            url,
            "movements",
            [
                "id",
                "kind",
                "student_id",
                "student_name",
                "group_id",
                "order_number",
                "order_date",
                "effective_date",
                "reason",
                "recorded_by",
                "recorded_at",
            ],
            movements,
        ),
        "placements": copy_rows(
            url, "placements", ["id", "student_id", "group_id", "valid_from", "opened_by"], placements
        ),
        "teaching_loads": copy_rows(
            url,
            "teaching_loads",
            [
                "id",
                "teacher_id",
                "course_unit_id",
                "group_id",
                "lesson_type",
                "term_id",
                "department_id",
                "faculty_id",
                "hours",
                "revision",
            ],
            load_rows,
        ),
    }


async def run(students: int, loads: int, server_url: str | None) -> dict[str, Any]:
    tmp = tempfile.TemporaryDirectory(prefix="bench-curriculum-")
    server = None
    if server_url is None:
        server = PostgresServer(Path(tmp.name) / "pg", free_port())
        server.start()
        make_url: Callable[[str], str] = server.url
        create = server.create_database
    else:
        base = server_url.rsplit("/", 1)[0]
        make_url = lambda name: f"{base}/{name}"  # noqa: E731

        def create(name: str, template: str | None = None, owner: str | None = None) -> bool:
            with psycopg.connect(
                f"{base}/postgres".replace("postgresql+psycopg://", "postgresql://"), autocommit=True
            ) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                c.execute(f'CREATE DATABASE "{name}"')
            return True

    try:
        results: dict[str, Any] = {"students": students, "teaching_loads": loads, "steps": [], "memory": []}
        create("bench_world")
        upgrade(ROOT / "services" / "curriculum" / "migrations", make_url("bench_world"))
        started = time.perf_counter()
        engine = make_engine(make_url("bench_world"), pool_size=2)
        world = await build_university(deps_for(engine))
        await engine.dispose()
        results["setup_seconds"] = round(time.perf_counter() - started, 1)
        # Identical starting points: the timed run, the traced run (tracemalloc slows Python down, so its
        # times are not reported) and the raw COPY.
        for name in ("bench_import", "bench_memory", "bench_copy"):
            create(name, "bench_world")
        year = world["year"]
        people, loads_file = contingent_csv(world["groups"], students), load_csv(world["groups"], loads)
        steps = [
            ("contingent import (new)", "contingent", "students.csv", people),
            ("contingent import, same file again", "contingent", "students.csv", people),
            (
                "contingent import, same rows in another file",
                "contingent",
                "students-copy.csv",
                people + b"\n",
            ),
            ("teaching-load import (new)", "teaching_load", "loads.csv", loads_file),
            ("teaching-load import, same file again", "teaching_load", "loads.csv", loads_file),
            (
                "teaching-load import, same rows in another file",
                "teaching_load",
                "loads-copy.csv",
                loads_file + b"\n",
            ),
        ]
        for database, trace, into in (("bench_import", False, "steps"), ("bench_memory", True, "memory")):
            engine = make_engine(make_url(database), pool_size=2)
            deps = deps_for(engine)
            for label, kind, file_name, content in steps:
                if trace and "(new)" not in label:
                    continue

                async def step(d: Deps = deps, k: str = kind, f: str = file_name, c: bytes = content) -> Any:
                    return await import_once(d, k, f, c, year)

                outcome, figures = await timed(label, step, trace=trace)
                figures.update(status=outcome.status, rows=outcome.rows_total, changed=outcome.rows_changed)
                if trace:
                    del figures["seconds"]
                results[into].append(figures)
            await engine.dispose()
        raw = await asyncio.to_thread(raw_rows, world, students, loads, make_url("bench_copy"))
        results["copy_seconds"] = {k: round(v, 3) for k, v in raw.items()}
        new = {s["step"]: s["seconds"] for s in results["steps"]}
        results["ratio_to_copy"] = {
            "contingent": round(new["contingent import (new)"] / (raw["movements"] + raw["placements"]), 1),
            "teaching_load": round(new["teaching-load import (new)"] / raw["teaching_loads"], 1),
        }
        results["rows_per_second"] = {
            "contingent": round(students / new["contingent import (new)"]),
            "teaching_load": round(loads / new["teaching-load import (new)"]),
        }
        contingent_copy = raw["movements"] + raw["placements"]
        figure("contingent import (new), raw: COPY", students / new["contingent import (new)"],
               students / contingent_copy, "rows/s")  # fmt: skip
        figure("teaching-load import (new), raw: COPY", loads / new["teaching-load import (new)"],
               loads / raw["teaching_loads"], "rows/s")  # fmt: skip
        return results
    finally:
        if server is not None:
            server.stop()
        tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=size(30_000, 200))
    parser.add_argument("--loads", type=int, default=size(60_000, 200))
    parser.add_argument("--database-url", help="an existing PostgreSQL (admin URL); default: start one")
    options = parser.parse_args()
    results = asyncio.run(run(options.students, options.loads, options.database_url))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "curriculum.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
