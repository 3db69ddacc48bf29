#!/usr/bin/env python3
"""Writes the hand-made seed inputs of each fuzz target into corpus/.

Run from anywhere; existing files of the same name are overwritten, files
found by fuzzing (named by their SHA-1) are left alone. The ids and tokens
are those tests/fuzz/shop_on_memory.cpp seeds: token-1 is staff, token-2 the
customer user-000003, products product-000001/3/5, order order-000001.
"""
import json
import pathlib

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"
STAFF = "Bearer token-1"
CUSTOMER = "Bearer token-2"
ADDRESS = {"name": "Kim", "line1": "1 Sejong-daero", "city": "Seoul",
           "postal_code": "04524", "phone": "010-1234-5678"}


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def http(method, target, headers=(), body=None):
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost"]
    lines += [f"{name}: {value}" for name, value in headers]
    raw = body if body is None else json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
    if raw is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(raw.encode())}"]
    return ("\r\n".join(lines) + "\r\n\r\n" + (raw or "")).encode()


def chunked(method, target, pieces):
    head = (f"{method} {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n")
    body = "".join(f"{len(piece.encode()):x}\r\n{piece}\r\n" for piece in pieces)
    return (head + body + "0\r\n\r\n").encode()


def http_seeds():
    order = {"items": [{"product_id": "product-000001", "quantity": 2}],
             "delivery_address": ADDRESS, "payment": {"method": "card", "token": "tok_ok"}}
    product = {"sku": "MUG-001", "name": "Mug", "description": "Stoneware",
               "price": {"amount": 9000, "currency": "KRW"}, "category": "kitchen"}
    seeds = {
        "health-live": http("GET", "/health/live"),
        "health-ready": http("GET", "/health/ready"),
        "openapi": http("GET", "/openapi.json"),
        "register": http("POST", "/api/v1/users",
                         body={"email": "lee@example.kr", "name": "Lee", "password": "s3cret-pass"}),
        "log-in": http("POST", "/api/v1/sessions",
                       body={"email": "kim@example.kr", "password": "s3cret-pass"}),
        "products-filtered": http("GET", "/api/v1/products?category=drinks&q=gre&limit=2"),
        "products-cursor": http("GET", "/api/v1/products?limit=1&cursor=product-000001"),
        "product-get": http("GET", "/api/v1/products/product-000001"),
        "product-create": http("POST", "/api/v1/products", [("Authorization", STAFF)], product),
        "product-create-customer": http("POST", "/api/v1/products", [("Authorization", CUSTOMER)], product),
        "product-update": http("PUT", "/api/v1/products/product-000003",
                               [("Authorization", STAFF), ("If-Match", '"1"')],
                               {**product, "sku": "CUP-001", "name": "Tea cup"}),
        "product-update-no-if-match": http("PUT", "/api/v1/products/product-000003",
                                           [("Authorization", STAFF)], product),
        "product-delete-stale": http("DELETE", "/api/v1/products/product-000005",
                                     [("Authorization", STAFF), ("If-Match", '"9"')]),
        "stock-level": http("GET", "/api/v1/stock/product-000001"),
        "stock-restock": http("POST", "/api/v1/stock/product-000001/restock",
                              [("Authorization", STAFF)], {"quantity": 5}),
        "stock-take": http("PUT", "/api/v1/stock/product-000001", [("Authorization", STAFF)],
                           {"expected_on_hand": 55, "on_hand": 54, "low_stock_threshold": 3}),
        "stock-ledger": http("GET", "/api/v1/stock/product-000003/ledger?cursor=0&limit=2",
                             [("Authorization", STAFF)]),
        "order-place": http("POST", "/api/v1/orders",
                            [("Authorization", CUSTOMER), ("Idempotency-Key", "fuzz-key-1")], order),
        "order-declined": http("POST", "/api/v1/orders",
                               [("Authorization", CUSTOMER), ("Idempotency-Key", "fuzz-key-2")],
                               {**order, "payment": {"method": "card", "token": "tok_decline"}}),
        "order-provider-down": http("POST", "/api/v1/orders",
                                    [("Authorization", CUSTOMER), ("Idempotency-Key", "fuzz-key-3")],
                                    {**order, "payment": {"method": "card", "token": "tok_error"}}),
        "order-out-of-stock": http("POST", "/api/v1/orders",
                                   [("Authorization", CUSTOMER), ("Idempotency-Key", "fuzz-key-4")],
                                   {**order, "items": [{"product_id": "product-000005", "quantity": 3}]}),
        "order-replayed": http("POST", "/api/v1/orders",
                               [("Authorization", CUSTOMER), ("Idempotency-Key", "seed-order-1")],
                               {**order, "items": [{"product_id": "product-000003", "quantity": 2}]}),
        "orders-staff": http("GET", "/api/v1/orders?status=PAID&customer_id=user-000003",
                             [("Authorization", STAFF)]),
        "order-get": http("GET", "/api/v1/orders/order-000001", [("Authorization", CUSTOMER)]),
        "order-cancel": http("POST", "/api/v1/orders/order-000001/cancel",
                             [("Authorization", CUSTOMER)], {"reason": "changed my mind"}),
        "user-me": http("GET", "/api/v1/users/me", [("Authorization", CUSTOMER)]),
        "user-get": http("GET", "/api/v1/users/user-000003", [("Authorization", STAFF)]),
        "user-orders": http("GET", "/api/v1/users/user-000003/orders?status=CANCELLED&limit=1",
                            [("Authorization", "bearer token-2")]),
        "payments": http("GET", "/api/v1/payments?order_id=order-000001", [("Authorization", CUSTOMER)]),
        "deliveries": http("GET", "/api/v1/deliveries?status=REQUESTED&order_id=order-000001",
                           [("Authorization", STAFF)]),
        "delivery-advance": http("POST", "/api/v1/deliveries/id-000009/status",
                                 [("Authorization", STAFF)], {"status": "ACCEPTED"}),
        "dashboard-order": http("GET", "/api/v1/dashboard/orders/order-000001", [("Authorization", CUSTOMER)]),
        "dashboard-customer": http("GET", "/api/v1/dashboard/customers/user-000003",
                                   [("Authorization", CUSTOMER)]),
        "dashboard-products": http("GET", "/api/v1/dashboard/products?category=drinks&limit=20"),
        "dashboard-summary": http("GET", "/api/v1/dashboard/summary", [("Authorization", STAFF)]),
        "dashboard-stream": http("GET", "/api/v1/dashboard/stream",
                                 [("Authorization", STAFF), ("Last-Event-ID", "0")]),
        "events-parked": http("GET", "/api/v1/events/parked", [("Authorization", STAFF)]),
        "method-not-allowed": http("PATCH", "/api/v1/products/product-000001"),
        "percent-encoded": http("GET", "/api/v1/products?q=%EB%85%B9%EC%B0%A8&category=a%2Bb",
                                [("X-Request-Id", "client-id.1_2")]),
        "broken-percent": http("GET", "/api/v1/products/%zz"),
        "wrong-media-type": http("POST", "/api/v1/sessions", [("Content-Type", "text/plain")]),
        "chunked": chunked("POST", "/api/v1/sessions",
                           ['{"email":', '"kim@example.kr","pa', 'ssword":"s3cret-pass"}']),
        "expect-continue": http("POST", "/api/v1/users", [("Expect", "100-continue")],
                                {"email": "x", "name": "", "password": 1}),
    }
    for name, data in seeds.items():
        write("fuzz_http_request", name, data)


