"""Customers and staff driving shopbox over HTTP while it is being killed,
and the record of what each request was answered: the harness later holds
the final state to every answer that promised something (a 2xx)."""

import collections
import http.client
import json
import random
import threading
import time

DELIVERY_PATH = ["REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]
ADDRESS = {"name": "Kim", "line1": "1 Sejong-daero", "city": "Seoul",
           "postal_code": "04524", "phone": "010-0000-0000"}
# Mostly approvals; declines, provider outages and slow approvals to take
# every branch of the saga while kills land.
TOKENS = ["tok_ok"] * 14 + ["tok_slow"] * 2 + ["tok_decline", "tok_error"]


class ConnectionLost(Exception):
    """No answer: the server is down, restarting, or died mid-request."""


class Client:
    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.connection = None

    def call(self, method, path, body=None, headers=None):
        all_headers = {"Content-Type": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        payload = None if body is None else (body if isinstance(body, str) else json.dumps(body))
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            self.connection.request(method, "/api/v1" + path, payload, all_headers)
            answer = self.connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise ConnectionLost(str(error)) from error
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        return answer.status, data

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Record:
    """Everything sent and every answer, shared by all actors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}  # idempotency key -> {"customer", "answers": [(status, order_id)]}
        self.replays = 0
        self.replay_mismatches = []
        self.cancels_acked = set()
        self.restocks_sent = collections.defaultdict(collections.Counter)
        self.restocks_acked = collections.defaultdict(collections.Counter)
        self.takes_sent = collections.Counter()
        self.takes_acked = collections.Counter()
        self.deliveries_acked = {}  # delivery id -> furthest status index acknowledged
        self.statuses = collections.Counter()
        self.server_errors = []  # any 5xx other than 503: never acceptable
        self.lost = 0

    def answer(self, method, path, status, data):
        with self.lock:
            self.statuses[status] += 1
            if status >= 500 and status != 503:
                self.server_errors.append(f"{method} {path} -> {status}: {data[:200]!r}")


class Actor(threading.Thread):
    def __init__(self, name, client, record, products, seed, stop):
        super().__init__(name=name, daemon=True)
        self.client = client
        self.record = record
        self.products = products
        self.random = random.Random(seed)
        self.stop = stop
        self.error = None

    def call(self, method, path, body=None, headers=None):
        try:
            status, data = self.client.call(method, path, body, headers)
        except ConnectionLost:
            with self.record.lock:
                self.record.lost += 1
            time.sleep(0.05)
            raise
        self.record.answer(method, path, status, data)
        return status, data

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    self.step()
                except ConnectionLost:
                    pass
        except Exception as error:  # reported by the harness as a violation
            self.error = f"{self.name}: {error!r}"


class Customer(Actor):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placed = 0
        self.acked_paid = []

    def step(self):
        roll = self.random.random()
        if roll < 0.65 or not self.acked_paid:
            self.place()
        elif roll < 0.85:
            self.cancel()
        else:
            self.read()

    def place(self):
        self.placed += 1
        key = f"{self.name}-{self.placed}"
        lines = self.random.sample(self.products, self.random.randint(1, 2))
        body = json.dumps({
            "items": [{"product_id": p, "quantity": self.random.randint(1, 3)} for p in lines],
            "delivery_address": ADDRESS,
            "payment": {"method": "card", "token": self.random.choice(TOKENS)}})
        with self.record.lock:
            self.record.orders[key] = {"customer": self.name, "answers": []}
        # A lost answer is retried with the same key, as a careful client
        # would: the server must answer it from the first attempt.
        for _ in range(4):
            try:
                status, data = self.call("POST", "/orders", body, {"Idempotency-Key": key})
            except ConnectionLost:
                if self.stop.is_set():
                    return
                time.sleep(0.3)
                continue
            if status == 409 and b"request_in_progress" in data:
                time.sleep(0.5)
                continue
            self.remember(key, status, data)
            if status in (201, 202, 402) and self.random.random() < 0.1:
                self.replay(key, body, status, data)
            return

    def remember(self, key, status, data):
        order_id = None
        if status in (201, 202):
            order_id = json.loads(data)["id"]
        elif status == 402:
            order_id = json.loads(data)["order"]["id"]
        with self.record.lock:
            self.record.orders[key]["answers"].append((status, order_id))
        if status == 201:
            self.acked_paid.append(order_id)

    def replay(self, key, body, status, data):
        again_status, again = self.call("POST", "/orders", body, {"Idempotency-Key": key})
        with self.record.lock:
            self.record.replays += 1
            if (again_status, again) != (status, data):
                self.record.replay_mismatches.append(
                    f"{key}: {status} then {again_status}: {again[:200]!r}")

    def cancel(self):
        order_id = self.acked_paid.pop(self.random.randrange(len(self.acked_paid)))
        status, _ = self.call("POST", f"/orders/{order_id}/cancel", {"reason": "chaos"})
        if status == 200:
            with self.record.lock:
                self.record.cancels_acked.add(order_id)

    def read(self):
        order_id = self.random.choice(self.acked_paid)
        status, data = self.call("GET", f"/orders/{order_id}")
        if status not in (200, 503):
            raise AssertionError(f"GET /orders/{order_id} answered {status}: {data[:200]!r}")


class Staff(Actor):
    def step(self):
        roll = self.random.random()
        if roll < 0.3:
            self.restock()
        elif roll < 0.45:
            self.take_stock()
        else:
            self.advance_delivery()

    def restock(self, product=None, quantity=None):
        product = product or self.random.choice(self.products)
        quantity = quantity or self.random.randint(1, 30)
        with self.record.lock:
            self.record.restocks_sent[product][quantity] += 1
        status, _ = self.call("POST", f"/stock/{product}/restock", {"quantity": quantity})
        if status == 200:
            with self.record.lock:
                self.record.restocks_acked[product][quantity] += 1

    def take_stock(self):
        product = self.random.choice(self.products)
        status, data = self.call("GET", f"/stock/{product}")
        if status != 200:
            return
        level = json.loads(data)
        counted = max(level["reserved"], level["on_hand"] + self.random.choice([-3, -1, 2, 5]))
        if counted == level["on_hand"]:
            return
        with self.record.lock:
            self.record.takes_sent[product] += 1
        status, _ = self.call("PUT", f"/stock/{product}",
                              {"expected_on_hand": level["on_hand"], "on_hand": counted})
        if status == 200:
            with self.record.lock:
                self.record.takes_acked[product] += 1

    def advance_delivery(self):
        status, data = self.call("GET", "/deliveries?limit=100")
        if status != 200:
            return
        open_deliveries = [d for d in json.loads(data)["items"]
                           if d["status"] in DELIVERY_PATH[:-1]]
        if not open_deliveries:
            time.sleep(0.02)
            return
        delivery = self.random.choice(open_deliveries)
        following = DELIVERY_PATH.index(delivery["status"]) + 1
        status, _ = self.call("POST", f"/deliveries/{delivery['id']}/status",
                              {"status": DELIVERY_PATH[following]})
        if status == 200:
            with self.record.lock:
                known = self.record.deliveries_acked.get(delivery["id"], 0)
                self.record.deliveries_acked[delivery["id"]] = max(known, following)
