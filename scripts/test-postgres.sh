#!/usr/bin/env bash
# Run the database tests on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-cluster.sh
start_cluster
.venv/bin/pytest -m "not e2e" "$@"
