"""A whole university's year in the gradebook's database, written with COPY (for the benchmarks and for
docs/scale.md's simulation).

    size = UniversitySize.scaled(0.01)          # 1.0 = 30,000 students, 60,000 journals a term
    seeded = seed_university(gradebook_url, size)  # a superuser's URL to a migrated gradebook database
    seeded.graded[0]   # a filled 30 x 60 journal: (journal_id, teacher_id, group_id)

The model: `groups` groups of `students_per_group` students; per group and term `graded_per_group`
graded journals (practicals: `graded_columns` lessons, every cell marked) and `other_per_group` other
journals (lectures: `other_columns` lessons, no marks). Each mark has its history entry with the real
hash chain (domain/history_chain.py), so `VerifyHistory` holds on seeded journals. At scale 1.0 that is
2 terms x 1,000 groups x 6 graded journals x 1,800 cells = 21.6 M marks and 21.6 M history entries.

Marks are written in the order a term fills them (lesson by lesson across all journals), so one
journal's rows lie far apart on disk, as they would in production. The primary keys of marks and
history are dropped during the COPY and built afterwards (a sorted build is minutes faster than 20 M
random index inserts), and triggers are off for the session (`session_replication_role = replica`:
they guard the service's writes, not a set-up), so the URL must be a superuser's.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from services.gradebook.domain.history_chain import GENESIS, Change, link_batch

PROFILE = "kz-medical"
TERM_STARTS = (date(2026, 9, 1), date(2027, 1, 20))
AUTHOR = "seed"
CHUNK = 1 << 20  # bytes handed to COPY at a time


@dataclass(frozen=True)
class UniversitySize:
    groups: int = 1_000
    students_per_group: int = 30
    terms: int = 2
    graded_per_group: int = 6
    graded_columns: int = 60
    other_per_group: int = 54
    other_columns: int = 15
    teachers: int = 2_000

    @classmethod
    def scaled(cls, factor: float) -> UniversitySize:
        """A university `factor` times the reference one (1.0: 30k students, ~21.6 M marks a year)."""
        return cls(groups=max(1, round(1_000 * factor)), teachers=max(1, round(2_000 * factor)))

    @property
    def marks(self) -> int:
        per_journal = self.students_per_group * self.graded_columns
        return self.terms * self.groups * self.graded_per_group * per_journal


@dataclass(frozen=True)
class Journal:
    journal_id: uuid.UUID
    teacher_id: uuid.UUID
    group_id: uuid.UUID
    term_id: uuid.UUID


@dataclass
class Seeded:
    size: UniversitySize
    term_ids: list[uuid.UUID]
    graded: list[Journal] = field(default_factory=list)  # filled 30 x 60 journals, term by term
    other: list[Journal] = field(default_factory=list)  # journals without marks
    students: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)  # group -> students
    seconds: float = 0.0
    # Where every journal sits: one faculty of one university, known to the gradebook before its
    # journals (as when curriculum's structure arrives first), so journals and their rows are routed.
    university_id: uuid.UUID = field(default_factory=uuid.uuid4)
    faculty_id: uuid.UUID = field(default_factory=uuid.uuid4)


def _ids(rng: random.Random, n: int) -> list[uuid.UUID]:
    return [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(n)]


def _copy(conn: psycopg.Connection[Any], statement: str, lines: Iterator[str]) -> None:
    """COPY text lines (tab-separated, \\N for NULL) in ~1 MiB writes."""
    with conn.cursor() as cur, cur.copy(statement) as copy:
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= CHUNK:
                copy.write("".join(buffer))
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer))


def _structure(size: UniversitySize, rng: random.Random) -> Seeded:
    seeded = Seeded(size, _ids(rng, size.terms))
    teachers = _ids(rng, size.teachers)
    groups = _ids(rng, size.groups)
    seeded.students = {g: _ids(rng, size.students_per_group) for g in groups}
    for term in seeded.term_ids:
        for group in groups:
            for kind, count in (("graded", size.graded_per_group), ("other", size.other_per_group)):
                for _ in range(count):
                    journal = Journal(_ids(rng, 1)[0], rng.choice(teachers), group, term)
                    (seeded.graded if kind == "graded" else seeded.other).append(journal)
    return seeded


def _column_ids(seeded: Seeded, rng: random.Random) -> dict[uuid.UUID, list[uuid.UUID]]:
    size = seeded.size
    out = {j.journal_id: _ids(rng, size.graded_columns) for j in seeded.graded}
    out.update({j.journal_id: _ids(rng, size.other_columns) for j in seeded.other})
    return out


def _lesson_day(term_index: int, column: int) -> date:
    return TERM_STARTS[term_index % 2] + timedelta(days=column * 2)


def _marks_and_history(
    seeded: Seeded, columns: dict[uuid.UUID, list[uuid.UUID]], heads: dict[uuid.UUID, tuple[int, bytes]]
) -> Iterator[tuple[str, str]]:
    """(marks line, history line) for every graded cell, lesson by lesson across all journals; `heads`
    ends with each journal's chain head (position, hash)."""
    heads.update({j.journal_id: (0, GENESIS) for j in seeded.graded})
    names = {g: [str(s) for s in students] for g, students in seeded.students.items()}
    university = str(seeded.university_id)
    by_term = {t: [j for j in seeded.graded if j.term_id == t] for t in seeded.term_ids}
    for term_index, term in enumerate(seeded.term_ids):
        for column in range(seeded.size.graded_columns):
            day = _lesson_day(term_index, column)
            at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            stamp = at.isoformat()
            for journal in by_term[term]:
                jid = str(journal.journal_id)
                column_id = str(columns[journal.journal_id][column])
                students = names[journal.group_id]
                values = [str((column * 7 + n * 13) % 101) for n in range(len(students))]
                position, previous = heads[journal.journal_id]
                shared = Change(
                    journal_id=jid, position=0, kind="mark", column_id="", student_id="", old_value=None,
                    new_value=None, author_id=AUTHOR, on_behalf_of_id=None, reason=None, grant_id=None,
                    case_id=None, recorded_at=at,
                )  # fmt: skip
                cells = [(column_id, s, None, v) for s, v in zip(students, values, strict=True)]
                hashes = link_batch(previous, position + 1, shared, cells)
                for offset, (student, value) in enumerate(zip(students, values, strict=True)):
                    link = hashes[offset]
                    prev = hashes[offset - 1] if offset else previous
                    yield (
                        f"{jid}\t{column_id}\t{student}\t{value}\t1\t{stamp}\t{AUTHOR}\t{term}\t{university}\n",
                        f"{jid}\t{position + 1 + offset}\tmark\t{column_id}\t{student}\t\\N\t{value}"
                        f"\t{AUTHOR}\t\\N\t\\N\t\\N\t\\N\t{stamp}\t\\\\x{prev.hex()}\t\\\\x{link.hex()}"
                        f"\t{term}\t{university}\n",
                    )
                heads[journal.journal_id] = (position + len(cells), hashes[-1])


