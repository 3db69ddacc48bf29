#!/usr/bin/env bash
# Issue 9: two replicas of the whole shop on one PostgreSQL database (a
# private cluster from scripts/pg-test-cluster.sh). 100 customers, half on
# each replica, order one cup each of 30: exactly 30 are sold, the others
# refused as out of stock, and one replica at a time runs the background
# work.
SCRIPTS=$(cd "$(dirname "$0")/../../scripts" && pwd)
source "$(dirname "$0")/lib.sh"

PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true; "$SCRIPTS/pg-test-cluster.sh" stop "$WORK/pg.conf"; cleanup' EXIT
"$SCRIPTS/pg-test-cluster.sh" start "$WORK/pg.conf" || fail "no PostgreSQL test cluster"
export SHOPBOX_DATABASE_KIND=postgres
# A hundred customers from one address: above the per-address limits.
export SHOPBOX_IDENTITY_REGISTRATIONS_PER_MINUTE=1000 SHOPBOX_IDENTITY_LOGIN_ATTEMPTS_PER_MINUTE=1000
SHOPBOX_DATABASE_URL=$(sed -n 's/^conninfo=//p' "$WORK/pg.conf")
export SHOPBOX_DATABASE_URL

# launch N: one more server on the shared database, on a free port;
# ready N: waits for it. Both start at once, migrating the empty database
# together.
launch() {
  SHOPBOX_LOG_LEVEL=info "$SHOPBOX" serve --port 0 >>"replica-$1.log" 2>&1 &
  PIDS+=($!)
}
ready() {
  local port
  for _ in $(seq 1 100); do
    port=$(sed -nE 's/.*"message":"listening".*"port":([0-9]+).*/\1/p' "replica-$1.log" | tail -1)
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; then
      eval "PORT_$1=$port"
      return 0
    fi
    sleep 0.1
  done
  fail "replica $1 did not become ready: $(tail -5 "replica-$1.log")"
}
launch 1
launch 2
ready 1
ready 2
BASE="http://127.0.0.1:$PORT_1/api/v1"
echo 'admin-pass-1' | "$SHOPBOX" user create --email admin@shop.kr --role staff --password-stdin \
  >/dev/null || fail "user create on PostgreSQL failed"
TOKEN=$(expect 201 -X POST "$BASE/sessions" "${JSON[@]}" \
  -d '{"email":"admin@shop.kr","password":"admin-pass-1"}' | json token)
STAFF=(-H "Authorization: Bearer $TOKEN")
CUP=$(stocked_product 30)

# Each customer registers on one replica and orders on the other.
BODY='{"items":[{"product_id":"'$CUP'","quantity":1}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'
customer() {
  local mine other token status
  if [ $(($1 % 2)) -eq 0 ]; then mine=$PORT_1 other=$PORT_2; else mine=$PORT_2 other=$PORT_1; fi
  BASE="http://127.0.0.1:$mine/api/v1"
  token=$(customer_token "c$1")
  # As the API asks: a 503 is asked again with the same key until final.
  for _ in $(seq 1 30); do
    status=$(curl -s -o "order-$1.json" -w '%{http_code}' -X POST \
      "http://127.0.0.1:$other/api/v1/orders" "${JSON[@]}" -H "Authorization: Bearer $token" \
      -H "Idempotency-Key: c$1" -d "$BODY")
    [ "$status" = 503 ] || break
    sleep 1
  done
  echo "$status" > "status-$1"
}
CUSTOMERS=()
for i in $(seq 1 100); do
  customer "$i" &
  CUSTOMERS+=($!)
done
wait "${CUSTOMERS[@]}"
for i in $(seq 1 100); do [ -f "status-$i" ] || fail "customer $i has no answer"; done

SOLD=$(cat status-* | grep -c '^201$' || true)
REFUSED=$(cat status-* | grep -c '^409$' || true)
[ "$SOLD" -eq 30 ] || fail "$SOLD orders placed for 30 cups: $(sort status-* | uniq -c)"
[ "$REFUSED" -eq 70 ] || fail "$REFUSED refused of 70: $(cat status-* | sort | uniq -c)"
BASE="http://127.0.0.1:$PORT_2/api/v1"
expect 200 "$BASE/stock/$CUP" | grep -q '"on_hand":0,"reserved":0,"available":0' \
  || fail "stock after the sale: $(expect 200 "$BASE/stock/$CUP")"

# One replica runs the background work (relay, sweeper, recovery).
held() { curl -sf "http://127.0.0.1:$1/metrics" | sed -n 's/^shopbox_background_lease_held //p'; }
FIRST=$(held "$PORT_1")
SECOND=$(held "$PORT_2")
[ -n "$FIRST" ] && [ -n "$SECOND" ] || fail "a replica's /metrics has no lease gauge"
LEASES=$((FIRST + SECOND))
[ "$LEASES" -eq 1 ] || fail "$LEASES replicas hold the background lease"
kill -TERM "${PIDS[@]}"
wait "${PIDS[@]}" || fail "a replica did not exit cleanly on SIGTERM"
echo "postgres replicas: 100 customers on 2 replicas, 30 cups sold, 70 refused, 1 lease holder"
