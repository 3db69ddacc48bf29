#!/usr/bin/env python3
"""Growth: catalog latency with a thousand, 100 thousand and a million
products; order throughput on an empty database and on one with a million
finished orders; start-up time and resident memory with those orders.

The databases are seeded once (bench/seed.py) and cached; the catalog ones
are served in place (the load only reads), the one with the orders is copied
first (the load writes).

    python3 bench/growth.py --runs 1 --seconds 3   # alone, with short runs
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import PeakMemory, rss_mib, start_shopbox, stop, wrk  # noqa: E402
from order_placement import order_run  # noqa: E402
from seed import SEARCH_WORDS, seeded  # noqa: E402

CATALOG_SIZES = (1_000, 100_000, 1_000_000)
EXISTING_ORDERS = 1_000_000
ORDER_CATALOG = 1_000      # products beside the orders
CONNECTIONS = 64
PATHS = 10_000             # distinct paths per request and size, taken in turn
PATHS_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paths.lua")
# After /health/ready, the first passes of the background tasks (recovery,
# sweeper) run; idle memory is read once they have.
SETTLE_SECONDS = 1.0
# order_placement's load with synchronous FULL (the default).
ORDER_SETTINGS = {"database.synchronous": "full", "identity.password_hash_strength": "minimum"}

WARM_UP_SECONDS = 3

# Each request's paths from a sample of product ids: pages start after a
# random product, searches are a word or the start of one (3 letters or more).
REQUESTS = {
    "GET /api/v1/products?cursor={id}": lambda rng, id: f"/api/v1/products?limit=20&cursor={id}",
    "GET /api/v1/dashboard/products?cursor={id}":
        lambda rng, id: f"/api/v1/dashboard/products?limit=20&cursor={id}",
    "GET /api/v1/products?q={term}":
        lambda rng, id: f"/api/v1/products?limit=20&q={search_term(rng)}",
    "GET /api/v1/products/{id}": lambda rng, id: f"/api/v1/products/{id}",
}


def search_term(rng):
    word = rng.choice(SEARCH_WORDS)
    return word[:rng.randint(3, len(word))]


def sample_ids(database, rng):
    with contextlib.closing(sqlite3.connect(database)) as db:
        count = db.execute("SELECT MAX(seq) FROM catalog_products").fetchone()[0]
        seqs = [rng.randint(1, count) for _ in range(PATHS)]
        return [db.execute("SELECT id FROM catalog_products WHERE seq = ?", (seq,)).fetchone()[0]
                for seq in seqs]


def write_paths(work, database, size):
    """One file of paths per request, for paths.lua."""
    rng = random.Random(size)
    ids = sample_ids(database, rng)
    files = {}
    for n, (request, path) in enumerate(REQUESTS.items()):
        files[request] = os.path.join(work, f"paths-{size}-{n}.txt")
        with open(files[request], "w") as out:
            out.writelines(path(rng, id) + "\n" for id in ids)
    return files


def catalog_growth(binary, work, runs, seconds, median_of):
    databases = {size: seeded(binary, size, 0) for size in CATALOG_SIZES}
    paths = {size: write_paths(work, database, size) for size, database in databases.items()}
    servers = {}
    try:
        for size, database in databases.items():
            servers[size] = start_shopbox(binary, work, database=database)
        samples = {(request, size): [] for request in REQUESTS for size in CATALOG_SIZES}
        # A pass over every path first: the figures are of a server whose
        # pages are in memory, as a running shop's are, not of the disk
        # (the 1M-product file is 2.5 GB, and what else ran decides how
        # much of it the kernel still caches).
        for request in REQUESTS:
            for size, (process, base) in servers.items():
                wrk(base + "/", WARM_UP_SECONDS, CONNECTIONS, PATHS_SCRIPT,
                    (paths[size][request],), timeout=WARM_UP_SECONDS)
                wait_answered(base)
        # Sizes alternate, so that a noisy neighbour hurts them alike.
        for _ in range(runs):
            for request in REQUESTS:
                for size, (process, base) in servers.items():
                    with PeakMemory(process) as memory:
                        # No answer is too slow to count: one may take the whole run.
                        sample = wrk(base + "/", seconds, CONNECTIONS, PATHS_SCRIPT,
                                     (paths[size][request],), timeout=seconds)
                    samples[request, size].append({**at_least_the_run(sample, seconds),
                                                   "rss_peak_mib": memory.peak})
                    wait_answered(base)
    finally:
        for process, _ in servers.values():
            stop(process)
    medians = {key: median_of(taken) for key, taken in samples.items()}
    rows = [{"request": request, "products": size, **figures}
            for (request, size), figures in medians.items()]
    return rows, [ratio(request, medians[request, CATALOG_SIZES[0]],
                        medians[request, CATALOG_SIZES[-1]]) for request in REQUESTS]


def at_least_the_run(sample, seconds):
    """A run in which no request was answered (each took longer than the run)
    reports no latency: its length is the latency's lower bound."""
    if sample["requests_per_second"]:
        return sample
    return {**sample, "p50_ms": seconds * 1000.0, "p99_ms": seconds * 1000.0}


