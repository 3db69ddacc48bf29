#!/usr/bin/env bash
# Overload: shopbox driven with wrk far past its capacity, with its default
# limits. Measures the capacity first, then a request flood under the
# connection cap and a connection flood over it, while a probe asks
# /health/live every 0.2 s and the server's memory is sampled.
# Usage: bench/overload.sh [SHOPBOX_BINARY]   (OVERLOAD_SECONDS=20 per phase)
set -euo pipefail

SHOPBOX=$(realpath "${1:-build/shopbox}")
SECONDS_PER_PHASE=${OVERLOAD_SECONDS:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/shopbox-overload.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ulimit -n "$(ulimit -Hn)"  # wrk and the server each hold thousands of sockets
command -v wrk >/dev/null || { echo "overload: wrk is missing (apt-get install wrk)" >&2; exit 1; }

SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD=overload-pass "$SHOPBOX" serve --port "$PORT" \
  --database "$WORK/shop.db" --set http.host=127.0.0.1 --set log.level=error \
  --set identity.password_hash_strength=minimum \
  --set identity.bootstrap_staff_email=staff@overload.kr >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST "$BASE/api/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"email":"staff@overload.kr","password":"overload-pass"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
for n in $(seq 1 50); do
  curl -sf -X POST "$BASE/api/v1/products" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $token" \
    -d '{"sku":"LOAD-'$n'","name":"Item '$n'","price":{"amount":1000,"currency":"KRW"}}' >/dev/null
done
TARGET="$BASE/api/v1/products?limit=20"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

# probe FILE: /health/live every 0.2 s until killed; "status seconds" lines.
probe() {
  while true; do
    curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$BASE/health/live" >>"$1" || true
    sleep 0.2
  done
}

# phase NAME CONNECTIONS: one wrk run with a probe and memory samples.
phase() {
  local name=$1 connections=$2 peak=0 rss
  : >"$WORK/probe"
  probe "$WORK/probe" & local prober=$!
  wrk -t2 -c"$connections" -d"${SECONDS_PER_PHASE}s" --latency -s "$HERE/status_counts.lua" \
    "$TARGET" >"$WORK/wrk" 2>&1 & local loader=$!
  while kill -0 "$loader" 2>/dev/null; do
    rss=$(rss_kib); [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.5
  done
  wait "$loader" || true
  kill "$prober"; wait "$prober" 2>/dev/null || true
  local rate p50 p99 statuses errors probes probe_fail probe_max
  rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk")
  statuses=$(awk '/^status/ {sub(":", "", $2); printf "%s=%s ", $2, $3}' "$WORK/wrk")
  errors=$(awk '/Socket errors/ {$1=$2=""; print}' "$WORK/wrk")
  probes=$(wc -l <"$WORK/probe")
  probe_fail=$(awk '$1 != 200' "$WORK/probe" | wc -l)
  probe_max=$(awk 'BEGIN {m=0} $2 > m {m=$2} END {printf "%.3f", m}' "$WORK/probe")
  printf '%-22s %6s %10s %9s %9s %8s %9s %8s  %s %s\n' "$name" "$connections" "$rate" "$p50" "$p99" \
    "$probes/$probe_fail" "${probe_max}s" "$((peak / 1024))MiB" "$statuses" "${errors:+errors:$errors}"
}

echo "overload: $(nproc) cores, ${SECONDS_PER_PHASE}s a phase, GET /api/v1/products?limit=20, default limits"
echo "idle RSS: $(( $(rss_kib) / 1024 )) MiB"
printf '%-22s %6s %10s %9s %9s %8s %9s %8s  %s\n' phase conns req/s p50 p99 \
  probes/bad probe-max peak-RSS answers
phase "capacity" 16
phase "4x: request flood" 800
phase "over the conn cap" 3000
kill -0 "$SERVER_PID" || { echo "overload: the server died" >&2; exit 1; }
echo "overload: server still up; liveness after: $(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/live")"
