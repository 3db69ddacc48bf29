"""The storage limit: the database writes shopbox makes for each order, with
its own stores and relay but no HTTP, in a tight loop (bench/storage_limit.cpp),
with synchronous FULL and NORMAL."""

import json
import os
import shutil
import subprocess
import tempfile

from harness import SERVER_CORE, build

TARGET = "storage_limit"


def run_once(program, work, synchronous, seconds):
    """One run on the server's core, on a file of its own, removed after."""
    folder = tempfile.mkdtemp(prefix="storage-limit-", dir=work)
    try:
        run = subprocess.run(["taskset", "-c", SERVER_CORE, program,
                              "--database", os.path.join(folder, "shop.db"),
                              "--synchronous", synchronous, "--seconds", str(seconds)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"{TARGET} failed ({run.returncode}): {run.stderr.strip()}")
        return {"orders_per_second": json.loads(run.stdout)["orders_per_second"]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def storage_limit(build_dir, work, runs, seconds, median_of):
    build(build_dir, TARGET)
    program = os.path.join(build_dir, "bench", TARGET)
    rows = []
    for synchronous in ("full", "normal"):
        samples = [run_once(program, work, synchronous, seconds) for _ in range(runs)]
        rows.append({"synchronous": synchronous, **median_of(samples)})
    return rows
