#!/usr/bin/env bash
# The whole test suite: unit, integration (real PostgreSQL, NATS JetStream, Temporal) and end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/system_packages.sh
exec .venv/bin/python -m pytest "$@"
