#!/usr/bin/env bash
# The production-like run: on a throwaway PostgreSQL, under production settings (HTTPS behind a
# proxy, DEBUG off, collected static files), migrate, collectstatic, check --deploy, then
# gunicorn with 2 workers and the tasks worker; a smoke test signs in with the second factor,
# opens the home, the dashboard and a person, sends a referral and waits for the worker's
# e-mail; then everything stops. LOAD_SECONDS>0 adds a load run (scripts/load.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CREATE_DATABASE=1
export CREATE_DATABASE
source scripts/pg-cluster.sh
start_cluster

RUN=$(mktemp -d /tmp/maillage-run.XXXXXX)
PORT=${PRODUCTION_PORT:-8765}
export DEBUG=false HTTPS=true BEHIND_PROXY=true STATIC_MANIFEST=true
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="https://127.0.0.1:$PORT"
export STATIC_ROOT="$RUN/static" MEDIA_ROOT="$RUN/media"
export EMAIL_BACKEND=file EMAIL_FILE_PATH="$RUN/mail"
export SMS_BACKEND=maillage.notifications.sms.FileBackend SMS_FILE_DIR="$RUN/sms"
export DATABASE_CONN_MAX_AGE=60 LOG_LEVEL=WARNING

stop_servers() {
  for pid in ${GUNICORN:-} ${WORKER:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN"
  stop_cluster
}
trap stop_servers EXIT

$PY manage.py migrate --verbosity 0
$PY manage.py collectstatic --noinput --verbosity 0
# The servers write e-mails to files for the smoke test to read; the deployment check sees SMTP.
EMAIL_BACKEND=smtp $PY manage.py check --deploy --fail-level WARNING
SEEDED=$($PY scripts/production_smoke.py seed)

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile /dev/null --error-logfile "$RUN/gunicorn.log" &
GUNICORN=$!
$PY manage.py db_worker --interval 0.5 >"$RUN/worker.log" 2>&1 &
WORKER=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/" && break
  sleep 0.5
done

$PY scripts/production_smoke.py smoke "http://127.0.0.1:$PORT" "$SEEDED" "$RUN/mail" || {
  echo "--- gunicorn"; tail -n 50 "$RUN/gunicorn.log"
  echo "--- worker"; tail -n 50 "$RUN/worker.log"
  exit 1
}
echo "Exécution de type production : OK."
