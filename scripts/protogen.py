"""Generate the Python code of every contract in proto/ into gen/ (an import root, git-ignored).

`python scripts/protogen.py` writes gen/; `--check` regenerates into a temporary folder and fails
when gen/ differs, which proves that what the services import is what proto/ says.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"
GEN = ROOT / "gen"


def generate(out: Path) -> None:
    # proto/google/ holds vendored googleapis files (google.api.http) for protoc and buf to resolve;
    # their Python code is googleapis-common-protos', so only ejournal's contracts are generated.
    files = sorted(
        str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto") if p.relative_to(PROTO).parts[0] != "google"
    )
    include = Path(protoc.__file__).parent / "_proto"
    out.mkdir(parents=True, exist_ok=True)
    args = [
        "protoc",
        f"-I{PROTO}",
        f"-I{include}",
        f"--python_out={out}",
        f"--mypy_out=quiet:{out}",
        f"--grpc_python_out={out}",
        f"--mypy_grpc_out=quiet:{out}",
        *files,
    ]
    # The mypy plugins live beside this interpreter, in the virtual environment's bin/.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # gen/ejournal stays a namespace package; each proto package dir becomes a regular package.
    for directory in out.rglob("*"):
        if directory.is_dir() and directory != out / "ejournal":
            (directory / "__init__.py").touch()


def differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])
    found = [f"only in {cmp.left}: {n}" for n in cmp.left_only]
    found += [f"only in {cmp.right}: {n}" for n in cmp.right_only]
    found += [f"differs: {Path(cmp.left) / n}" for n in cmp.diff_files]
    for name in cmp.common_dirs:
        found += differences(a / name, b / name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if gen/ is not what proto/ generates")
    options = parser.parse_args()
    if not options.check:
        shutil.rmtree(GEN, ignore_errors=True)
        generate(GEN)
        return
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "gen"
        generate(fresh)
        problems = differences(fresh, GEN) if GEN.exists() else ["gen/ is missing"]
    if problems:
        print("generated code is stale; run: python scripts/protogen.py", *problems, sep="\n  ")
        sys.exit(1)
    print("generated code is fresh")


if __name__ == "__main__":
    main()
