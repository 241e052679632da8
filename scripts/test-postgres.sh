#!/usr/bin/env bash
# Run the database tests on a throwaway PostgreSQL cluster: initdb and pg_ctl run as the
# `postgres` user, the socket lives in a temporary folder, and everything is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

find_bin() {
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  echo "error: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

WORK=$(mktemp -d /tmp/maillage-pg.XXXXXX)
chmod 755 "$WORK"
chown postgres "$WORK" 2>/dev/null || sudo -n chown postgres "$WORK"
PORT=${PGTEST_PORT:-54329}
cleanup() {
  as_postgres "$PG_CTL" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK" 2>/dev/null || sudo -n rm -rf "$WORK"
}
trap cleanup EXIT

as_postgres "$INITDB" -D "$WORK/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_CTL" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-k $WORK -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null

export DATABASE_URL="postgres://postgres@%2F${WORK//\//%2F}:$PORT/maillage"
echo "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') on $WORK (port $PORT)"
.venv/bin/pytest -m "not e2e" "$@"
