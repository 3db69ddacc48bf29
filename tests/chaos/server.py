"""The shopbox process under test: started, killed with SIGKILL, restarted,
always on the same port and database so clients and data carry over. On
PostgreSQL several of them (replicas) share one database."""

import atexit
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

STAFF_EMAIL = "chaos-staff@shop.kr"
STAFF_PASSWORD = "chaos-staff-pass"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, binary, database, provider_url, log, name="server"):
        self.binary = binary
        self.database = database  # a database.Database
        self.name = name
        self.port = free_port()
        self.provider_url = provider_url
        self.log = log
        self.process = None
        self.starts = 0
        # Whatever ends the harness (a failed check, an exception), no server
        # outlives it.
        atexit.register(self._kill_if_running)

    def _kill_if_running(self):
        if self.process and self.process.poll() is None:
            self.kill()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def _command(self):
        settings = {
            "http.host": "127.0.0.1",
            "identity.password_hash_strength": "minimum",
            "identity.login_attempts_per_minute": "100000",
            "identity.registrations_per_minute": "100000",
            "identity.bootstrap_staff_email": STAFF_EMAIL,
            "payment.gateway": "http",
            "payment.http_url": self.provider_url,
            "payment.http_timeout_ms": "2000",
            # Injected outages must not open the breaker for everyone.
            "payment.breaker_failure_threshold": "1000",
            "payment.refund_backoff_seconds": "1",
            "order.recovery_interval_seconds": "1",
            "log.level": "warn",
        }
        command = [self.binary, "serve", "--port", str(self.port)]
        command += self.database.server_arguments()
        for key, value in settings.items():
            command += ["--set", f"{key}={value}"]
        return command

    def start(self, timeout=20.0):
        env = dict(os.environ, SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD=STAFF_PASSWORD)
        self.process = subprocess.Popen(self._command(), stdout=self.log, stderr=self.log, env=env)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start with "
                                   f"{self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not become ready; see {self.log.name}")

    def holds_lease(self):
        """Whether it says on /metrics that it runs the background work; no
        answer counts as no."""
        try:
            with urllib.request.urlopen(self.base + "/metrics", timeout=2) as answer:
                metrics = answer.read().decode()
        except OSError:
            return False
        return re.search(r"^shopbox_background_lease_held 1$", metrics, re.M) is not None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
                raise RuntimeError(f"{self.name} did not stop within 30 s of SIGTERM")
            if self.process.returncode != 0:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} on SIGTERM")
