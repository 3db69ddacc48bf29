#!/usr/bin/env bash
# Issue 8, the split deployment: three processes, each with its own SQLite
# file, on the mock Kafka cluster `shopbox dev kafka` hosts:
#   A: catalog + stock    B: identity + order + payment    C: delivery + dashboard
# They call each other's ports over HTTP and hear each other's events over
# Kafka. The saga's order, delivery and cancel scenarios run through them;
# then C stops, orders are still taken, and C catches up once restarted.
# kcat reads every topic: each event a CloudEvent of a documented type.
source "$(dirname "$0")/lib.sh"

PIDS=()
KAFKA=""
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true; kill "$KAFKA" 2>/dev/null || true; cleanup' EXIT
start_dev_kafka

# Each process must know the others' addresses before they start.
read -r PORT_A PORT_B PORT_C < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
export SHOPBOX_EVENTS_BUS=kafka SHOPBOX_KAFKA_BROKERS="$BROKERS"
export SHOPBOX_KAFKA_SESSION_TIMEOUT_MS=6000
export SHOPBOX_MODULES_SERVICE_TOKEN=split-test-service-token
export SHOPBOX_MODULES_IDENTITY_URL="http://127.0.0.1:$PORT_B"
export SHOPBOX_MODULES_CATALOG_URL="http://127.0.0.1:$PORT_A"
export SHOPBOX_MODULES_STOCK_URL="http://127.0.0.1:$PORT_A"
export SHOPBOX_MODULES_PAYMENT_URL="http://127.0.0.1:$PORT_B"
export SHOPBOX_MODULES_ORDER_URL="http://127.0.0.1:$PORT_B"
MODULES_A=catalog,stock
MODULES_B=identity,order,payment
MODULES_C=delivery,dashboard

# start NAME MODULES PORT: one process on NAME.db, logging to NAME.log.
start() {
  SHOPBOX_LOG_LEVEL=info "$SHOPBOX" serve --modules "$2" --port "$3" --database "$WORK/$1.db" \
    >>"$1.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$1=$!"
}
ready() { curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null; }
start a "$MODULES_A" "$PORT_A"
start b "$MODULES_B" "$PORT_B"
start c "$MODULES_C" "$PORT_C"
for port in "$PORT_A" "$PORT_B" "$PORT_C"; do
  within 10 ready "$port" || fail "the process on port $port did not become ready: $(tail -5 ./*.log)"
done
A="http://127.0.0.1:$PORT_A/api/v1"
B="http://127.0.0.1:$PORT_B/api/v1"
C="http://127.0.0.1:$PORT_C/api/v1"

# Each process serves its own modules' routes, and no one else's.
expect 404 "$A/orders" >/dev/null
expect 404 "$C/products" >/dev/null

echo 'admin-pass-1' | "$SHOPBOX" user create --email admin@shop.kr --role staff --password-stdin \
  --modules "$MODULES_B" --database "$WORK/b.db" >/dev/null
TOKEN=$(expect 201 -X POST "$B/sessions" "${JSON[@]}" \
  -d '{"email":"admin@shop.kr","password":"admin-pass-1"}' | json token)
STAFF=(-H "Authorization: Bearer $TOKEN")
BASE=$A  # the catalog and stock helpers of lib.sh
CUP=$(stocked_product 20)
BASE=$B
# The internal routes answer only the processes of the shop.
INTERNAL="http://127.0.0.1:$PORT_A/internal/v1/catalog/products/$CUP"
expect 404 "$INTERNAL" >/dev/null
expect 404 "$INTERNAL" -H "Shopbox-Service-Token: not-the-service-token" >/dev/null
expect 200 "$INTERNAL" -H "Shopbox-Service-Token: $SHOPBOX_MODULES_SERVICE_TOKEN" | grep -q '"sku"' \
  || fail "the owner of catalog did not answer its peer"
CUSTOMER=$(customer_token kim)
ORDER_BODY='{"items":[{"product_id":"'$CUP'","quantity":2}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'
place() {
  expect 201 -X POST "$B/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
    -H "Idempotency-Key: $1" -d "$ORDER_BODY" | json id
}
slowly() { within 30 "$@"; }

# Order and delivery: priced by A, reserved at A, paid in B, delivered by C.
ORDER=$(place split-1)
expect 200 "$B/orders/$ORDER" "${STAFF[@]}" | grep -q '"status":"PAID"' || fail "order not paid"
expect 200 "$A/stock/$CUP" | grep -q '"on_hand":18,"reserved":0' || fail "A did not sell the units"
has_delivery() { expect 200 "$C/deliveries?order_id=$1" "${STAFF[@]}" | grep -q '"order_id"'; }
slowly has_delivery "$ORDER" || fail "C made no delivery of the paid order"
DELIVERY=$(expect 200 "$C/deliveries?order_id=$ORDER" "${STAFF[@]}" | json id)
for status in ACCEPTED PREPARING DISPATCHED DELIVERED; do
  expect 200 -X POST "$C/deliveries/$DELIVERY/status" "${JSON[@]}" "${STAFF[@]}" \
    -d '{"status":"'$status'"}' >/dev/null