def _reference_rows(
    conn: psycopg.Connection[Any], seeded: Seeded, columns: dict[uuid.UUID, list[uuid.UUID]]
) -> None:
    size = seeded.size
    term_index = {t: i for i, t in enumerate(seeded.term_ids)}
    journals = seeded.graded + seeded.other
    conn.execute(
        "INSERT INTO names (name_id, kind, title, defined_at) VALUES (%s, 'university', 'University', now())",
        (seeded.university_id,),
    )
    conn.execute(
        "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
        " VALUES (%s, 'faculty', 'Faculty', %s, now())",
        (seeded.faculty_id, seeded.university_id),
    )
    _copy(
        conn,
        "COPY journals (journal_id, term_id, course_unit_id, group_id, lesson_type, profile_code, faculty_id,"
        " university_id) FROM STDIN",
        (
            f"{j.journal_id}\t{j.term_id}\t{uuid.uuid4()}\t{j.group_id}\t"
            f"{'practical' if n < len(seeded.graded) else 'lecture'}\t{PROFILE}\t{seeded.faculty_id}\t"
            f"{seeded.university_id}\n"
            for n, j in enumerate(journals)
        ),
    )
    _copy(
        conn,
        "COPY journal_teachers (load_id, journal_id, teacher_id, active) FROM STDIN",
        (f"{uuid.uuid4()}\t{j.journal_id}\t{j.teacher_id}\tt\n" for j in journals),
    )
    _copy(
        conn,
        "COPY enrollments (movement_id, student_id, group_id, since) FROM STDIN",
        (
            f"{uuid.uuid4()}\t{s}\t{g}\t2026-09-01\n"
            for g, students in seeded.students.items()
            for s in students
        ),
    )
    _copy(
        conn,
        "COPY columns (journal_id, column_id, kind, date, lesson_type) FROM STDIN",
        (
            f"{j.journal_id}\t{c}\tlesson\t{_lesson_day(term_index[j.term_id], n)}\t"
            f"{'practical' if len(ids) == size.graded_columns else 'lecture'}\n"
            for j in journals
            for ids in (columns[j.journal_id],)
            for n, c in enumerate(ids)
        ),
    )


