"""Order placement on PostgreSQL (issue 9): one replica, then two replicas
on one database, beside the same load on SQLite, in one run. A private
cluster (scripts/pg-test-cluster.sh) runs first on the server's core (one
machine for everything), then on the load generator's core (a stand-in
for a database server of its own). On two cores the figures show what the
network database and the replicas' coordination cost, not how replicas on
more machines scale."""

import concurrent.futures
import os
import subprocess

from harness import LOAD_CORE, ROOT, SERVER_CORE, call, start_shopbox, stop, wrk
from order_placement import CONNECTIONS, SCRIPT, customer, customer_and_product

CLUSTER = os.path.join(ROOT, "scripts", "pg-test-cluster.sh")


class Cluster:
    """The private PostgreSQL cluster, pinned to `core`."""

    def __init__(self, work, core):
        self.state = os.path.join(work, "pg.conf")
        subprocess.run(["taskset", "-c", core, CLUSTER, "start", self.state], check=True)
        with open(self.state) as state:
            self.conninfo = next(line[len("conninfo="):].strip() for line in state
                                 if line.startswith("conninfo="))
        self.databases = 0

    def fresh_database(self):
        """A new, empty database on the cluster; its connection string."""
        self.databases += 1
        name = f"bench_{self.databases}"
        subprocess.run(["psql", self.conninfo, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        return self.conninfo.replace("dbname=postgres", f"dbname={name}")

    def stop(self):
        subprocess.run([CLUSTER, "stop", self.state], check=True)


def settings_for(url):
    return {"database.kind": "postgres", "database.url": url,
            "identity.password_hash_strength": "minimum"}


def load(bases, seconds, product):
    """The order load split over the replicas, one wrk and one customer
    each (their Idempotency-Keys would meet otherwise), run together."""
    each = CONNECTIONS // len(bases)
    tokens = [customer(base, f"buyer-{n}") for n, base in enumerate(bases)]
    with concurrent.futures.ThreadPoolExecutor(len(bases)) as pool:
        samples = list(pool.map(
            lambda job: wrk(job[0] + "/api/v1/orders", seconds, each, SCRIPT, (job[1], product)),
            zip(bases, tokens)))
    return {"requests_per_second": sum(s["requests_per_second"] for s in samples),
            "p50_ms": max(s["p50_ms"] for s in samples),
            "p99_ms": max(s["p99_ms"] for s in samples)}


def replicas_run(binary, work, seconds, cluster, replicas):
    settings = settings_for(cluster.fresh_database())
    servers = [start_shopbox(binary, work, settings) for _ in range(replicas)]
    try:
        _, product = customer_and_product(servers[0][1])
        return load([base for _, base in servers], seconds, product)
    finally:
        for process, _ in servers:
            stop(process)


def sqlite_run(binary, work, seconds):
    process, base = start_shopbox(binary, work, {"identity.password_hash_strength": "minimum"})
    try:
        _, product = customer_and_product(base)
        return load([base], seconds, product)
    finally:
        stop(process)


def postgres_orders(binary, work, runs, seconds, median_of):
    rows = [{"store": "sqlite (full)",
             **median_of([sqlite_run(binary, work, seconds) for _ in range(runs)])}]
    for core, where in ((SERVER_CORE, "on the server's core"), (LOAD_CORE, "on a core of its own")):
        cluster = Cluster(work, core)
        try:
            for replicas in (1, 2):
                samples = [replicas_run(binary, work, seconds, cluster, replicas)
                           for _ in range(runs)]
                rows.append({"store": f"postgres {where}, {replicas} "
                                      f"replica{'s' if replicas > 1 else ''}",
                             **median_of(samples)})
        finally:
            cluster.stop()
    return rows
