#!/usr/bin/env bash
# Issue 9: two replicas of the whole shop on one PostgreSQL database (a
# private cluster from scripts/pg-test-cluster.sh). 100 customers, half on
# each replica, order one cup each of 30: exactly 30 are sold, the others
# refused as out of stock, one replica at a time runs the background work,
# and a webhook subscriber gets each paid order's event once.
SCRIPTS=$(cd "$(dirname "$0")/../../scripts" && pwd)
source "$(dirname "$0")/lib.sh"

PIDS=()
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true; "$SCRIPTS/pg-test-cluster.sh" stop "$WORK/pg.conf"; cleanup' EXIT

# The subscriber: answers 204 and notes each delivery's event id.
python3 - "$WORK/received" "$WORK/receiver.port" <<'PY' &
import http.server, os, sys
received, port_file = sys.argv[1], sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with open(received, "a") as out:
            out.write(self.headers["Shopbox-Event-Id"] + "\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(port_file + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
PIDS+=($!)
for _ in $(seq 1 50); do [ -f "$WORK/receiver.port" ] && break; sleep 0.1; done
[ -f "$WORK/receiver.port" ] || fail "the webhook receiver did not start"
cat >"$WORK/shop.toml" <<TOML
[[webhooks.subscribers]]
url = "http://127.0.0.1:$(cat "$WORK/receiver.port")/events"
secret = "a secret both replicas share"
events = ["shop.order.paid.v1"]
TOML
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
  SHOPBOX_LOG_LEVEL=info "$SHOPBOX" serve --port 0 --config "$WORK/shop.toml" \
    >>"replica-$1.log" 2>&1 &
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
# The lease holder sends the webhooks: 30 paid orders, 30 deliveries, each
# event once, whichever replica took the order.
for _ in $(seq 1 100); do
  [ "$(wc -l <"$WORK/received" 2>/dev/null || echo 0)" -ge 30 ] && break
  sleep 0.1
done
sleep 1  # a duplicate would come now
DELIVERED=$(wc -l <"$WORK/received" 2>/dev/null || echo 0)
[ "$DELIVERED" -eq 30 ] || fail "$DELIVERED webhook deliveries for 30 paid orders"
[ "$(sort -u "$WORK/received" | wc -l)" -eq 30 ] \
  || fail "an event was delivered twice: $(sort "$WORK/received" | uniq -d)"

kill -TERM "${PIDS[@]:1}"
wait "${PIDS[@]:1}" || fail "a replica did not exit cleanly on SIGTERM"
kill "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null || true
PIDS=()
echo "postgres replicas: 100 customers on 2 replicas, 30 cups sold, 70 refused, 1 lease holder," \
  "30 webhooks delivered once each"
