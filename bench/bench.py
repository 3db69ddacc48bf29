#!/usr/bin/env python3
"""make bench: shopbox measured beside this machine's own limits, in one run.

The server is pinned to core 0 and the load generator to core 1; every
figure is the median of --runs runs. Results go to bench/results/ as
<date>-<commit>.md and .json.

Sections: catalog reads against nginx serving the same bytes; order
placement end to end with synchronous FULL and NORMAL (projection lag and
resident memory included); the storage limit (the same writes without
HTTP); the Kafka mode's event throughput on the mock cluster; orders on
PostgreSQL with one and two replicas beside SQLite; growth
to a million products and orders, start-up and memory there.
The growth section seeds its databases once (about 6 minutes, 19 GB under
.cache/bench/) and needs 16 GB more while it runs; --skip-growth leaves it out.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from catalog_reads import catalog_reads  # noqa: E402
from event_throughput import event_throughput  # noqa: E402
from harness import ROOT, build  # noqa: E402
from growth import growth  # noqa: E402
from order_placement import order_placement  # noqa: E402
from postgres_orders import postgres_orders  # noqa: E402
from storage_limit import storage_limit  # noqa: E402
from targets import target_lines  # noqa: E402



def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build-release"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15, help="per wrk run")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    return parser.parse_args()


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpu": model, "cores": os.cpu_count(), "kernel": platform.release()}


def commit():
    return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip() or "unknown"


def median_of(samples):
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def write_results(results):
    folder = os.path.join(ROOT, "bench", "results")
    os.makedirs(folder, exist_ok=True)
    stem = os.path.join(folder, f"{results['date']}-{results['commit']}")
    with open(stem + ".json", "w") as out:
        json.dump(results, out, indent=2)
    lines = [f"# shopbox bench, {results['date']}, commit {results['commit']}", "",
             f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
             f"kernel {results['machine']['kernel']}. Server on core 0, load on core 1; "
             f"medians of {results['runs']} runs of {results['seconds']} s.", "",
             *target_lines(results),
             "## Catalog reads (wrk, 64 connections, keep-alive)", "",
             "| request | shopbox req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms "
             "| shopbox / nginx |",
             "|---|---|---|---|---|---|---|---|"]
    for row in results["catalog_reads"]:
        s, n = row["shopbox"], row["nginx"]
        lines.append(f"| `{row['request']}` | {s['requests_per_second']:.0f} | {s['p50_ms']:.2f} "
                     f"| {s['p99_ms']:.2f} | {n['requests_per_second']:.0f} | {n['p50_ms']:.2f} "
                     f"| {n['p99_ms']:.2f} | {row['ratio']:.0%} |")
    lines += ["", "## Order placement (wrk, 32 connections, a new Idempotency-Key each)", "",
              "| synchronous | orders/s | p50 ms | p99 ms | projection lag p50 / p99 ms "
              "| RSS idle MiB | RSS peak MiB |",
              "|---|---|---|---|---|---|---|"]
    for row in results["order_placement"]:
        lines.append(f"| {row['synchronous']} | {row['requests_per_second']:.0f} "
                     f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
                     f"| {row['lag_p50_ms']:.0f} / {row['lag_p99_ms']:.0f} "
                     f"| {row['rss_idle_mib']:.1f} | {row['rss_peak_mib']:.1f} |")
    lines += ["", "## The storage limit (bench/storage_limit.cpp: the same writes, no HTTP)", "",
              "| synchronous | orders/s | shopbox / limit |", "|---|---|---|"]
    for limit, placed in zip(results["storage_limit"], results["order_placement"]):
        lines.append(f"| {limit['synchronous']} | {limit['orders_per_second']:.0f} "
                     f"| {placed['requests_per_second'] / limit['orders_per_second']:.0%} |")
    events = results["event_throughput"]
    lines += ["", "## Events on Kafka (bench/event_throughput.cpp: outbox to consumer, mock cluster)",
              "", "| bus | events/s |", "|---|---|",
              f"| Kafka, outbox to consumer group | {events['kafka_events_per_second']:.0f} |",
              f"| Kafka, outbox to acknowledged | {events['kafka_publish_events_per_second']:.0f} |",
              f"| in-process, outbox to handler | {events['inprocess_events_per_second']:.0f} |"]
    lines += ["", "## Orders on PostgreSQL (bench/postgres_orders.py)", "", "| store | orders/s | p50 ms | p99 ms |", "|---|---|---|---|"]
    for row in results["postgres_orders"]:
        lines.append(f"| {row['store']} | {row['requests_per_second']:.0f} | {row['p50_ms']:.2f} "
                     f"| {row['p99_ms']:.2f} |")
    if results.get("growth"):
        lines += growth_lines(results["growth"])
    with open(stem + ".md", "w") as out:
        out.write("\n".join(lines) + "\n")
    return stem + ".md"


def growth_lines(grown):
    lines = ["", "## Growth (wrk, 64 connections, 10,000 rotating paths)", "",
             "| request | products | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    for row in grown["catalog"]:
        lines.append(f"| `{row['request']}` | {row['products']:,} | "
                     f"{row['requests_per_second']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} |")
    lines += ["", "| request | p50 1M / 1k | p99 1M / 1k | req/s 1M / 1k |", "|---|---|---|---|"]
    for row in grown["catalog_ratios"]:
        lines.append(f"| `{row['request']}` | {row['p50_ratio']:.2f} | {row['p99_ratio']:.2f} "
                     f"| {row['throughput_ratio']:.2f} |")
    orders, start = grown["orders"], grown["start_up"]
    lines += ["", f"Orders (synchronous full): {orders['empty']['requests_per_second']:.0f}/s on an "
              f"empty database, {orders['existing']['requests_per_second']:.0f}/s with "
              f"{orders['existing_orders']:,} orders ({orders['ratio']:.0%}).",
              f"Start-up to ready: {start['empty']['ready_ms']:.0f} ms empty, "
              f"{start['existing']['ready_ms']:.0f} ms with those orders.",
              f"Resident memory with those orders: {grown['memory']['idle_mib']:.1f} MiB idle, "
              f"{grown['memory']['peak_under_order_load_mib']:.1f} MiB at the peak of the order load."]
    return lines


def main():
    options = arguments()
    for tool in ("wrk", "nginx", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (make bench installs it)")
    if not options.skip_build:
        build(options.build_dir, "shopbox")
    binary = os.path.join(options.build_dir, "shopbox")
    work = tempfile.mkdtemp(prefix="shopbox-bench-")
    try:
        reads = catalog_reads(binary, work, options.runs, options.seconds, median_of)
        orders = order_placement(binary, work, options.runs, options.seconds, median_of)
        limit = storage_limit(options.build_dir, work, options.runs, options.seconds, median_of)
        events = event_throughput(options.build_dir, options.runs, median_of)
        on_postgres = postgres_orders(binary, work, options.runs, options.seconds, median_of)
        grown = None if options.skip_growth else growth(binary, work, options.runs,
                                                        options.seconds, median_of)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"date": datetime.date.today().isoformat(), "commit": commit(),
               "machine": machine(), "runs": options.runs, "seconds": options.seconds,
               "catalog_reads": reads, "order_placement": orders, "storage_limit": limit,
               "event_throughput": events, "postgres_orders": on_postgres, "growth": grown}
    path = write_results(results)
    with open(path) as report:
        print(report.read())
    print(f"bench: written to {path} and .json")


if __name__ == "__main__":
    main()
