#!/usr/bin/env bash
# Restocks of one unit each while the server is killed with SIGKILL: after a
# restart, acknowledged <= on_hand <= sent, and on_hand equals the ledger.
source "$(dirname "$0")/lib.sh"
start_server
sign_in_staff
ID=$(expect 201 -X POST "$BASE/products" "${JSON[@]}" "${STAFF[@]}" \
  -d '{"sku":"BOLT-1","name":"Bolt","price":{"amount":100,"currency":"KRW"}}' | json id)

# Four writers restock in parallel; each counts what it sent and what was
# acknowledged with a 200, until the server dies under them.
for writer in 1 2 3 4; do
  (
    sent=0; acked=0
    while [ $sent -lt 400 ]; do
      sent=$((sent + 1))
      status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/stock/$ID/restock" \
        "${JSON[@]}" "${STAFF[@]}" -d '{"quantity":1}' || true)
      if [ "$status" = 200 ]; then acked=$((acked + 1)); else break; fi
    done
    echo "$sent $acked" > "writer-$writer"
  ) &
done
sleep 1.5
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
wait

SENT=0; ACKED=0
for writer in 1 2 3 4; do
  read -r sent acked < "writer-$writer"
  SENT=$((SENT + sent)); ACKED=$((ACKED + acked))
done
[ "$ACKED" -gt 0 ] || fail "no restock was acknowledged before the kill"
[ "$ACKED" -lt 1600 ] || fail "the kill came after every restock; nothing was tested"

start_server
ON_HAND=$(expect 200 "$BASE/stock/$ID" | json on_hand)
LEDGER=0; CURSOR=0
while :; do
  PAGE=$(expect 200 "$BASE/stock/$ID/ledger?limit=100&cursor=$CURSOR" "${STAFF[@]}")
  for delta in $(printf '%s' "$PAGE" | grep -oE '"on_hand_delta":-?[0-9]+' | cut -d: -f2); do
    LEDGER=$((LEDGER + delta))
  done
  CURSOR=$(printf '%s' "$PAGE" | sed -nE 's/.*"next_cursor":"([0-9]+)".*/\1/p')
  [ -n "$CURSOR" ] || break
done

echo "durability: sent=$SENT acknowledged=$ACKED on_hand=$ON_HAND ledger=$LEDGER"
[ "$ACKED" -le "$ON_HAND" ] || fail "an acknowledged restock was lost"
[ "$ON_HAND" -le "$SENT" ] || fail "more units than were sent"
[ "$ON_HAND" -eq "$LEDGER" ] || fail "on_hand differs from the ledger"
