# Sourced by deploy/local/up.sh, scripts/test.sh and .ci/run: a virtual environment with the locked
# dependencies in .venv and the generated protobuf code in gen/. Needs only Python 3.11+ and PyPI.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy
UV_VERSION=0.13.9
if command -v uv >/dev/null 2>&1; then
  UV=uv
else
  # No uv on this machine: put the pinned one in a private virtual environment.
  tools="${EJOURNAL_TOOLS:-$HOME/.cache/ejournal-tools}"
  if [ ! -x "$tools/bin/uv" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  UV="$tools/bin/uv"
fi
"$UV" sync --frozen --quiet
.venv/bin/python scripts/protogen.py
