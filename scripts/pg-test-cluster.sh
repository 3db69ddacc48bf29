#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, from Debian's `postgresql`:
#   pg-test-cluster.sh start STATE   initdb in a new folder under /tmp, start
#                                    it on a free port, write STATE; a
#                                    cluster an earlier start left in STATE
#                                    is stopped first
#   pg-test-cluster.sh stop STATE    stop it and remove its folder
# STATE (readable by its owner only) holds `conninfo=...` (a libpq
# connection string with the password) and `data=...`.
# The server listens on 127.0.0.1, where any local user could reach it: TCP
# connections need the superuser's password, random for each cluster. Its
# Unix socket, in the 0700 folder, trusts whoever can reach it.
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

# Stops the server in `folder` if one runs, and removes the folder.
remove_cluster() {
  local folder=$1
  if [ -d "$folder/data" ]; then
    as_owner "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}

stop() {
  [ -f "$state" ] || return 0
  local folder
  folder=$(sed -n 's/^data=//p' "$state")
  # Never a folder this script did not make, whatever the file says.
  if [[ "$folder" =~ ^/tmp/shopbox-pg\.[A-Za-z0-9]+$ ]]; then remove_cluster "$folder"; fi
  rm -f "$state"
}

start() {
  # A run cut short (a killed CTest) leaves its cluster running: stopped
  # here rather than orphaned when the fixture runs again.
  stop
  folder=$(mktemp -d /tmp/shopbox-pg.XXXXXX)
  # A start that fails half-way leaves no server and no folder behind.
  trap 'remove_cluster "$folder"' EXIT
  [ "$(id -u)" -eq 0 ] && chown postgres "$folder"
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && printf '%s\n' "$password" >"$folder/password")
  [ "$(id -u)" -eq 0 ] && chown postgres "$folder/password"
  as_owner "$bin/initdb" -D "$folder/data" --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$folder/password" -U shopbox -E UTF8 --no-sync >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log" >&2; exit 1; }
  rm -f "$folder/password"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Durability is not under test here: fsync off keeps the tests quick.
  as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/data/server.log" -w -t 60 \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" \
    start >/dev/null || { cat "$folder/data/server.log" >&2; exit 1; }
  (umask 077 && printf 'conninfo=host=127.0.0.1 port=%s user=shopbox password=%s dbname=postgres\ndata=%s\n' \
    "$port" "$password" "$folder" >"$state")
  trap - EXIT
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: pg-test-cluster.sh start|stop STATE" >&2
    exit 2
    ;;
esac