def seed_university(url: str, size: UniversitySize, seed: int = 19) -> Seeded:
    """Write `size` into the (migrated, empty) gradebook database at `url` (a superuser's libpq or
    SQLAlchemy URL); returns what was written. Deterministic for a given seed."""
    started = time.perf_counter()
    url = url.replace("postgresql+psycopg://", "postgresql://")
    rng = random.Random(seed)
    seeded = _structure(size, rng)
    columns = _column_ids(seeded, rng)
    seeded.university_id, seeded.faculty_id = _ids(rng, 2)
    with psycopg.connect(url) as conn, psycopg.connect(url) as history_conn:
        for c in (conn, history_conn):
            c.execute("SET session_replication_role = replica")
            c.execute("SET synchronous_commit = off")
        _reference_rows(conn, seeded, columns)
        # The triggers that make a new term's partitions are off here (replica): make them as the
        # migration job would, before the first row of the term.
        for term in seeded.term_ids:
            conn.execute("SELECT ejournal_term_partitions(%s)", (term,))
        conn.execute("ALTER TABLE marks DROP CONSTRAINT marks_pkey")
        conn.execute("ALTER TABLE history DROP CONSTRAINT history_pkey")
        conn.execute("DROP INDEX ix_history_cell")
        conn.commit()
        with (
            conn.cursor() as marks_cur,
            marks_cur.copy(
                "COPY marks (journal_id, column_id, student_id, value, version, updated_at, updated_by,"
                " term_id, university_id) FROM STDIN"
            ) as marks_copy,
            history_conn.cursor() as history_cur,
            history_cur.copy(
                "COPY history (journal_id, position, kind, column_id, student_id, old_value, new_value,"
                " author_id, on_behalf_of_id, reason, grant_id, case_id, recorded_at, prev_hash, hash,"
                " term_id, university_id) FROM STDIN"
            ) as history_copy,
        ):
            heads: dict[uuid.UUID, tuple[int, bytes]] = {}
            marks_buf: list[str] = []
            history_buf: list[str] = []
            for n, (mark, entry) in enumerate(_marks_and_history(seeded, columns, heads), start=1):
                marks_buf.append(mark)
                history_buf.append(entry)
                if n % 4_096 == 0:
                    marks_copy.write("".join(marks_buf))
                    history_copy.write("".join(history_buf))
                    marks_buf, history_buf = [], []
            marks_copy.write("".join(marks_buf))
            history_copy.write("".join(history_buf))
        history_conn.commit()
        conn.commit()
        _copy(
            conn,
            "COPY chain_heads (journal_id, position, hash, university_id) FROM STDIN",
            (
                f"{j.journal_id}\t{head[0]}\t\\\\x{head[1].hex()}\t{seeded.university_id}\n"
                for j in seeded.graded + seeded.other
                for head in (heads.get(j.journal_id, (0, GENESIS)),)
            ),
        )
        conn.execute(
            "ALTER TABLE marks ADD CONSTRAINT marks_pkey"
            " PRIMARY KEY (journal_id, column_id, student_id, term_id)"
        )
        conn.execute(
            "ALTER TABLE history ADD CONSTRAINT history_pkey PRIMARY KEY (journal_id, position, term_id)"
        )
        conn.execute("CREATE INDEX ix_history_cell ON history (column_id, student_id)")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        # The seed's gigabytes on disk before anything is timed: a year's data has long been written
        # out, and the checkpointer flushing it in the background would be timed with the reads.
        conn.execute("CHECKPOINT")
    seeded.seconds = time.perf_counter() - started
    return seeded


