#!/usr/bin/env bash
# The load run: the demo on a throwaway PostgreSQL, served as in production (gunicorn with 2
# workers, the tasks worker, production settings), then wrk on each field screen and the
# dashboard: LOAD_CONNECTIONS (50) connections without pause for LOAD_SECONDS (60) each.
# Prints requests per second, p50/p95/p99 and errors per screen (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-wrk.sh
source scripts/production-env.sh
start_cluster
trap stop_servers EXIT

START=$(date +%s)
$PY manage.py migrate --verbosity 0
$PY manage.py load_territories >/dev/null
$PY manage.py demo >/dev/null
$PY manage.py collectstatic --noinput --verbosity 0
echo "Demo built on PostgreSQL in $(( $(date +%s) - START )) s"
start_servers
$PY scripts/load_run.py "$BASE" || { show_logs; exit 1; }
