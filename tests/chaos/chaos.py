#!/usr/bin/env python3
"""The chaos harness: concurrent customers and staff drive shopbox over HTTP
while it is killed with SIGKILL and restarted; once it has recovered and
drained, every answer it gave is held against the final state.

Usage: chaos.py SHOPBOX_BINARY [--duration S] [--concurrency N] [--kills K]
                [--seed N] [--keep DIR]
The seed fixes the workload and the kill schedule (threads still interleave
as the machine schedules them). Exit status 0 means zero violations.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import Checker, open_database, wait_until_settled  # noqa: E402
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
    options = parser.parse_args()
    if options.seed is None:
        options.seed = random.SystemRandom().randrange(1, 1 << 31)
    if options.concurrency < 2:
        parser.error("--concurrency must be at least 2 (one staff, one customer)")
    return options


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


def main():
    options = arguments()
    rng = random.Random(options.seed)
    workdir = options.keep or tempfile.mkdtemp(prefix="shopbox-chaos-")
    os.makedirs(workdir, exist_ok=True)
    log = open(os.path.join(workdir, "server.log"), "ab")
    provider = Provider(seed=options.seed)
    provider.start()
    server = Server(os.path.abspath(options.binary), workdir, provider.url, log)
    print(f"chaos: seed={options.seed} duration={options.duration}s "
          f"concurrency={options.concurrency} kills={options.kills} dir={workdir}", flush=True)
    started = time.monotonic()
    server.start()
    record = Record()
    staff_token, products, customers = set_up(server, record, options.concurrency - 1)

    stop = threading.Event()
    actors = [Staff("staff", Client(server.port, staff_token), record, products,
                    rng.randrange(1 << 30), stop)]
    actors += [Customer(name, Client(server.port, token), record, products,
                        rng.randrange(1 << 30), stop)
               for name, (token, _) in customers.items()]
    for actor in actors:
        actor.start()
    traffic_started = time.monotonic()
    for moment in kill_schedule(rng, options.duration, options.kills):
        time.sleep(max(0.0, traffic_started + moment - time.monotonic()))
        server.kill()
        server.start()
        print(f"chaos: kill {server.starts - 1} of {options.kills} at "
              f"{time.monotonic() - traffic_started:.1f}s", flush=True)
    time.sleep(max(0.0, traffic_started + options.duration - time.monotonic()))
    stop.set()
    for actor in actors:
        actor.join(timeout=60)

    left = wait_until_settled(server.database, options.settle_timeout)
    planted = plant_faults(server.database) if options.sabotage and not left else []
    staff = Client(server.port, staff_token)
    with open_database(server.database) as db:
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
    server.stop()
    provider.stop()
    log.close()

    violations = sum(len(v) for _, _, v in results)
    print_table(results, [
        ("seed", options.seed),
        ("kills", server.starts - 1),
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
    if failed:
        print(f"chaos: database and server log kept in {workdir}")
    elif not options.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
