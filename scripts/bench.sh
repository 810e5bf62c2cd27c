#!/usr/bin/env bash
# Every benchmark (or the named ones): installs what they need (the locked Python environment, with
# py-spy and the servers from PyPI; Chromium for the portal's), then runs `python -m bench`.
# EJOURNAL_BENCH_JSON=<path> also writes every figure as JSON; EJOURNAL_BENCH_UNIVERSITY=<factor>
# sizes the whole-university database (default 1.0: 21.6 M marks with their history).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/system_packages.sh
exec .venv/bin/python -m bench "$@"
