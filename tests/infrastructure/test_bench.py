"""`python -m bench` runs every benchmark (the package's own __main__ is not one of them), prints its
figures without a log line per call, and writes them as JSON on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bench.__main__ import available

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_every_module_but_the_runner_and_its_helpers_is_a_benchmark() -> None:
    names = available()
    assert not {"__main__", "harness", "report", "seed"} & set(names)
    assert {"identity", "outbox", "gradebook", "reporting", "workflow", "curriculum"} <= set(names)


@pytest.mark.integration
def test_a_tiny_run_writes_every_figure_as_json_and_logs_no_call(tmp_path: Path) -> None:
    target = tmp_path / "figures.json"
    env = {**os.environ, "EJOURNAL_BENCH_TINY": "1", "EJOURNAL_BENCH_JSON": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "identity", "outbox"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(target.read_text(encoding="utf-8"))
    assert set(figures) == {
        "identity/TokenVerifier.verify",
        "identity/JwtAuthenticator.authenticate (cached keys)",
        "identity/Login RPC end to end, median (raw: argon2 verify)",
        "outbox/events committed and published, per second",
        "login_per_s",  # issue 19's name: concurrent sign-ins against raw argon2 on the same cores
    }
    for figure in figures.values():
        assert set(figure) == {"ours", "raw", "unit", "better"}
        assert figure["ours"] > 0 and figure["raw"] > 0 and figure["better"] in ("higher", "lower")
    for name in figures:
        assert name.split("/")[-1] in done.stdout  # printed too
    # The Login RPCs ran through identity's gRPC server: none of them left an info line.
    assert "[info" not in done.stdout + done.stderr and '"level": "info"' not in done.stdout + done.stderr


@pytest.mark.integration
def test_the_seeder_writes_the_size_it_is_asked_with_intact_chains_and_the_keys_back() -> None:
    from bench.harness import servers
    from bench.seed import UniversitySize, seed_group_members, seed_university
    from services.gradebook.domain.history_chain import Change, StoredChange, verify

    size = UniversitySize(groups=2, students_per_group=5, graded_per_group=2, graded_columns=4,
                          other_per_group=1, other_columns=3, teachers=3)  # fmt: skip
    with servers() as s:
        url = s.database("seeded", service="gradebook").replace("postgresql+psycopg://", "postgresql://")
        seeded = seed_university(url, size)
        names = seed_group_members(s.database("names", service="curriculum"), seeded, list(seeded.students))
        with psycopg.connect(url) as conn:
            count = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                     for t in ("marks", "history", "journals", "columns", "chain_heads")}  # fmt: skip
            keys: dict[str, str] = dict(conn.execute(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'p' AND conrelid::regclass::text IN ('marks', 'history')"
            ).fetchall())  # fmt: skip
            partitions: dict[str, int] = dict(conn.execute(
                "SELECT tableoid::regclass::text, count(*) FROM marks GROUP BY 1"
                " UNION ALL SELECT tableoid::regclass::text, count(*) FROM history GROUP BY 1"
            ).fetchall())  # fmt: skip
            journal = seeded.graded[-1].journal_id
            rows = conn.execute(
                "SELECT journal_id::text, position, kind, column_id::text, student_id::text, old_value,"
                " new_value, author_id, on_behalf_of_id, reason, grant_id, case_id, recorded_at,"
                " prev_hash, hash"
                " FROM history WHERE journal_id = %s ORDER BY position", (journal,)).fetchall()  # fmt: skip
            head = conn.execute(
                "SELECT position, hash FROM chain_heads WHERE journal_id = %s", (journal,)
            ).fetchone()
            # Every journal placed in the seeded faculty of the university (the write path's rows then
            # take their university from the journal, as in a deployment whose structure came first).
            u, f = seeded.university_id, seeded.faculty_id
            placed = conn.execute(
                "SELECT (SELECT count(*) FROM journals WHERE faculty_id = %s AND university_id = %s),"
                " (SELECT count(*) FROM names WHERE name_id = %s AND kind = 'faculty' AND parent_id = %s),"
                " (SELECT count(*) FROM marks WHERE university_id = %s),"
                " (SELECT count(*) FROM history WHERE university_id = %s),"
                " (SELECT count(*) FROM chain_heads WHERE university_id = %s)",
                (f, u, f, u, u, u, u),
            ).fetchone()
    assert size.marks == 2 * 2 * 2 * 5 * 4
    assert count == {"marks": size.marks, "history": size.marks, "journals": 2 * 2 * 3,
                     "columns": 2 * 2 * (2 * 4 + 3), "chain_heads": 12}  # fmt: skip
    assert keys == {"marks": "PRIMARY KEY (journal_id, column_id, student_id, term_id)",
                    "history": "PRIMARY KEY (journal_id, \"position\", term_id)"}  # fmt: skip
    # Each term's rows in its own partition (migration 0007 of the gradebook).
    halves = {f"{t}_{term.hex}": size.marks // 2 for t in ("marks", "history") for term in seeded.term_ids}
    assert partitions == halves
    assert head is not None and len(rows) == head[0] == 4 * 5
    assert placed == (12, 1, size.marks, size.marks, 12)
    stored = [StoredChange(Change(*r[:13]), bytes(r[13]), bytes(r[14])) for r in rows]
    assert verify(stored, (head[0], bytes(head[1]))).intact
    assert len(names) == 2 * 5 and all(names.values())


NAMED = {  # issue 19's figures, named exactly as the issue spells them
    "gateway_write_marks_per_s": "higher",
    "gateway_grid_30x60_p99_ms": "lower",
    "gateway_grid_100x71_p50_ms": "lower",
    "event_lag_p99_ms": "lower",
    "reporting_rebuild_events_per_s": "higher",
    "university_grid_p99_ms": "lower",
    "login_per_s": "higher",
}


@pytest.mark.integration
@pytest.mark.timeout(1500)  # as long as its subprocess may take: four benchmarks, each starting servers
def test_a_tiny_run_writes_every_named_figure_beside_its_raw_counterpart(tmp_path: Path) -> None:
    target = tmp_path / "figures.json"
    env = {**os.environ, "EJOURNAL_BENCH_TINY": "1", "EJOURNAL_BENCH_JSON": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "gateway", "university", "reporting", "identity"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(target.read_text(encoding="utf-8"))
    assert NAMED.keys() <= figures.keys(), sorted(NAMED.keys() - figures.keys())
    for name, better in NAMED.items():
        assert figures[name]["better"] == better
        assert figures[name]["ours"] > 0 and figures[name]["raw"] > 0
        assert name in done.stdout
    # The write figure's raw side writes into the gradebook's own tables; the bare-table raw stays beside it.
    bare = figures["gateway/write marks/s, raw into bare tables"]
    assert bare["ours"] == figures["gateway_write_marks_per_s"]["ours"] and bare["raw"] > 0
