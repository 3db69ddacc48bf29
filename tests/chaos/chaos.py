#!/usr/bin/env python3
"""The chaos harness: concurrent customers and staff drive shopbox over HTTP
while it is killed with SIGKILL and restarted; once it has recovered and
drained, every answer it gave is held against the final state.

Usage: chaos.py SHOPBOX_BINARY [--duration S] [--concurrency N] [--kills K]
                [--seed N] [--keep DIR] [--postgres [--replicas N]]
The seed fixes the workload and the kill schedule (threads still interleave
as the machine schedules them). Exit status 0 means zero violations.

With --postgres the state lives in a private PostgreSQL cluster
(scripts/pg-test-cluster.sh, stopped at exit whatever happens) shared by
two replicas on their own ports; the clients are spread over them, and each
kill hits one replica, chosen by the seed, restarted on its port. A run of
four kills or more must have killed the background lease's holder at least
once, or it never tried the lease's hand-over.
"""

import argparse
import atexit
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from checks import Checker, open_database, wait_until_settled  # noqa: E402
from database import Database  # noqa: E402
from provider import Provider  # noqa: E402
from sabotage import plant_faults  # noqa: E402
from server import STAFF_EMAIL, STAFF_PASSWORD, Server  # noqa: E402
from workload import Client, Customer, Record, Staff  # noqa: E402

PRODUCTS = 6
INITIAL_STOCK = 300


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--duration", type=float, default=60, help="seconds of traffic")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs during the traffic")
    parser.add_argument("--seed", type=int, default=None, help="replays a run (default: random)")
    parser.add_argument("--settle-timeout", type=float, default=120,
                        help="seconds allowed to recover and drain at the end")
    parser.add_argument("--keep", help="keep the database and server log in this directory")
    parser.add_argument("--sabotage", action="store_true",
                        help="plant one fault per check before checking: passes only when "
                             "every check reports its fault")
    parser.add_argument("--postgres", action="store_true",
                        help="replicas on a private PostgreSQL cluster instead of one server "
                             "on a SQLite file")
    parser.add_argument("--replicas", type=int, default=None,
                        help="servers sharing the database (with --postgres; default 2)")
    options = parser.parse_args()
    if options.seed is None:
        options.seed = random.SystemRandom().randrange(1, 1 << 31)
    if options.concurrency < 2:
        parser.error("--concurrency must be at least 2 (one staff, one customer)")
    if options.replicas is None:
        options.replicas = 2 if options.postgres else 1
    if options.replicas < 1 or (options.replicas > 1 and not options.postgres):
        parser.error("--replicas: one server on SQLite, one or more with --postgres")
    return options


