# Sourced by the production-like run and the load run: production settings (HTTPS behind a
# proxy, DEBUG off, collected static files, files for e-mails and SMS), a throwaway PostgreSQL
# cluster, and gunicorn with 2 workers beside the tasks worker.
PY=.venv/bin/python
CREATE_DATABASE=1
export CREATE_DATABASE
source scripts/pg-cluster.sh

RUN=$(mktemp -d /tmp/maillage-run.XXXXXX)
PORT=${PRODUCTION_PORT:-8765}
BASE="http://127.0.0.1:$PORT"
export DEBUG=false HTTPS=true BEHIND_PROXY=true STATIC_MANIFEST=true
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="https://127.0.0.1:$PORT"
export STATIC_ROOT="$RUN/static" MEDIA_ROOT="$RUN/media"
export EMAIL_BACKEND=file EMAIL_FILE_PATH="$RUN/mail"
export SMS_BACKEND=maillage.notifications.sms.FileBackend SMS_FILE_DIR="$RUN/sms"
export DATABASE_CONN_MAX_AGE=60 LOG_LEVEL=WARNING
# No address leaves the machine: places stay at their communes' centres.
export GEOCODER_BACKEND=maillage.network.geocoding.NoGeocoder

start_servers() {
  # shellcheck disable=SC2086 # GUNICORN_OPTIONS holds several options
  .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
    ${GUNICORN_OPTIONS:-} --access-logfile /dev/null --error-logfile "$RUN/gunicorn.log" &
  GUNICORN=$!
  $PY manage.py db_worker --interval 0.5 >"$RUN/worker.log" 2>&1 &
  WORKER=$!
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null -H "X-Forwarded-Proto: https" "$BASE/" && return 0
    sleep 0.5
  done
  echo "gunicorn did not answer within 30 s" >&2
  tail -n 50 "$RUN/gunicorn.log" >&2
  return 1
}

show_logs() {
  echo "--- gunicorn"; tail -n 50 "$RUN/gunicorn.log"
  echo "--- worker"; tail -n 50 "$RUN/worker.log"
}

stop_servers() {
  for pid in ${GUNICORN:-} ${WORKER:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN"
  stop_cluster
}
