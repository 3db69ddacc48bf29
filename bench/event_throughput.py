"""The Kafka mode's event throughput: events from an outbox through the real
relay and producer to a consumer group on the mock cluster
(bench/event_throughput.cpp), beside the same relay on the in-process bus."""

import json
import os
import subprocess

from harness import SERVER_CORE, build

TARGET = "event_throughput"


def run_once(program, events):
    """One run on the server's core: the mock brokers share it, as `shopbox
    dev kafka` would share a small machine."""
    run = subprocess.run(["taskset", "-c", SERVER_CORE, program, "--events", str(events)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"{TARGET} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return json.loads(run.stdout)


def event_throughput(build_dir, runs, median_of, events=50_000):
    build(build_dir, TARGET)
    program = os.path.join(build_dir, "bench", TARGET)
    return median_of([run_once(program, events) for _ in range(runs)])
