#!/usr/bin/env bash
# Issue 7, metrics: after a few orders a live scrape of GET /metrics passes
# `promtool check metrics` (Debian's prometheus) and counts what happened.
source "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null || fail "promtool is missing: scripts/deps.sh prometheus"
start_server
sign_in_staff

PRODUCT=$(stocked_product 10)
KIM=(-H "Authorization: Bearer $(customer_token kim)")
order() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/orders" "${JSON[@]}" "${KIM[@]}" \
    -H "Idempotency-Key: $1" -d '{"items":[{"product_id":"'$PRODUCT'","quantity":'$2'}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"'$3'"}}'
}
[ "$(order k1 1 tok_ok)" = 201 ] || fail "the first order was not placed"
[ "$(order k2 1 tok_ok)" = 201 ] || fail "the second order was not placed"
[ "$(order k3 1 tok_decline)" = 402 ] || fail "the declined order was not refused"
[ "$(order k4 99 tok_ok)" = 409 ] || fail "the order beyond the stock was not refused"
curl -s -o /dev/null "$BASE/no-such-thing"

settled() { curl -s "http://127.0.0.1:$PORT/metrics" | grep -q '^shopbox_outbox_unpublished_events{module="order"} 0$'; }
eventually settled || fail "the order outbox did not drain"
curl -sf -D headers "http://127.0.0.1:$PORT/metrics" > scrape.txt || fail "GET /metrics failed"
grep -qi '^content-type: text/plain; version=0.0.4' headers || fail "not the Prometheus text format: $(cat headers)"
promtool check metrics < scrape.txt > promtool.out 2>&1 \
  || fail "promtool check metrics: $(cat promtool.out)"

has() { grep -qE "$1" scrape.txt || fail "the scrape lacks $1"; }
has '^shopbox_http_requests_total\{route="/api/v1/orders",method="POST",status="201"\} 2$'
has '^shopbox_http_requests_total\{route="/api/v1/orders",method="POST",status="402"\} 1$'
has '^shopbox_http_requests_total\{route="/api/v1/orders",method="POST",status="409"\} 1$'
has '^shopbox_http_requests_total\{route="unmatched",method="any",status="404"\} 1$'
has '^shopbox_http_request_duration_seconds_count\{route="/api/v1/orders",method="POST"\} 4$'
has '^shopbox_http_request_duration_seconds_bucket\{route="/api/v1/orders",method="POST",le="\+Inf"\} 4$'
has '^shopbox_orders\{status="PAID"\} 2$'
has '^shopbox_orders\{status="PAYMENT_DECLINED"\} 1$'
has '^shopbox_parked_events\{module="payment"\} 0$'
has '^shopbox_outbox_lag_seconds\{module="stock"\} 0$'
has '^shopbox_projection_lag_p99_seconds [0-9]'
has '^shopbox_payment_circuit_state\{state="closed"\} 1$'
has '^shopbox_payment_circuit_transitions_total 0$'
has '^shopbox_sqlite_commits_total [1-9]'
has '^shopbox_sqlite_busy_total 0$'
has '^process_resident_memory_bytes [1-9][0-9]{6,}$'
has '^process_open_fds [1-9]'
has '^shopbox_background_lease_held 1$'
echo "metrics: $(grep -vc '^#' scrape.txt) samples, promtool: $(cat promtool.out)"
