#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, from Debian's `postgresql`:
#   pg-test-cluster.sh start STATE   initdb in a new folder under /tmp, start
#                                    it on a free port, write STATE
#   pg-test-cluster.sh stop STATE    stop it and remove its folder
# STATE holds `conninfo=...` (a libpq connection string) and `data=...`.
# initdb refuses to run as root: as root, the cluster is the postgres
# user's (the package creates that user).
set -euo pipefail

command=${1:?start or stop}
state=${2:?the state file}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-test-cluster: postgresql is not installed (make test-deps)" >&2; exit 1; }

# From /: the caller's folder may be closed to the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$command" in
  start)
    folder=$(mktemp -d /tmp/shopbox-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres "$folder"
    as_owner "$bin/initdb" -D "$folder/data" -A trust -U shopbox -E UTF8 --no-sync >"$folder/initdb.log" 2>&1 \
      || { cat "$folder/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Durability is not under test here: fsync off keeps the tests quick.
    as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/data/server.log" -w -t 60 \
      -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" \
      start >/dev/null || { cat "$folder/data/server.log" >&2; exit 1; }
    printf 'conninfo=host=127.0.0.1 port=%s user=shopbox dbname=postgres\ndata=%s\n' "$port" "$folder" >"$state"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    folder=$(sed -n 's/^data=//p' "$state")
    if [ -n "$folder" ] && [ -d "$folder/data" ]; then
      as_owner "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
      rm -rf "$folder"
    fi
    rm -f "$state"
    ;;
  *)
    echo "usage: pg-test-cluster.sh start|stop STATE" >&2
    exit 2
    ;;
esac
