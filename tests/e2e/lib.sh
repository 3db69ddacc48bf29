# Helpers for end-to-end tests that drive the real shopbox binary.
# Each test gets its own directory, database and free port.

set -euo pipefail

SHOPBOX=$(realpath "$1")
WORK=$(mktemp -d /tmp/shopbox-e2e.XXXXXX)
SERVER_PID=""
cd "$WORK"
export SHOPBOX_IDENTITY_PASSWORD_HASH_STRENGTH=minimum
export SHOPBOX_LOG_LEVEL=warn

cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; [ -f server.log ] && tail -20 server.log >&2; exit 1; }

# Starts the server on a free port (port 0) and waits until it is ready.
start_server() {
  SHOPBOX_LOG_LEVEL=info "$SHOPBOX" serve --port 0 --database "$WORK/shop.db" >>server.log 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -nE 's/.*"message":"listening".*"port":([0-9]+).*/\1/p' server.log | tail -1)
    if [ -n "$PORT" ] && curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; then
      BASE="http://127.0.0.1:$PORT/api/v1"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited at start"
    sleep 0.1
  done
  fail "the server did not become ready"
}

JSON=(-H 'Content-Type: application/json')

# Creates a staff user with the CLI (while the server runs on the same file)
# and logs in: sets STAFF to the curl arguments carrying its token.
sign_in_staff() {
  echo 'admin-pass-1' | "$SHOPBOX" user create --email admin@shop.kr --role staff \
    --password-stdin --database "$WORK/shop.db" >/dev/null
  local token
  token=$(expect 201 -X POST "$BASE/sessions" "${JSON[@]}" \
    -d '{"email":"admin@shop.kr","password":"admin-pass-1"}' | json token)
  STAFF=(-H "Authorization: Bearer $token")
}

# within SECONDS COMMAND...: retries COMMAND every 0.1 s until it succeeds
# or SECONDS passed (then its last failure counts).
within() {
  local tries=$(($1 * 10))
  shift
  for _ in $(seq 1 "$tries"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  "$@"
}

# eventually COMMAND...: for effects that follow by events, a moment after
# the request that caused them.
eventually() { within 5 "$@"; }

# json FIELD: the first value of FIELD (a string or a number) in JSON on stdin.
json() { grep -oE "\"$1\":\"?[^\",}]*" | head -1 | sed -E "s/^\"$1\":\"?//"; }

# expect STATUS curl-args...: runs curl, checks the status, prints the body.
expect() {
  local want=$1; shift
  local body status
  body=$(curl -s -w '\n%{http_code}' "$@") || fail "curl $* failed"
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  [ "$status" = "$want" ] || fail "expected $want, got $status from curl $*: $body"
  printf '%s' "$body"
}

# stocked_product QUANTITY: creates a product (100 KRW) with that much stock
# and prints its id.
stocked_product() {
  local id
  id=$(expect 201 -X POST "$BASE/products" "${JSON[@]}" "${STAFF[@]}" \
    -d '{"sku":"TEA-1","name":"Tea","price":{"amount":100,"currency":"KRW"}}' | json id)
  expect 200 -X POST "$BASE/stock/$id/restock" "${JSON[@]}" "${STAFF[@]}" \
    -d '{"quantity":'"$1"'}' >/dev/null
  printf '%s' "$id"
}

# customer_token NAME: registers NAME@x.kr and prints a bearer token for it.
customer_token() {
  expect 201 -X POST "$BASE/users" "${JSON[@]}" \
    -d '{"email":"'"$1"'@x.kr","name":"C","password":"customer-pass"}' >/dev/null
  expect 201 -X POST "$BASE/sessions" "${JSON[@]}" \
    -d '{"email":"'"$1"'@x.kr","password":"customer-pass"}' | json token
}

# order_loop TOKEN NAME BODY MAX: places orders with BODY one after another,
# each with a new Idempotency-Key, appending each id acknowledged with 201
# to acked-NAME; stops at any other answer (written to refused-NAME), after
# MAX orders, or once a file named `stop` exists. Run it in the background.
order_loop() {
  local n reply
  for n in $(seq 1 "$4"); do
    [ -f stop ] && break
    reply=$(curl -s -w '\n%{http_code}' -X POST "$BASE/orders" "${JSON[@]}" \
      -H "Authorization: Bearer $1" -H "Idempotency-Key: $2-$n" -d "$3") \
      || { echo "order $n: curl failed" > "refused-$2"; break; }
    [ "${reply##*$'\n'}" = 201 ] || { printf 'order %s: %s\n' "$n" "$reply" > "refused-$2"; break; }
    printf '%s\n' "${reply%$'\n'*}" | json id >> "acked-$2"
  done
}

# start_customers N BODY: customers c1..cN each run order_loop with BODY in
# the background until a file named `stop` exists; CUSTOMERS holds their pids.
start_customers() {
  CUSTOMERS=()
  local customer
  for customer in $(seq 1 "$1"); do
    order_loop "$(customer_token "c$customer")" "c$customer" "$2" 1000000 &
    CUSTOMERS+=($!)
  done
}

# wait_for_orders N: waits (up to 60 s) until the customers' loops had N
# orders acknowledged between them.
wait_for_orders() {
  for _ in $(seq 1 600); do
    [ "$(cat acked-* 2>/dev/null | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "fewer than $1 orders acknowledged in 60 s"
}

# start_dev_kafka: `shopbox dev kafka` in the background (KAFKA its pid, to
# kill on exit); sets BROKERS to the kafka.brokers it prints.
start_dev_kafka() {
  "$SHOPBOX" dev kafka > kafka.out 2> kafka.err &
  KAFKA=$!
  for _ in $(seq 1 100); do
    BROKERS=$(sed -n 's/^kafka.brokers=//p' kafka.out)
    [ -n "$BROKERS" ] && return 0
    sleep 0.1
  done
  fail "shopbox dev kafka printed no brokers: $(cat kafka.err)"
}
