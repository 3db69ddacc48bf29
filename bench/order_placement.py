"""Order placement end to end: POST /api/v1/orders with a new key each time,
the sandbox gateway approving, on a SQLite file, with synchronous FULL (the
default) and NORMAL."""

import json
import os

from harness import PeakMemory, call, rss_mib, staff_token, start_shopbox, stop, wrk

CONNECTIONS = 32
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "orders.lua")


def customer(base, buyer):
    """A new customer named `buyer`; their bearer token."""
    call(base, "POST", "/api/v1/users", {"email": f"{buyer}@bench.kr", "name": "Buyer",
                                         "password": "buyer-pass-1"})
    session = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"email": f"{buyer}@bench.kr", "password": "buyer-pass-1"}))
    return session["token"]


def customer_and_product(base, buyer="buyer"):
    """A new customer and product, named after `buyer` so that a database
    used for several runs gets new ones each time."""
    token = staff_token(base)
    product = json.loads(call(base, "POST", "/api/v1/products", {
        "sku": f"BENCH-ORDER-{buyer}", "name": "Bench item",
        "price": {"amount": 4500, "currency": "KRW"}}, token))["id"]
    call(base, "POST", f"/api/v1/stock/{product}/restock", {"quantity": 100_000_000}, token)
    return customer(base, buyer), product


def order_run(binary, work, seconds, settings, database=None, buyer="buyer"):
    """One run of the order load on a server of its own, with the server's
    resident memory idle before it and at its peak during it, and the
    projection lag (event committed to read model committed) over the last
    events projected under the load."""
    shopbox, base = start_shopbox(binary, work, settings, database)
    try:
        token, product = customer_and_product(base, buyer)
        staff = staff_token(base)
        idle = rss_mib(shopbox)
        with PeakMemory(shopbox) as memory:
            sample = wrk(base + "/api/v1/orders", seconds, CONNECTIONS, SCRIPT, (token, product))
        lag = json.loads(call(base, "GET", "/api/v1/dashboard/projection-lag", token=staff))
        return {**sample, "rss_idle_mib": idle, "rss_peak_mib": memory.peak,
                "lag_p50_ms": lag["p50_ms"], "lag_p99_ms": lag["p99_ms"]}
    finally:
        stop(shopbox)


def order_placement(binary, work, runs, seconds, median_of):
    rows = []
    for synchronous in ("full", "normal"):
        # A fresh database each run: the next run must not start bigger.
        samples = [order_run(binary, work, seconds, {"database.synchronous": synchronous,
                                                     "identity.password_hash_strength": "minimum"})
                   for _ in range(runs)]
        rows.append({"synchronous": synchronous, **median_of(samples)})
    return rows
