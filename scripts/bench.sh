#!/usr/bin/env bash
# The national-scale benchmark (scripts/bench.py) on a throwaway PostgreSQL cluster, tuned as a
# database server of this size would be. BENCH_SCALE=0.01 gives a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-cluster.sh
CREATE_DATABASE=1 start_cluster -c shared_buffers=4GB -c work_mem=64MB \
  -c maintenance_work_mem=1GB -c max_wal_size=16GB -c effective_cache_size=12GB
START=$(date +%s)
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_territories
echo "Schema and territories in $(( $(date +%s) - START )) s"
.venv/bin/python scripts/bench.py
