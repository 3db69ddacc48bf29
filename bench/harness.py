"""What every bench section needs: free ports, a pinned shopbox, wrk."""

import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request

SERVER_CORE = "0"
LOAD_CORE = "1"
STAFF_EMAIL = "bench@shop.kr"
STAFF_PASSWORD = "bench-staff-pass"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(build_dir, target):
    """A Release build of `target`, one build at a time on this machine."""
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release"], check=True)
    subprocess.run(["flock", "/tmp/shopbox-build.lock", "cmake", "--build", build_dir, "-j2",
                    "--target", target], check=True)


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
    """Waits for the server to answer; kills it when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.005)  # fine enough to time a start-up
    process.kill()
    process.wait()
    raise RuntimeError(f"{url} did not answer")


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, seconds, connections, script=None, script_args=(), timeout=None):
    """One wrk run on the load core; refuses a run with any non-2xx answer.
    Answers slower than `timeout` s (wrk's default: 2) count as timeouts,
    not in the latencies."""
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
               "--latency"]
    if timeout:
        command.append(f"--timeout={timeout}s")
    if script:
        command += ["-s", script]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} answers were not 2xx")
    return {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50_ms": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
            "p99_ms": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))}


def start_shopbox(binary, work, settings=None, database=None):
    """shopbox on core 0 with a staff user, on `database` or else a fresh file."""
    port = free_port()
    env = dict(os.environ, SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD=STAFF_PASSWORD)
    command = ["taskset", "-c", SERVER_CORE, binary, "serve", "--port", str(port),
               "--database", database or os.path.join(work, f"shop-{port}.db")]
    all_settings = {"http.host": "127.0.0.1", "log.level": "error",
                    "identity.bootstrap_staff_email": STAFF_EMAIL, **(settings or {})}
    for key, value in all_settings.items():
        command += ["--set", f"{key}={value}"]
    log = open(os.path.join(work, f"shopbox-{port}.log"), "wb")
    process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base + "/health/ready", process)
    return process, base


def staff_token(base):
    session = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}))
    return session["token"]


def rss_mib(process):
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class PeakMemory:
    """Samples a process's resident memory every 0.2 s while in use."""

    def __init__(self, process):
        self.process = process
        self.peak = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self.done.wait(0.2):
            self.peak = max(self.peak, rss_mib(self.process))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def stop(process):
    process.terminate()
    process.wait(timeout=30)
