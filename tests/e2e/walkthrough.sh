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

# SIGTERM drains and exits cleanly.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "shopbox exited with $? on SIGTERM"
SERVER_PID=""
grep -q '"message":"stopped"' server.log || fail "no clean stop in the log"
echo "walkthrough: ok"
