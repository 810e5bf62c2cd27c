"""A warm start skips a seed only while its database holds the current demo: any change of the demo's
sources, the academic year or the database itself asks for seeding again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from deploy.local.demo_stamp import DemoStamps, fingerprint

pytestmark = pytest.mark.unit


def tree(root: Path, university: str = "KZ_U = 'kaznmu-demo'") -> Path:
    for relative, text in {
        "deploy/demo/university.py": university,
        "services/curriculum/adapters/ids.py": "def stable_id(): ...",
        "deploy/demo/seed/curriculum.py": "async def seed_demo(url): ...",
        "deploy/demo/seed/curriculum_kz.py": "async def teach(deps, built): ...",
        "deploy/demo/seed/identity.py": "async def seed_demo(url): ...",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_the_fingerprint_follows_sources_year_and_database(tmp_path: Path) -> None:
    root = tree(tmp_path)
    november, next_spring, next_autumn = date(2026, 11, 23), date(2027, 3, 1), date(2027, 9, 1)
    stamp = fingerprint(root, "curriculum", 16384, november)
    assert fingerprint(root, "curriculum", 16384, november) == stamp
    assert fingerprint(root, "curriculum", 16384, next_spring) == stamp  # the same academic year
    assert fingerprint(root, "curriculum", 16384, next_autumn) != stamp  # a new year, new groups
    assert fingerprint(root, "curriculum", 16999, november) != stamp  # the database was re-created
    assert fingerprint(root, "identity", 16384, november) != stamp
    (root / "deploy/demo/seed/curriculum_kz.py").write_text("async def teach(deps, built): pass")
    assert fingerprint(root, "curriculum", 16384, november) != stamp
    identity = fingerprint(root, "identity", 16384, november)
    (root / "deploy/demo/seed/curriculum_kz.py").write_text("# curriculum's own part")
    assert fingerprint(root, "identity", 16384, november) == identity  # not identity's business
    tree(root, university="KZ_U = 'another'")
    assert fingerprint(root, "identity", 16384, november) != identity  # the shared demo is


def test_stamps_are_kept_per_service(tmp_path: Path) -> None:
    stamps = DemoStamps(tmp_path / "demo-stamps.json")
    assert not stamps.is_current("identity", "a")
    stamps.record("identity", "a")
    stamps.record("curriculum", "b")
    again = DemoStamps(tmp_path / "demo-stamps.json")
    assert again.is_current("identity", "a") and again.is_current("curriculum", "b")
    assert not again.is_current("identity", "b")
    (tmp_path / "demo-stamps.json").write_text("not json")
    assert not again.is_current("identity", "a")  # a damaged file means: seed again
