#!/usr/bin/env bash
# Issue 7, backup: `shopbox backup FILE` copies the live database while
# customers keep ordering; restored as the README says (stop, replace the
# file, start), a fresh process has every order acknowledged before the
# backup started, and the copy is a sound SQLite file.
source "$(dirname "$0")/lib.sh"
export SHOPBOX_IDENTITY_REGISTRATIONS_PER_MINUTE=100000
export SHOPBOX_IDENTITY_LOGIN_ATTEMPTS_PER_MINUTE=100000
start_server
sign_in_staff

PRODUCT=$(stocked_product 100000)
ORDER_BODY='{"items":[{"product_id":"'$PRODUCT'","quantity":1}],"delivery_address":{"name":"Kim","line1":"1 Road","city":"Seoul","postal_code":"04524","phone":"010"},"payment":{"method":"card","token":"tok_ok"}}'

# Three customers order until told to stop, recording each acknowledged id.
start_customers 3 "$ORDER_BODY"
wait_for_orders 3
cat acked-* > before-backup.ids
"$SHOPBOX" backup "$WORK/backup.db" --database "$WORK/shop.db" > backup.out \
  || fail "backup failed: $(cat backup.out)"
sleep 0.5
touch stop
wait "${CUSTOMERS[@]}"
BEFORE=$(wc -l < before-backup.ids)
AFTER=$(cat acked-* | wc -l)
[ "$BEFORE" -gt 0 ] || fail "no order was acknowledged before the backup"
[ "$AFTER" -gt "$BEFORE" ] || fail "the orders did not go on during the backup"
grep -q "backed up $WORK/shop.db to $WORK/backup.db" backup.out || fail "backup said: $(cat backup.out)"
[ "$(sqlite3 "$WORK/backup.db" 'PRAGMA integrity_check')" = ok ] || fail "the backup is corrupt"

# A backup never overwrites a file.
if "$SHOPBOX" backup "$WORK/backup.db" --database "$WORK/shop.db" 2>refused.out; then
  fail "a second backup overwrote the first"
fi
grep -q "already exists" refused.out || fail "the refusal did not say why: $(cat refused.out)"

# Restore: stop the server, put the backup in the database's place, start.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "the server did not stop cleanly"
SERVER_PID=""
rm -f "$WORK/shop.db" "$WORK/shop.db-wal" "$WORK/shop.db-shm"
cp "$WORK/backup.db" "$WORK/shop.db"
start_server
for id in $(cat before-backup.ids); do
  status=$(expect 200 "$BASE/orders/$id" "${STAFF[@]}" | json status)
  [ "$status" = PAID ] || fail "order $id, acknowledged before the backup, is $status after restore"
done
RESTORED=$(sqlite3 "$WORK/shop.db" "SELECT count(*) FROM order_orders WHERE status = 'PAID'")
echo "backup: acknowledged before=$BEFORE, during and after=$((AFTER - BEFORE)), restored paid=$RESTORED"
[ "$RESTORED" -ge "$BEFORE" ] || fail "fewer paid orders restored than acknowledged before the backup"
[ "$RESTORED" -le "$AFTER" ] || fail "more paid orders restored than were ever acknowledged"
