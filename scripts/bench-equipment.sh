#!/usr/bin/env bash
# The equipment and connection figures at national volume (scripts/bench_equipment.py) on a
# throwaway PostgreSQL cluster. EQUIPMENT_SALES=30000 gives a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-cluster.sh
CREATE_DATABASE=1 start_cluster -c shared_buffers=1GB -c work_mem=64MB
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python scripts/bench_equipment.py