done
delivered() { expect 200 "$B/orders/$1" "${STAFF[@]}" | grep -q '"status":"DELIVERED"'; }
slowly delivered "$ORDER" || fail "B's order did not follow C's delivery"

# Cancel: A returns the units, B refunds, both from B's order.cancelled.
SECOND=$(place split-2)
expect 200 -X POST "$B/orders/$SECOND/cancel" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -d '{"reason":"changed my mind"}' >/dev/null
returned() { expect 200 "$A/stock/$CUP" | grep -q '"on_hand":18,"reserved":0'; }
slowly returned || fail "A did not take the cancelled order's units back"
refunded() { expect 200 "$B/payments?order_id=$SECOND" "${STAFF[@]}" | grep -q '"status":"CANCELLED"'; }
slowly refunded || fail "B did not refund the cancelled order"
# Dispatching a cancelled order's delivery is refused by B, through C.
cancelled_delivery() { expect 200 "$C/deliveries?order_id=$SECOND" "${STAFF[@]}" | grep -q CANCELLED; }
slowly cancelled_delivery || fail "C did not cancel the cancelled order's delivery"

# stop NAME: SIGTERM, and a clean exit.
stop() {
  local pid
  pid=$(eval "echo \$PID_$1")
  kill -TERM "$pid"
  wait "$pid" || fail "process $1 exited with $? on SIGTERM: $(tail -5 "$1.log")"
}

# C stops: the shop still takes orders (its system is down, customers can
# still order); C catches up on restart, its dashboard complete.
stop c
WHILE_DOWN=()
for i in 1 2 3; do WHILE_DOWN+=("$(place "down-$i")"); done
for id in "${WHILE_DOWN[@]}"; do
  expect 200 "$B/orders/$id" "${STAFF[@]}" | grep -q '"status":"PAID"' || fail "order $id not paid"
done
start c "$MODULES_C" "$PORT_C"
within 10 ready "$PORT_C" || fail "C did not restart: $(tail -5 c.log)"
for id in "${WHILE_DOWN[@]}"; do
  slowly has_delivery "$id" || fail "C did not catch up: no delivery of $id"
done
on_dashboard() { expect 200 "$C/dashboard/orders/$1" "${STAFF[@]}" | grep -q "\"status\":\"$2\""; }
slowly on_dashboard "$ORDER" DELIVERED || fail "C's dashboard missed the delivered order"
slowly on_dashboard "$SECOND" CANCELLED || fail "C's dashboard missed the cancel"
for id in "${WHILE_DOWN[@]}"; do
  slowly on_dashboard "$id" PAID || fail "C's dashboard missed $id, placed while it was down"
done

# kcat reads every topic: only CloudEvents of documented types.
DOCUMENTED=" shop.identity.user_registered.v1 shop.catalog.product_created.v1
  shop.catalog.product_updated.v1 shop.catalog.product_deleted.v1 shop.stock.restocked.v1
  shop.stock.adjusted.v1 shop.stock.reserved.v1 shop.stock.released.v1 shop.stock.sold.v1
  shop.stock.returned.v1 shop.stock.low.v1 shop.order.placed.v1 shop.order.paid.v1
  shop.order.payment_declined.v1 shop.order.payment_pending.v1 shop.order.cancelled.v1
  shop.order.in_delivery.v1 shop.order.delivered.v1 shop.payment.approved.v1
  shop.payment.declined.v1 shop.payment.cancelled.v1 shop.delivery.requested.v1
  shop.delivery.status_changed.v1 shop.delivery.delivered.v1 shop.delivery.cancelled.v1 "
COUNT=0
for module in identity catalog stock order payment delivery; do
  kcat -C -b "$BROKERS" -t "shopbox.$module.events" -o beginning -e -q \
    -f '%k\t%h\t%s\n' > "$module-events.txt" 2> kcat.err \
    || fail "kcat could not read the $module topic: $(cat kcat.err)"
  [ -s "$module-events.txt" ] || fail "nothing on the $module topic"
  while IFS=$'\t' read -r key headers value; do
    type=$(tr ',' '\n' <<<"$headers" | sed -n 's/^ce_type=//p')
    tr -s ' \n' '\n' <<<"$DOCUMENTED" | grep -qxF "$type" \
      || fail "undocumented type \"$type\" on the $module topic"
    [[ "$type" == "shop.$module."* ]] || fail "$type on the $module topic"
    for header in ce_specversion=1.0 ce_id= ce_source= ce_time= "ce_subject=$key"; do
      [[ "$headers" == *"$header"* ]] || fail "a $type without $header: $headers"
    done
    python3 -c 'import json,sys; json.loads(sys.argv[1])' "$value" \
      || fail "a $type whose data is not JSON: $value"
    COUNT=$((COUNT + 1))
  done < "$module-events.txt"
done

# C keeps the events it consumed: replay rebuilds its dashboard alone.
stop c
"$SHOPBOX" replay --modules "$MODULES_C" --database "$WORK/c.db" > replay.out 2>/dev/null \
  || fail "replay failed in C's process"
grep -qE "from [1-9][0-9]* events" replay.out || fail "replay found no events: $(cat replay.out)"
stop a
stop b
echo "split: 3 processes; order, delivery, cancel and a restart of C went through; kcat read $COUNT CloudEvents; $(cat replay.out)"
