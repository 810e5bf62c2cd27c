"""`buf breaking` against the released contract (proto-release/) passes for today's protos and fails
for a change that would break a subscriber, so the CI step can fail (issue 20)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
BUF = Path(sys.executable).parent / "buf"


def released() -> Path:
    return sorted((ROOT / "proto-release").glob("*.binpb"))[-1]


def breaking(workspace: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BUF), "breaking", "--against", str(released())], cwd=workspace, capture_output=True, text=True
    )


def test_todays_protos_keep_the_released_contract() -> None:
    done = breaking(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_removed_field_fails_the_check(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "proto", tmp_path / "proto")
    shutil.copy(ROOT / "buf.yaml", tmp_path / "buf.yaml")
    events = tmp_path / "proto" / "ejournal" / "gradebook" / "v1" / "events.proto"
    text = events.read_text()
    assert "  string title = 11;\n" in text
    events.write_text(text.replace("  string title = 11;\n", "", 1))
    done = breaking(tmp_path)
    assert done.returncode != 0
    assert "JournalOpened" in done.stdout + done.stderr
