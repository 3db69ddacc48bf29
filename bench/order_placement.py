"""Order placement end to end: POST /api/v1/orders with a new key each time,
the sandbox gateway approving, on a SQLite file, with synchronous FULL (the
default) and NORMAL."""

import json
import os

from harness import PeakMemory, call, rss_mib, staff_token, start_shopbox, stop, wrk

CONNECTIONS = 32
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "orders.lua")


def customer_and_product(base):
    token = staff_token(base)
    product = json.loads(call(base, "POST", "/api/v1/products", {
        "sku": "BENCH-ORDER", "name": "Bench item",
        "price": {"amount": 4500, "currency": "KRW"}}, token))["id"]
    call(base, "POST", f"/api/v1/stock/{product}/restock", {"quantity": 100_000_000}, token)
    call(base, "POST", "/api/v1/users", {"email": "buyer@bench.kr", "name": "Buyer",
                                         "password": "buyer-pass-1"})
    session = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"email": "buyer@bench.kr", "password": "buyer-pass-1"}))
    return session["token"], product


def order_placement(binary, work, runs, seconds, median_of):
    rows = []
    for synchronous in ("full", "normal"):
        samples = []
        for _ in range(runs):
            # A fresh database each run: the next run must not start bigger.
            shopbox, base = start_shopbox(binary, work, {
                "database.synchronous": synchronous,
                "identity.password_hash_strength": "minimum"})
            try:
                token, product = customer_and_product(base)
                idle = rss_mib(shopbox)
                with PeakMemory(shopbox) as memory:
                    sample = wrk(base + "/api/v1/orders", seconds, CONNECTIONS, SCRIPT,
                                 (token, product))
                samples.append({**sample, "rss_idle_mib": idle, "rss_peak_mib": memory.peak})
            finally:
                stop(shopbox)
        rows.append({"synchronous": synchronous, **median_of(samples)})
    return rows
