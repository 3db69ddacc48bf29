#!/usr/bin/env bash
# Issue 7, zero-downtime hand-over: while siege reads the catalog and three
# customers place orders, `shopbox serve --take-over` replaces the running
# server ten times in a row. Not one request fails; each old server exits
# 0 after its drain; the background work (here: deliveries created from
# order.paid events) moves with the lease to each new server.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
export SHOPBOX_IDENTITY_REGISTRATIONS_PER_MINUTE=100000
export SHOPBOX_IDENTITY_LOGIN_ATTEMPTS_PER_MINUTE=100000
HANDOVERS=10
start_server
sign_in_staff
PRODUCT=$(stocked_product 1000000)
ORDER_BODY='{"items":[{"product_id":"'$PRODUCT'","quantity":1}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'

# siege opens a connection per request (its default, and the source
# documents' setting), which tests the shared queue of connections; the
# keep-alive reader tests connections the old server holds when it drains.
cat > siegerc <<CONF
connection = close
protocol = HTTP/1.1
json_output = true
show-logfile = false
logging = false
failures = 1000000
delay = 0.002
CONF
URLS=("$BASE/products/$PRODUCT" "$BASE/products?limit=5" "$BASE/stock/$PRODUCT")
printf '%s\n' "${URLS[@]}" > urls.txt
# Long enough for any build (a sanitizer's is slow); interrupted below, when
# siege prints its figures all the same.
siege -R siegerc -f urls.txt -c 4 -t 600S -q > siege.json 2> siege.err &
SIEGE=$!
python3 "$HERE/keep_alive_reader.py" 3 "${URLS[@]}" > reader.out 2> reader.err &
READER=$!
trap 'kill "$SIEGE" "$READER" 2>/dev/null || true; cleanup' EXIT

start_customers 3 "$ORDER_BODY"
wait_for_orders 3

for n in $(seq 1 "$HANDOVERS"); do
  OLD=$SERVER_PID
  SHOPBOX_LOG_LEVEL=info "$SHOPBOX" serve --take-over --port 0 --database "$WORK/shop.db" \
    >>server.log 2>&1 &
  SERVER_PID=$!
  wait "$OLD" || fail "server $OLD exited with $? after hand-over $n"
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the successor of hand-over $n exited"
  sleep 1
done
HANDED=$(grep -c '"message":"listener handed over"' server.log)
TAKEN=$(grep -c '"message":"took the listener over"' server.log)
LEASES=$(grep -c '"message":"background lease taken' server.log)
[ "$HANDED" -eq "$HANDOVERS" ] && [ "$TAKEN" -eq "$HANDOVERS" ] \
  || fail "expected $HANDOVERS hand-overs, the logs show $HANDED handed and $TAKEN taken"
# The first server's lease, then each successor's.
[ "$LEASES" -eq $((HANDOVERS + 1)) ] || fail "the background lease was taken $LEASES times"

touch stop
wait "${CUSTOMERS[@]}"
wait "$READER" || fail "a keep-alive read failed: $(cat reader.out reader.err)"
kill -INT "$SIEGE"
wait "$SIEGE" || fail "siege failed: $(cat siege.err)"
for refused in refused-*; do
  [ -e "$refused" ] && fail "an order failed during the hand-overs: $(cat "$refused")"
done
ORDERS=$(cat acked-* | wc -l)
[ "$ORDERS" -gt $((HANDOVERS * 3)) ] || fail "only $ORDERS orders were placed"

field() { grep -oE "\"$1\":[[:space:]]*[0-9.]+" siege.json | grep -oE '[0-9.]+$'; }
TRANSACTIONS=$(field transactions)
FAILED=$(field failed_transactions)
AVAILABILITY=$(field availability)
[ -n "$TRANSACTIONS" ] && [ "$TRANSACTIONS" -gt 1000 ] \
  || fail "siege made too few requests: $(cat siege.json siege.err)"
[ "$FAILED" = 0 ] || fail "siege saw $FAILED failed requests: $(cat siege.json siege.err)"
[ "$AVAILABILITY" = 100.00 ] || fail "siege measured availability $AVAILABILITY %"

# Every acknowledged order is paid, and the last server (the lease holder)
# relays each order.paid to the delivery module.
PAID=$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM order_orders WHERE status = 'PAID'")
[ "$PAID" -eq "$ORDERS" ] || fail "$ORDERS orders acknowledged, $PAID paid"
eventually test "$(sqlite3 "$WORK/shop.db" 'SELECT count(*) FROM delivery_deliveries')" -eq "$ORDERS" \
  || fail "$(sqlite3 "$WORK/shop.db" 'SELECT count(*) FROM delivery_deliveries') deliveries for $ORDERS paid orders"
HOLDER=$(sqlite3 "$WORK/shop.db" "SELECT holder FROM runtime_lease")
[[ "$HOLDER" == "pid $SERVER_PID "* ]] || fail "the lease is held by \"$HOLDER\", not the last server"
echo "handover: $HANDOVERS hand-overs; siege $TRANSACTIONS requests, $FAILED failed, availability $AVAILABILITY %; keep-alive reader $(cat reader.out); $ORDERS orders, all paid and delivered"