def ensure_psycopg2():
    """psycopg2 comes from Debian's python3-psycopg2, installed for Debian's
    own /usr/bin/python3: under another python3 (pyenv, a venv) without it,
    the harness runs again under Debian's."""
    try:
        import psycopg2  # noqa: F401
        return
    except ImportError:
        pass
    debian = "/usr/bin/python3"
    if (os.path.realpath(sys.executable) != os.path.realpath(debian) and os.access(debian, os.X_OK)
            and subprocess.run([debian, "-c", "import psycopg2"],
                               stderr=subprocess.DEVNULL).returncode == 0):
        sys.stdout.flush()
        os.execv(debian, [debian, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    sys.exit("chaos: --postgres needs psycopg2: Debian's python3-psycopg2 (make test-deps)")


class Cluster:
    """A private PostgreSQL cluster for one run, stopped at exit whatever
    happens (an exception, SIGTERM, Ctrl-C; not SIGKILL)."""

    SCRIPT = os.path.join(HERE, "..", "..", "scripts", "pg-test-cluster.sh")

    def __init__(self, workdir):
        self.state = os.path.join(workdir, "pg-cluster.conf")
        self.conninfo = None

    def start(self):
        atexit.register(self.stop)
        subprocess.run([self.SCRIPT, "start", self.state], check=True)
        with open(self.state) as state:
            for line in state:
                if line.startswith("conninfo="):
                    self.conninfo = line[len("conninfo="):].strip()
        return Database.postgres(self.conninfo)

    def dump(self, path):
        """The final state, kept as SQL for a failed run."""
        tools = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
        if tools and self.conninfo:
            subprocess.run([tools[-1], "--dbname", self.conninfo, "--file", path], check=False)

    def stop(self):
        subprocess.run([self.SCRIPT, "stop", self.state], check=False)


def expect(client, status, method, path, body=None):
    answer, data = client.call(method, path, body)
    if answer != status:
        raise RuntimeError(f"{method} {path}: expected {status}, got {answer}: {data[:300]!r}")
    return json.loads(data)


def sign_in(port, email, password):
    session = expect(Client(port), 201, "POST", "/sessions", {"email": email, "password": password})
    return session["token"], session["user"]["id"]


def set_up(server, record, customers_wanted):
    staff_token, _ = sign_in(server.port, STAFF_EMAIL, STAFF_PASSWORD)
    staff = Client(server.port, staff_token)
    products = []
    for n in range(PRODUCTS):
        product = expect(staff, 201, "POST", "/products", {
            "sku": f"CHAOS-{n}", "name": f"Chaos item {n}",
            "price": {"amount": 1000 * (n + 1), "currency": "KRW"}})
        products.append(product["id"])
        with record.lock:
            record.restocks_sent[product["id"]][INITIAL_STOCK] += 1
        expect(staff, 200, "POST", f"/stock/{product['id']}/restock", {"quantity": INITIAL_STOCK})
        with record.lock:
            record.restocks_acked[product["id"]][INITIAL_STOCK] += 1
    customers = {}
    for n in range(customers_wanted):
        email = f"customer{n}@chaos.kr"
        expect(Client(server.port), 201, "POST", "/users",
               {"email": email, "name": f"Customer {n}", "password": "customer-pass"})
        token, user_id = sign_in(server.port, email, "customer-pass")
        customers[f"c{n}"] = (token, user_id)
    return staff_token, products, customers


def kill_schedule(rng, duration, kills):
    """Kill times spread over the run, each jittered within its slot."""
    slot = duration / (kills + 1)
    return [slot * (k + 1) + rng.uniform(-slot / 3, slot / 3) for k in range(kills)]


def print_table(results, facts):
    print()
    for name, value in facts:
        print(f"{name:>24}: {value}")
    print()
    width = max(len(name) for name, _, _ in results)
    print(f"{'check':<{width}}  {'checked':>8}  {'violations':>10}")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 10}")
    for name, checked, violations in results:
        print(f"{name:<{width}}  {checked:>8}  {len(violations):>10}")
    for name, _, violations in results:
        for violation in violations[:20]:
            print(f"  VIOLATION ({name}): {violation}")
        if len(violations) > 20:
            print(f"  ... and {len(violations) - 20} more")


def sabotage_verdict(results, planted, left):
    """True when the sabotage run failed: a planted fault went unreported."""
    caught = {name for name, _, violations in results if violations}
    missed = [name for name in planted if name not in caught]
    for name in planted:
        print(f"sabotage: {'caught ' if name in caught else 'MISSED'}  {name}")
    if left or not planted or missed:
        print(f"chaos: sabotage run failed: {len(missed)} planted faults missed, unsettled: {left}")
        return True
    print(f"chaos: every one of {len(planted)} planted faults was reported")
    return False


def stop_servers(servers):
    """SIGTERM to each: every one must still run and exit 0."""
    problems = []
    for server in servers:
        if server.process.poll() is not None:
            problems.append(f"{server.name} exited by itself with {server.process.returncode}")
            continue
        try:
            server.stop()
        except RuntimeError as error:
            problems.append(str(error))
    return problems


def main():
    options = arguments()
    if options.postgres:
        ensure_psycopg2()
    # SIGTERM (a CTest timeout, a CI cancel) ends the run through atexit:
    # no server or cluster outlives it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    rng = random.Random(options.seed)
    workdir = options.keep or tempfile.mkdtemp(prefix="shopbox-chaos-")
    os.makedirs(workdir, exist_ok=True)
    cluster = None
    if options.postgres:
        cluster = Cluster(workdir)
        database = cluster.start()
    else:
        database = Database.sqlite(os.path.join(workdir, "shop.db"))
    provider = Provider(seed=options.seed)
    provider.start()
    logs = []
    servers = []
    for n in range(options.replicas):
        name = "server" if options.replicas == 1 else f"replica-{n + 1}"
        logs.append(open(os.path.join(workdir, f"{name}.log"), "ab"))
        servers.append(Server(os.path.abspath(options.binary), database, provider.url, logs[-1],
                              name))
    print(f"chaos: seed={options.seed} duration={options.duration}s "
          f"concurrency={options.concurrency} kills={options.kills} database={database.kind} "
          f"servers={len(servers)} dir={workdir}", flush=True)
    started = time.monotonic()
    # One after the other: the first applies the migrations and creates the
    # staff user.
    for server in servers:
        server.start()
    record = Record()
    staff_token, products, customers = set_up(servers[0], record, options.concurrency - 1)

    stop = threading.Event()
    # The clients spread over the servers: the staff on the first.
    ports = [server.port for server in servers]
    actors = [Staff("staff", Client(ports[0], staff_token), record, products,
                    rng.randrange(1 << 30), stop)]
    actors += [Customer(name, Client(ports[(n + 1) % len(ports)], token), record, products,
                        rng.randrange(1 << 30), stop)
               for n, (name, (token, _)) in enumerate(customers.items())]
    for actor in actors:
        actor.start()
    traffic_started = time.monotonic()
    kills = 0
    holder_kills = 0
    for moment in kill_schedule(rng, options.duration, options.kills):
        time.sleep(max(0.0, traffic_started + moment - time.monotonic()))
        victim = rng.choice(servers) if len(servers) > 1 else servers[0]
        holder = len(servers) > 1 and victim.holds_lease()
        victim.kill()
        victim.start()
        kills += 1
        holder_kills += holder
        which = (f" ({victim.name}{', the lease holder' if holder else ''})"
                 if len(servers) > 1 else "")
        print(f"chaos: kill {kills} of {options.kills}{which} at "
              f"{time.monotonic() - traffic_started:.1f}s", flush=True)
    time.sleep(max(0.0, traffic_started + options.duration - time.monotonic()))
    stop.set()
    for actor in actors:
        actor.join(timeout=60)

    left = wait_until_settled(database, options.settle_timeout)
    planted = plant_faults(database) if options.sabotage and not left else []
    staff = Client(servers[0].port, staff_token)
    with open_database(database) as db:
        checker = Checker(db, record, provider.ledger,
                          {name: user for name, (_, user) in customers.items()},
                          lambda path: expect(staff, 200, "GET", path))
        results = checker.run()
        orders_by_status = dict(db.execute(
            "SELECT status, count(*) FROM order_orders GROUP BY status ORDER BY status").fetchall())
    results.append(("clients ran without errors", len(actors),
                    [actor.error for actor in actors if actor.error]))
    if left:
        results.append(("settled within the timeout", 1, [f"still {left}"]))
    if len(servers) > 1 and kills >= 4:
        results.append(("a kill hit the lease holder", kills,
                        [] if holder_kills else [f"none of the {kills} kills did: the lease's "
                                                 "hand-over went untried"]))
    results.append(("servers ran to the end, exit 0 on SIGTERM", len(servers),
                    stop_servers(servers)))
    provider.stop()
    for log in logs:
        log.close()

    violations = sum(len(v) for _, _, v in results)
    facts = [
        ("seed", options.seed),
        ("database", f"{database.kind}, {len(servers)} "
                     f"{'replicas' if len(servers) > 1 else 'server'}"),
        ("kills", kills),
    ]
    if len(servers) > 1:
        facts.append(("kills by replica", {s.name: s.starts - 1 for s in servers}))
        facts.append(("kills of the lease holder", holder_kills))
    print_table(results, facts + [
        ("requests answered", sum(record.statuses.values())),
        ("answers by status", dict(sorted(record.statuses.items()))),
        ("requests cut off", record.lost),
        ("orders by status", orders_by_status),
        ("provider answers lost", provider.ledger.lost_answers),
        ("idempotent replays", record.replays),
        ("wall time", f"{time.monotonic() - started:.0f}s"),
    ])
    if options.sabotage:
        failed = sabotage_verdict(results, planted, left)
    else:
        print(f"\nchaos: {violations} violations (seed {options.seed})")
        failed = violations > 0
    if cluster:
        if failed or options.keep:
            cluster.dump(os.path.join(workdir, "shop.sql"))
        cluster.stop()
    if failed:
        print(f"chaos: database{' (dumped to shop.sql)' if cluster else ''} and server logs "
              f"kept in {workdir}")
    elif not options.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
