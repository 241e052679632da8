#!/usr/bin/env bash
# Sourced by the scripts that need a throwaway PostgreSQL cluster: initdb and pg_ctl run as the
# `postgres` user, the socket lives in a temporary folder, and everything is removed on exit.
# `start_cluster [extra server options]` exports DATABASE_URL (database `maillage`).

find_bin() {
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

start_cluster() {
  INITDB=$(find_bin initdb)
  PG_CTL=$(find_bin pg_ctl)
  if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
    echo "error: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
    exit 1
  fi
  PG_WORK=$(mktemp -d /tmp/maillage-pg.XXXXXX)
  chmod 755 "$PG_WORK"
  chown postgres "$PG_WORK" 2>/dev/null || sudo -n chown postgres "$PG_WORK"
  PG_PORT=${PGTEST_PORT:-54329}
  trap stop_cluster EXIT
  as_postgres "$INITDB" -D "$PG_WORK/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_CTL" -D "$PG_WORK/data" -l "$PG_WORK/server.log" -w -o "-k $PG_WORK \
    -p $PG_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off $*" start >/dev/null
  export DATABASE_URL="postgres://postgres@%2F${PG_WORK//\//%2F}:$PG_PORT/maillage"
  if [ "${CREATE_DATABASE:-}" = 1 ]; then
    as_postgres "$(find_bin createdb)" -h "$PG_WORK" -p "$PG_PORT" -U postgres maillage
  fi
  echo "PostgreSQL $("$PG_CTL" --version | awk '{print $3}') on $PG_WORK (port $PG_PORT)"
}

stop_cluster() {
  as_postgres "$PG_CTL" -D "$PG_WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_WORK" 2>/dev/null || sudo -n rm -rf "$PG_WORK"
}
