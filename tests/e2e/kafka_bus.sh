#!/usr/bin/env bash
# Issue 8, the Kafka bus: the whole shop on events.bus = "kafka", against
# the mock cluster `shopbox dev kafka` hosts. An order's events reach their
# consumers through the brokers (the delivery module creates a delivery
# from order.paid; the order follows delivery.delivered; a cancel returns
# stock and refunds), and kcat, a plain Kafka client, reads them off the
# topics as CloudEvents with their aggregate as key.
source "$(dirname "$0")/lib.sh"

KAFKA=""
trap 'kill "$KAFKA" 2>/dev/null || true; cleanup' EXIT
start_dev_kafka
grep -q "for development only" kafka.err || fail "dev kafka does not say it is for development"
export SHOPBOX_EVENTS_BUS=kafka SHOPBOX_KAFKA_BROKERS="$BROKERS"
start_server
sign_in_staff
CUSTOMER=$(customer_token kim)
CUP=$(stocked_product 10)
ORDER_BODY='{"items":[{"product_id":"'$CUP'","quantity":2}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'

# Joining the consumer groups takes the mock brokers a few seconds.
slowly() { within 30 "$@"; }
ORDER_ID=$(expect 201 -X POST "$BASE/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -H 'Idempotency-Key: kafka-1' -d "$ORDER_BODY" | json id)
board() { expect 200 "$BASE/deliveries?order_id=$ORDER_ID" "${STAFF[@]}" | grep -q REQUESTED; }
slowly board || fail "no delivery for the paid order: order.paid did not reach the delivery module"
DELIVERY=$(expect 200 "$BASE/deliveries?order_id=$ORDER_ID" "${STAFF[@]}" | json id)
for status in ACCEPTED PREPARING DISPATCHED DELIVERED; do
  expect 200 -X POST "$BASE/deliveries/$DELIVERY/status" "${JSON[@]}" "${STAFF[@]}" \
    -d '{"status":"'$status'"}' >/dev/null
done
delivered() { expect 200 "$BASE/orders/$ORDER_ID" "${STAFF[@]}" | grep -q '"status":"DELIVERED"'; }
slowly delivered || fail "the order did not follow delivery.delivered"

SECOND=$(expect 201 -X POST "$BASE/orders" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -H 'Idempotency-Key: kafka-2' -d "$ORDER_BODY" | json id)
expect 200 -X POST "$BASE/orders/$SECOND/cancel" "${JSON[@]}" -H "Authorization: Bearer $CUSTOMER" \
  -d '{"reason":"changed my mind"}' >/dev/null
returned() { expect 200 "$BASE/stock/$CUP" | grep -q '"on_hand":8,"reserved":0'; }
slowly returned || fail "the cancelled order's units did not return"
refunded() { expect 200 "$BASE/payments?order_id=$SECOND" "${STAFF[@]}" | grep -q '"status":"CANCELLED"'; }
slowly refunded || fail "the cancelled order was not refunded"

expect 200 "$BASE/events/dead-letters" "${STAFF[@]}" | grep -q '"items":\[\]' \
  || fail "a consumer set an event aside"

# Any Kafka client reads the events: binary-mode CloudEvents keyed by aggregate.
kcat -C -b "$BROKERS" -t shopbox.order.events -o beginning -e -q -f '%k|%h|%s\n' > order-events.txt \
  2> kcat.err || fail "kcat could not read the order topic: $(cat kcat.err)"
grep -q "^$ORDER_ID|.*ce_type=shop.order.paid.v1" order-events.txt \
  || fail "no order.paid for $ORDER_ID on the topic: $(head -5 order-events.txt)"
grep "^$ORDER_ID|" order-events.txt | grep -v -q "ce_specversion=1.0" \
  && fail "an event without ce_specversion: $(cat order-events.txt)"
grep -q "^$SECOND|.*ce_type=shop.order.cancelled.v1.*|{" order-events.txt \
  || fail "no order.cancelled with JSON data for $SECOND"
echo "kafka bus: $(wc -l < order-events.txt) order events on the topic; delivery, cancel and refund went through the brokers"
