#!/usr/bin/env bash
# The production-like run: on a throwaway PostgreSQL, under production settings (HTTPS behind a
# proxy, DEBUG off, collected static files), migrate, collectstatic, check --deploy, then
# gunicorn with 2 workers and the tasks worker; a smoke test signs in with the second factor,
# opens the home, the dashboard and a person, sends a referral and waits for the worker's
# e-mail; then everything stops. The load run (scripts/load-run.sh) shares its set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/production-env.sh
start_cluster
trap stop_servers EXIT

$PY manage.py migrate --verbosity 0
$PY manage.py collectstatic --noinput --verbosity 0
# The servers write e-mails to files for the smoke test to read; the deployment check sees SMTP.
EMAIL_BACKEND=smtp $PY manage.py check --deploy --fail-level WARNING
SEEDED=$($PY scripts/production_smoke.py seed)
start_servers

$PY scripts/production_smoke.py smoke "$BASE" "$SEEDED" "$RUN/mail" || { show_logs; exit 1; }
echo "Exécution de type production : OK."
