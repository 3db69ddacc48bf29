#!/usr/bin/env bash
# Scenario 10: the server is killed with SIGKILL while customers place
# orders. After a restart (whose first recovery pass resumes or compensates
# every unfinished saga), every acknowledged order is PAID, no saga or
# reservation is left half-way, and stock agrees with the orders.
source "$(dirname "$0")/lib.sh"
export SHOPBOX_IDENTITY_REGISTRATIONS_PER_MINUTE=100000
export SHOPBOX_IDENTITY_LOGIN_ATTEMPTS_PER_MINUTE=100000
start_server
sign_in_staff

PRODUCT=$(stocked_product 100000)

ORDER_BODY='{"items":[{"product_id":"'$PRODUCT'","quantity":2}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'

# Four customers order in a loop, each recording the ids acknowledged with 201.
for customer in 1 2 3 4; do
  order_loop "$(customer_token "c$customer")" "c$customer" "$ORDER_BODY" 300 &
done
sleep 1.5
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
wait
ACKED=$(cat acked-* | wc -l)
[ "$ACKED" -gt 0 ] || fail "no order was acknowledged before the kill"

start_server
# Recovery passes run every 5 s and take sagas idle for 10 s: wait for them.
for _ in $(seq 1 300); do
  UNFINISHED=$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM order_orders WHERE step <> 'finished'")
  [ "$UNFINISHED" -eq 0 ] && break
  sleep 0.1
done
HELD=$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM stock_reservations WHERE status = 'HELD'")
PAID_UNITS=$(sqlite3 "$WORK/shop.db" \
  "SELECT coalesce(sum(l.quantity), 0) FROM order_orders o JOIN order_lines l ON l.order_id = o.id
   WHERE o.status = 'PAID'")
for id in $(cat acked-*); do
  status=$(expect 200 "$BASE/orders/$id" "${STAFF[@]}" | json status)
  [ "$status" = PAID ] || fail "acknowledged order $id is $status after the restart"
done
LEVEL=$(expect 200 "$BASE/stock/$PRODUCT")
ON_HAND=$(printf '%s' "$LEVEL" | json on_hand)
RESERVED=$(printf '%s' "$LEVEL" | json reserved)
LEDGER=$(sqlite3 "$WORK/shop.db" \
  "SELECT sum(on_hand_delta) || ' ' || sum(reserved_delta) FROM stock_ledger WHERE product_id = '$PRODUCT'")

# The dashboard, built from events only, agrees with the modules once the
# outboxes (relayed again after the restart) have drained.
agrees() {
  [ "$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM dashboard_orders WHERE status = 'PAID'")" = \
    "$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM order_orders WHERE status = 'PAID'")" ]
}
eventually agrees || fail "the dashboard's PAID orders differ from the order module's"
for id in $(head -n 5 acked-c1); do
  expect 200 "$BASE/dashboard/orders/$id" "${STAFF[@]}" | grep -q '"status":"PAID","cancel_reason":null,"payment_status":"APPROVED"' \
    || fail "the dashboard's view of $id disagrees"
done
DASHBOARD_UNITS=$(expect 200 "$BASE/dashboard/products?limit=100" | json available)
[ "$DASHBOARD_UNITS" -eq "$ON_HAND" ] || fail "the storefront shows $DASHBOARD_UNITS available, stock has $ON_HAND"

echo "crash_orders: acknowledged=$ACKED paid_units=$PAID_UNITS on_hand=$ON_HAND reserved=$RESERVED unfinished=$UNFINISHED held=$HELD"
[ "$UNFINISHED" -eq 0 ] || fail "$UNFINISHED sagas left unfinished"
[ "$HELD" -eq 0 ] || fail "$HELD reservations left held"
[ "$RESERVED" -eq 0 ] || fail "units still reserved"
[ "$ON_HAND" -eq $((100000 - PAID_UNITS)) ] || fail "on_hand does not match the paid orders"
[ "$LEDGER" = "$ON_HAND 0" ] || fail "the ledger ($LEDGER) disagrees with the level"
[ "$PAID_UNITS" -ge $((ACKED * 2)) ] || fail "fewer paid units than acknowledged orders"