def seed_group_members(url: str, seeded: Seeded, groups: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The curriculum side of `groups`: one university, faculty, specialty and academic year, each group,
    and an enrollment order (movement + placement) naming each of its students, so the gateway can add
    students' names to a grid. `url` is a superuser's URL to a migrated curriculum database. Returns
    each student's name. Triggers are off while seeding (replica role), so each row names its
    university itself (the tenancy column the triggers would derive from the parent)."""
    url = url.replace("postgresql+psycopg://", "postgresql://")
    university, faculty, specialty, year = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    names: dict[uuid.UUID, str] = {}
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "INSERT INTO universities (id, code, title, profile_code, time_zone)"
            " VALUES (%s, %s, 'Bench University', %s, 'Asia/Almaty')",
            (university, f"BENCH-{university.hex[:8]}", PROFILE),
        )
        conn.execute(
            "INSERT INTO faculties (id, university_id, code, title) VALUES (%s, %s, 'F', 'Faculty')",
            (faculty, university),
        )
        conn.execute(
            "INSERT INTO specialties (id, faculty_id, code, title, university_id)"
            " VALUES (%s, %s, 'S', 'Specialty', %s)",
            (specialty, faculty, university),
        )
        conn.execute(
            "INSERT INTO academic_years (id, university_id, code, starts_on, ends_on, load_from, load_until,"
            " correction_from, correction_until) VALUES (%s, %s, '2026-2027', '2026-09-01', '2027-06-30',"
            " '2026-06-01', '2026-08-31', '2026-09-01', '2026-09-15')",
            (year, university),
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO groups (id, specialty_id, academic_year_id, course_number, code, language,"
                " university_id) VALUES (%s, %s, %s, 1, %s, 'ru', %s)",
                [(g, specialty, year, f"G-{n:05d}", university) for n, g in enumerate(groups)],
            )
            movements, placements = [], []
            for n, group in enumerate(groups):
                for k, student in enumerate(seeded.students[group]):
                    movement = uuid.uuid4()
                    names[student] = name = f"Студентов Студент {n:05d}-{k:02d}"
                    movements.append((movement, student, name, group, f"order-{n}-{k}"))
                    placements.append((uuid.uuid4(), student, group, movement))
            cur.executemany(
                "INSERT INTO movements (id, kind, student_id, student_name, group_id, order_number,"
                " order_date, effective_date, reason, recorded_by, recorded_at, university_id)"
                " VALUES (%s, 'enrolled', %s, %s, %s, %s, '2026-08-25', '2026-09-01', '', 'seed', now(), %s)",
                [(*m, university) for m in movements],
            )
            cur.executemany(
                "INSERT INTO placements (id, student_id, group_id, valid_from, opened_by, university_id)"
                " VALUES (%s, %s, %s, '2026-09-01', %s, %s)",
                [(*p, university) for p in placements],
            )
            # Each journal's teacher teaches its group (a teaching load): since issue 13 a group's
            # names go only to its own teachers, so without these rows the grid comes without names.
            # Course unit and department are ids only (foreign keys are off under the replica role).
            wanted = set(groups)
            loads = {
                (j.teacher_id, j.group_id, j.term_id)
                for j in [*seeded.graded, *seeded.other]
                if j.group_id in wanted
            }
            department = uuid.uuid4()
            cur.executemany(
                "INSERT INTO teaching_loads (id, teacher_id, course_unit_id, group_id, lesson_type, term_id,"
                " department_id, faculty_id, hours, revision, university_id)"
                " VALUES (%s, %s, %s, %s, 'lecture', %s, %s, %s, 0, 1, %s)",
                [
                    (uuid.uuid4(), t, uuid.uuid4(), g, term, department, faculty, university)
                    for t, g, term in loads
                ],
            )
        conn.commit()
    return names
