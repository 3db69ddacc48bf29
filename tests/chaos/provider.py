"""A payment provider outside shopbox's process, so that it outlives every
SIGKILL and keeps the ledger the harness checks money against.

It speaks the protocol of shopbox's http gateway: POST /charges and
POST /refunds with an idempotency key; one key, one decision, whatever the
number of calls. Tokens: tok_ok approves, tok_decline declines, tok_error
answers 503, tok_slow approves after a pause (a wider window for a kill).
A small share of approvals is taken and then the connection dropped before
the answer: the charge happened, shopbox cannot know, and must find out.
"""

import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Ledger:
    def __init__(self, seed, lost_answer_rate):
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.lost_answer_rate = lost_answer_rate
        self.decisions = {}  # idempotency key -> decision
        self.references = 0
        self.lost_answers = 0

    def _reference(self, prefix):
        self.references += 1
        return f"{prefix}{self.references}"

    def charge(self, key, amount, token):
        with self.lock:
            if key in self.decisions:
                return self.decisions[key], False
            if token == "tok_error":
                return None, False
            if token in ("tok_ok", "tok_slow"):
                decision = {"kind": "charge", "key": key, "status": "approved",
                            "reference": self._reference("ch_"), "amount": amount,
                            "refunded_by": None}
            else:
                decision = {"kind": "charge", "key": key, "status": "declined",
                            "reference": "", "amount": amount, "message": "card declined"}
            self.decisions[key] = decision
            lose = decision["status"] == "approved" and self.random.random() < self.lost_answer_rate
            if lose:
                self.lost_answers += 1
            return decision, lose

    def refund(self, key, amount, charge_reference):
        with self.lock:
            if key in self.decisions:
                return self.decisions[key]
            charge = next((d for d in self.decisions.values()
                           if d["kind"] == "charge" and d["reference"] == charge_reference
                           and d["status"] == "approved"), None)
            decision = {"kind": "refund", "key": key, "amount": amount,
                        "charge_reference": charge_reference}
            if charge is None or charge["amount"] != amount or charge["refunded_by"]:
                decision.update(status="declined", reference="", message="refund refused")
            else:
                decision.update(status="approved", reference=self._reference("re_"))
                charge["refunded_by"] = key
            self.decisions[key] = decision
            return decision

    def snapshot(self):
        with self.lock:
            return [dict(d) for d in self.decisions.values()]


def _handler(ledger):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _answer(self, status, document):
            body = json.dumps(document).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                self.close_connection = True  # shopbox died mid-request: the answer is lost

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            try:
                request = json.loads(self.rfile.read(length))
                key = request["idempotency_key"]
                amount = request["amount"]
            except (ValueError, KeyError, TypeError):
                self._answer(400, {"status": "error", "message": "malformed request"})
                return
            if self.path.endswith("/charges"):
                token = request.get("token", "")
                if token == "tok_slow":
                    time.sleep(0.3)
                decision, lose = ledger.charge(key, amount, token)
                if decision is None:
                    self._answer(503, {"status": "error", "message": "injected outage"})
                    return
                if lose:
                    self.close_connection = True
                    return
            elif self.path.endswith("/refunds"):
                decision = ledger.refund(key, amount, request.get("charge_reference", ""))
            else:
                self._answer(404, {"status": "error", "message": "no such resource"})
                return
            self._answer(200, {"status": decision["status"], "reference": decision["reference"],
                               "message": decision.get("message", "")})

    return Handler


class Provider:
    def __init__(self, seed, lost_answer_rate=0.02):
        self.ledger = Ledger(seed, lost_answer_rate)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.ledger))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