def wait_answered(base, timeout=300):
    """Waits for the server to finish the requests wrk left behind (one per
    connection at most: a slow query keeps its worker), which would slow the
    next run, on this server or on another on the same core."""
    port = int(base.rsplit(":", 1)[1])
    deadline = time.monotonic() + timeout
    while half_closed(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} still answering {timeout} s after the load")
        time.sleep(0.2)


def half_closed(port):
    """Connections to `port` that wrk closed and the server has not, because
    it is still answering on them (TCP state CLOSE_WAIT, 08)."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in list(table)[1:]]
    return sum(1 for row in rows if int(row[1].rsplit(":", 1)[1], 16) == port and row[3] == "08")


def ratio(request, small, large):
    """The largest catalog's figures over the smallest's (target: within 1.5)."""
    return {"request": request,
            "p50_ratio": large["p50_ms"] / small["p50_ms"],
            "p99_ratio": large["p99_ms"] / small["p99_ms"],
            "throughput_ratio": large["requests_per_second"] / small["requests_per_second"]}


def start_up(binary, work, database):
    """Milliseconds from the process's start until /health/ready answers 200,
    and the resident memory once settled."""
    began = time.monotonic()
    shopbox, _ = start_shopbox(binary, work, database=database)
    try:
        ready_ms = (time.monotonic() - began) * 1000
        time.sleep(SETTLE_SECONDS)
        return {"ready_ms": ready_ms, "rss_idle_mib": rss_mib(shopbox)}
    finally:
        stop(shopbox)


def start_ups(binary, work, database, runs, median_of):
    """The median start-up; the first start, not timed, creates the file or
    applies the migrations newer than it."""
    stop(start_shopbox(binary, work, database=database)[0])
    return median_of([start_up(binary, work, database) for _ in range(runs)])


def order_count(database):
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute("SELECT COUNT(*) FROM order_orders").fetchone()[0]


def order_growth(binary, work, runs, seconds, median_of):
    database = os.path.join(work, "orders.db")
    shutil.copyfile(seeded(binary, ORDER_CATALOG, EXISTING_ORDERS), database)
    existing_orders = order_count(database)
    start = {"empty": start_ups(binary, work, os.path.join(work, "empty.db"), runs, median_of),
             "existing": start_ups(binary, work, database, runs, median_of)}
    empty, existing = [], []
    # Alternated like the catalog's sizes. The empty case gets a fresh file
    # each run; the other keeps its copy (a run adds a few percent to it).
    for n in range(runs):
        empty.append(order_run(binary, work, seconds, ORDER_SETTINGS))
        existing.append(order_run(binary, work, seconds, ORDER_SETTINGS, database, f"buyer{n}"))
    os.remove(database)
    empty, existing = median_of(empty), median_of(existing)
    return {"existing_orders": existing_orders, "empty": empty, "existing": existing,
            "ratio": existing["requests_per_second"] / empty["requests_per_second"]}, start


def growth(binary, work, runs, seconds, median_of):
    catalog, catalog_ratios = catalog_growth(binary, work, runs, seconds, median_of)
    orders, start = order_growth(binary, work, runs, seconds, median_of)
    return {"catalog": catalog, "catalog_ratios": catalog_ratios, "orders": orders,
            "start_up": start,
            "memory": {"idle_mib": start["existing"]["rss_idle_mib"],
                       "peak_under_order_load_mib": orders["existing"]["rss_peak_mib"]}}


def main():
    from bench import ROOT, median_of  # here: bench.py imports this module
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-release", "shopbox"))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=3, help="per wrk run")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="shopbox-growth-")
    try:
        print(json.dumps(growth(options.binary, work, options.runs, options.seconds, median_of),
                         indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
