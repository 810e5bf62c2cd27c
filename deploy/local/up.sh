#!/usr/bin/env bash
# Install what is needed, then run the whole stack in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bootstrap.sh
exec .venv/bin/python -m deploy.local.launcher "$@"