def json_seeds():
    order = {"items": [{"product_id": "product-000001", "quantity": 2}],
             "delivery_address": {**ADDRESS, "line2": "Apt 1"},
             "payment": {"method": "card", "token": "tok_ok"}}
    bodies = [
        ("product", {"sku": "TEA-001", "name": "Green tea", "description": "Jeju",
                     "price": {"amount": 4500, "currency": "KRW"}, "category": "drinks"}),
        ("registration", {"email": "kim@example.kr", "name": "Kim", "password": "s3cret-pass"}),
        ("credentials", {"email": "kim@example.kr", "password": "s3cret-pass"}),
        ("restock", {"quantity": 50}),
        ("stock-take", {"expected_on_hand": 50, "on_hand": 48, "low_stock_threshold": None}),
        ("status-change", {"status": "DISPATCHED"}),
        ("place-order", order),
        ("cancel-reason", {"reason": "changed my mind"}),
    ]
    for selector, (name, body) in enumerate(bodies):
        write("fuzz_json_decoders", name, bytes([selector]) + json.dumps(body, ensure_ascii=False).encode())
    odd = [
        (0, "product-huge-amount", '{"sku":"A","name":"B","price":{"amount":1e300,"currency":"KRW"}}'),
        (3, "restock-uint64", '{"quantity":18446744073709551615}'),
        (4, "stock-take-unknown-field", '{"expected_on_hand":1,"on_hand":-1,"extra":[]}'),
        (6, "order-nested-errors", '{"items":[{"product_id":1},{}],"delivery_address":[],"payment":{"method":"cash"}}'),
        (7, "cancel-empty", ''),
        (1, "registration-deep", '{"email":' + '[' * 20 + ']' * 20 + '}'),
    ]
    for selector, name, body in odd:
        write("fuzz_json_decoders", name, bytes([selector]) + body.encode())


