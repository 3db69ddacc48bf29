"""Catalog reads: shopbox against nginx serving the very same response
bytes as static files, the HTTP reference of this machine."""

import json
import os
import re
import socket
import subprocess
import time
import urllib.request

SERVER_CORE = "0"
LOAD_CORE = "1"
CONNECTIONS = 64
STAFF_EMAIL = "bench@shop.kr"
STAFF_PASSWORD = "bench-staff-pass"
PRODUCTS = 50


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read()


def wait_ready(url, process, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, seconds):
    output = subprocess.run(
        ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s",
         "--latency", url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} answers were not 2xx")
    return {"requests_per_second": rate, "p50_ms": p50, "p99_ms": p99}


def start_shopbox(binary, work):
    port = free_port()
    env = dict(os.environ, SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD=STAFF_PASSWORD)
    log = open(os.path.join(work, "shopbox.log"), "wb")
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, binary, "serve", "--port", str(port),
         "--database", os.path.join(work, "shop.db"), "--set", "http.host=127.0.0.1",
         "--set", "log.level=error", "--set", f"identity.bootstrap_staff_email={STAFF_EMAIL}"],
        stdout=log, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base + "/health/ready", process)
    return process, base


def seed(base):
    session = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}))
    ids = []
    for n in range(PRODUCTS):
        product = json.loads(call(base, "POST", "/api/v1/products", {
            "sku": f"BENCH-{n:03}", "name": f"Bench item {n}", "description": "for the bench",
            "price": {"amount": 1000 + n, "currency": "KRW"}, "category": "bench"},
            session["token"]))
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


def stop(process):
    process.terminate()
    process.wait(timeout=30)


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
                    served.append(wrk(base + path, seconds))
                    reference.append(wrk(static + path, seconds))
                shop, ref = median_of(served), median_of(reference)
                rows.append({"request": name, "response_bytes": len(bodies[path]),
                             "shopbox": shop, "nginx": ref,
                             "ratio": shop["requests_per_second"] / ref["requests_per_second"]})
            return rows
        finally:
            stop(nginx)
    finally:
        stop(shopbox)
