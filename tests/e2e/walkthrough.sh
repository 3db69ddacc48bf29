#!/usr/bin/env bash
# The README's curl walk-through, step by step, against the real binary.
source "$(dirname "$0")/lib.sh"
start_server
sign_in_staff

ID=$(expect 201 -X POST "$BASE/products" "${JSON[@]}" "${STAFF[@]}" \
  -d '{"sku":"TEA-001","name":"Green tea","description":"Jeju first flush","price":{"amount":4500,"currency":"KRW"},"category":"drinks"}' \
  | json id)
[ -n "$ID" ] || fail "no product id"

expect 200 -X POST "$BASE/stock/$ID/restock" "${JSON[@]}" "${STAFF[@]}" -d '{"quantity":50}' \
  | grep -q '"available":50' || fail "restock did not show 50 available"

expect 200 "$BASE/products?category=drinks" | grep -q "\"id\":\"$ID\"" || fail "not listed"
expect 200 "$BASE/products?q=gre" | grep -q "\"id\":\"$ID\"" || fail "not found by search"

expect 412 -X PUT "$BASE/products/$ID" "${JSON[@]}" "${STAFF[@]}" -H 'If-Match: "7"' \
  -d '{"sku":"TEA-001","name":"Green tea","price":{"amount":5000,"currency":"KRW"}}' >/dev/null
expect 200 -X PUT "$BASE/products/$ID" "${JSON[@]}" "${STAFF[@]}" -H 'If-Match: "1"' \
  -d '{"sku":"TEA-001","name":"Green tea","price":{"amount":5000,"currency":"KRW"}}' \
  | grep -q '"version":2' || fail "update did not bump the version"

expect 204 -X DELETE "$BASE/products/$ID" "${STAFF[@]}" >/dev/null
expect 200 "$BASE/products" | grep -q "$ID" && fail "a deleted product is still listed"
expect 404 "$BASE/products/$ID" >/dev/null

expect 201 -X POST "$BASE/users" "${JSON[@]}" \
  -d '{"email":"kim@example.kr","name":"Kim","password":"s3cret-pass"}' >/dev/null
CUSTOMER=$(expect 201 -X POST "$BASE/sessions" "${JSON[@]}" \
  -d '{"email":"kim@example.kr","password":"s3cret-pass"}' | json token)
expect 403 -X POST "$BASE/products" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -d '{"sku":"X","name":"X","price":{"amount":1,"currency":"KRW"}}' >/dev/null
expect 401 -X POST "$BASE/products" "${JSON[@]}" \
  -d '{"sku":"X","name":"X","price":{"amount":1,"currency":"KRW"}}' >/dev/null

# Orders: the customer buys two cups of a product in stock.
CUP=$(expect 201 -X POST "$BASE/products" "${JSON[@]}" "${STAFF[@]}" \
  -d '{"sku":"CUP-001","name":"Tea cup","price":{"amount":12000,"currency":"KRW"}}' | json id)
expect 200 -X POST "$BASE/stock/$CUP/restock" "${JSON[@]}" "${STAFF[@]}" -d '{"quantity":10}' >/dev/null
ORDER_BODY='{"items":[{"product_id":"'$CUP'","quantity":2}],
  "delivery_address":{"name":"Kim","line1":"1 Sejong-daero","city":"Seoul","postal_code":"04524","phone":"010-1234-5678"},
  "payment":{"method":"card","token":"tok_ok"}}'
ORDER=$(expect 201 -X POST "$BASE/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -H 'Idempotency-Key: walkthrough-1' -d "$ORDER_BODY")
ORDER_ID=$(printf '%s' "$ORDER" | json id)
printf '%s' "$ORDER" | grep -q '"status":"PAID"' || fail "the order is not PAID: $ORDER"
# The same key and body again: the stored answer, not a second order.
[ "$(expect 201 -X POST "$BASE/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -H 'Idempotency-Key: walkthrough-1' -d "$ORDER_BODY")" = "$ORDER" ] || fail "no byte-for-byte replay"
expect 200 "$BASE/payments?order_id=$ORDER_ID" -H "Authorization: Bearer $CUSTOMER" \
  | grep -q '"status":"APPROVED"' || fail "no approved payment"

# The store's board: the delivery appears once order.paid was handled.
board() { expect 200 "$BASE/deliveries?order_id=$ORDER_ID" "${STAFF[@]}" | grep -q REQUESTED; }
eventually board || fail "no delivery for the paid order"
DELIVERY=$(expect 200 "$BASE/deliveries?order_id=$ORDER_ID" "${STAFF[@]}" | json id)
for status in ACCEPTED PREPARING DISPATCHED DELIVERED; do
  expect 200 -X POST "$BASE/deliveries/$DELIVERY/status" "${JSON[@]}" "${STAFF[@]}" \
    -d '{"status":"'$status'"}' >/dev/null
done
delivered() { expect 200 "$BASE/orders/$ORDER_ID" -H "Authorization: Bearer $CUSTOMER" | grep -q '"status":"DELIVERED"'; }
eventually delivered || fail "the order did not become DELIVERED"

# A second order, cancelled: refunded, and its units back on the shelf.
SECOND=$(expect 201 -X POST "$BASE/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -H 'Idempotency-Key: walkthrough-2' -d "$ORDER_BODY" | json id)
expect 200 -X POST "$BASE/orders/$SECOND/cancel" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -d '{"reason":"changed my mind"}' | grep -q '"status":"CANCELLED"' || fail "not cancelled"
expect 409 -X POST "$BASE/orders/$SECOND/cancel" -H "Authorization: Bearer $CUSTOMER" >/dev/null
returned() { expect 200 "$BASE/stock/$CUP" | grep -q '"on_hand":8,"reserved":0'; }
eventually returned || fail "units not returned"
refunded() { expect 200 "$BASE/payments?order_id=$SECOND" "${STAFF[@]}" | grep -q '"status":"CANCELLED"'; }
eventually refunded || fail "the payment was not refunded"

# The dashboard's read models follow by events.
viewed() { expect 200 "$BASE/dashboard/orders/$ORDER_ID" -H "Authorization: Bearer $CUSTOMER" \
  | grep -q '"status":"DELIVERED","cancel_reason":null,"payment_status":"APPROVED","delivery_status":"DELIVERED"'; }
eventually viewed || fail "the dashboard's order view does not show the delivery"
CUSTOMER_ID=$(expect 200 "$BASE/users/me" -H "Authorization: Bearer $CUSTOMER" | json id)
summarised() { expect 200 "$BASE/dashboard/customers/$CUSTOMER_ID" -H "Authorization: Bearer $CUSTOMER" \
  | grep -q '"orders_placed":2,"orders_active":0,"orders_delivered":1,"orders_cancelled":1'; }
eventually summarised || fail "the customer summary is wrong"

# SIGTERM drains and exits cleanly.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "shopbox exited with $? on SIGTERM"
SERVER_PID=""
grep -q '"message":"stopped"' server.log || fail "no clean stop in the log"

# The read models can be rebuilt from the events the dashboard stored.
"$SHOPBOX" replay --database "$WORK/shop.db" 2>/dev/null | grep -qE 'rebuilt from [1-9][0-9]* events' \
  || fail "replay did not rebuild from the stored events"
echo "walkthrough: ok"