def config_seeds():
    root = pathlib.Path(__file__).resolve().parents[2]
    write("fuzz_config", "example", (root / "config/shopbox.example.toml").read_bytes())
    seeds = {
        "small": '[http]\nport = 9090\nhost = "127.0.0.1"\n[shop]\nutc_offset = "+09:00"\ncurrency = "KRW"\n',
        "overrides": '[database]\nsynchronous = "normal"\n--set http.port=0\n--set order.when_payment_unavailable=defer\n'
                     '--env SHOPBOX_LOG_LEVEL=debug\n',
        "http-gateway": '[payment]\ngateway = "http"\nhttp_url = "https://pay.example"\nhttp_timeout_ms = 100\n',
        "out-of-range": '[stock]\nreservation_ttl_seconds = 600\n[order]\npayment_pending_ttl_seconds = 600\n',
        "wrong-type": '[http]\nport = "80"\nthreads = 2.5\n[identity]\nbootstrap_staff_email = 1\n',
        "unknown": '[http]\nports = 1\n[nope]\nx = 1\ntop = 1\n',
        "dotted-keys": 'http.port = 1\n[log]\nlevel.x = "info"\n',
        "bad-toml": '[http\nport = = 1\n',
        "utc-offset": '--set shop.utc_offset=-14:00\n--set shop.currency=krw\n',
        "bad-override": '--set http\n--set .=\n--env SHOPBOX_HTTP_PORT=99999999999999999999\n',
    }
    for name, text in seeds.items():
        write("fuzz_config", name, text)


def envelope(type_, subject, data, **extra):
    document = {"specversion": "1.0", "id": "0193a-" + subject, "source": "/shopbox/" + type_.split(".")[1],
                "type": type_, "subject": subject, "time": "2027-01-15T08:00:00.123Z",
                "datacontenttype": "application/json", "data": data, **extra}
    return json.dumps(document, ensure_ascii=False)


def event_seeds():
    krw = lambda amount: {"amount": amount, "currency": "KRW"}
    product = {"product_id": "p-1", "sku": "TEA-001", "name": "녹차", "description": "Jeju",
               "price": krw(4500), "category": "drinks", "version": 1}
    level = {"product_id": "p-1", "quantity": 5, "on_hand": 50, "reserved": 2, "available": 48, "sequence": 7}
    movement = {"order_id": "o-1", "lines": [level]}
    order = {"order_id": "o-1", "customer_id": "u-1"}
    delivery = {"delivery_id": "d-1", "order_id": "o-1", "customer_id": "u-1"}
    payment = {"payment_id": "pay-1", "order_id": "o-1", "amount": krw(24000)}
    line = {"product_id": "p-1", "sku": "TEA-001", "name": "Tea", "unit_price": krw(12000), "quantity": 2}
    events = {
        "shop.catalog.product_created.v1": product,
        "shop.catalog.product_updated.v1": {**product, "version": 2},
        "shop.catalog.product_deleted.v1": {"product_id": "p-1", "version": 3},
        "shop.identity.user_registered.v1": {"user_id": "u-1", "email": "kim@example.kr", "name": "Kim",
                                             "role": "customer"},
        "shop.stock.restocked.v1": level,
        "shop.stock.adjusted.v1": {**level, "previous_on_hand": 52},
        "shop.stock.low.v1": {**level, "low_stock_threshold": 5},
        "shop.stock.reserved.v1": movement,
        "shop.stock.released.v1": {**movement, "reason": "expired"},
        "shop.stock.sold.v1": movement,
        "shop.stock.returned.v1": {"order_id": "o-1", "lines": [{k: v for k, v in level.items() if k != "sequence"}]},
        "shop.order.placed.v1": {**order, "lines": [line], "total": krw(24000), "delivery_address": {**ADDRESS, "line2": ""}},
        "shop.order.paid.v1": {**order, "total": krw(24000), "delivery_address": {**ADDRESS, "line2": "Apt 1"}},
        "shop.order.payment_declined.v1": {**order, "reason": "card declined"},
        "shop.order.payment_pending.v1": order,
        "shop.order.cancelled.v1": {**order, "reason": "changed my mind", "was_paid": True, "total": krw(24000)},
        "shop.order.in_delivery.v1": order,
        "shop.order.delivered.v1": order,
        "shop.payment.approved.v1": payment,
        "shop.payment.declined.v1": {**payment, "reason": "card declined"},
        "shop.payment.cancelled.v1": payment,
        "shop.delivery.requested.v1": delivery,
        "shop.delivery.status_changed.v1": {**delivery, "from": "REQUESTED", "to": "ACCEPTED"},
        "shop.delivery.delivered.v1": delivery,
        "shop.delivery.cancelled.v1": {**delivery, "reason": "order cancelled"},
    }
    for type_, data in events.items():
        write("fuzz_event_envelope", type_.removeprefix("shop.").removesuffix(".v1"), envelope(type_, "s-1", data))
    write("fuzz_event_envelope", "offset-time", envelope("shop.order.paid.v1", "o-1", events["shop.order.paid.v1"],
                                                         time="2027-01-15T17:00:00.5+09:00"))
    write("fuzz_event_envelope", "extension-attribute",
          envelope("shop.stock.low.v1", "p-1", events["shop.stock.low.v1"], traceparent="00-ab-cd-01"))
    write("fuzz_event_envelope", "missing-total",
          envelope("shop.order.paid.v1", "o-1", {**order, "delivery_address": ADDRESS}))
    write("fuzz_event_envelope", "unknown-type", envelope("shop.order.teleported.v1", "o-1", order))


if __name__ == "__main__":
    http_seeds()
    json_seeds()
    config_seeds()
    event_seeds()
