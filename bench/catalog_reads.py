"""Catalog reads: shopbox against nginx serving the very same response
bytes as static files, the HTTP reference of this machine."""

import json
import os
import subprocess
import time

from harness import SERVER_CORE, call, free_port, staff_token, start_shopbox, stop, wait_ready, wrk

CONNECTIONS = 64
PRODUCTS = 50


def seed(base):
    token = staff_token(base)
    ids = []
    for n in range(PRODUCTS):
        product = json.loads(call(base, "POST", "/api/v1/products", {
            "sku": f"BENCH-{n:03}", "name": f"Bench item {n}", "description": "for the bench",
            "price": {"amount": 1000 + n, "currency": "KRW"}, "category": "bench"},
            token))
        ids.append(product["id"])
    # The storefront is a read model: wait until it shows every product.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        listing = json.loads(call(base, "GET", "/api/v1/dashboard/products?limit=100"))
        if len(listing["items"]) == PRODUCTS:
            return ids[PRODUCTS // 2]
        time.sleep(0.1)
    raise RuntimeError("the storefront did not show the seeded products")


def start_nginx(work, files):
    """One worker, no access log, keep-alive: nginx at its simplest."""
    root = os.path.join(work, "static")
    os.chmod(work, 0o755)  # nginx's worker drops root and must read the files
    for path, body in files.items():
        target = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(body)
    port = free_port()
    config = os.path.join(work, "nginx.conf")
    with open(config, "w") as out:
        out.write(f"""worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path {work}/nginx-body;
  server {{
    listen 127.0.0.1:{port};
    root {root};
  }}
}}
""")
    process = subprocess.Popen(["taskset", "-c", SERVER_CORE, "nginx", "-c", config,
                                "-p", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base + next(iter(files)), process)
    return process, base


def catalog_reads(binary, work, runs, seconds, median_of):
    shopbox, base = start_shopbox(binary, work)
    try:
        product = seed(base)
        requests = {f"/api/v1/products/{product}": "GET /api/v1/products/{id}",
                    "/api/v1/dashboard/products?limit=20": "GET /api/v1/dashboard/products?limit=20"}
        bodies = {path: call(base, "GET", path) for path in requests}
        # nginx ignores the query string: the file is the path without it.
        nginx, static = start_nginx(work, {path.split("?")[0]: body
                                           for path, body in bodies.items()})
        try:
            rows = []
            for path, name in requests.items():
                # Alternated, so that a noisy neighbour hurts both alike.
                served, reference = [], []
                for _ in range(runs):
                    served.append(wrk(base + path, seconds, CONNECTIONS))
                    reference.append(wrk(static + path, seconds, CONNECTIONS))
                shop, ref = median_of(served), median_of(reference)
                rows.append({"request": name, "response_bytes": len(bodies[path]),
                             "shopbox": shop, "nginx": ref,
                             "ratio": shop["requests_per_second"] / ref["requests_per_second"]})
            return rows
        finally:
            stop(nginx)
    finally:
        stop(shopbox)
