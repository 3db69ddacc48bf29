#!/usr/bin/env python3
"""Seeds a database with N products and M finished orders, row for row as
shopbox itself leaves them, and caches it for the next run.

shopbox creates and migrates the file (started once on it, then stopped);
this fills it with Python's sqlite3: the catalog (with its search index),
stock levels and ledger, customers, and delivered orders with their
payments, deliveries, outbox rows (published), inbox rows, the dashboard's
stored events and read models, and the idempotency keys still within their
time to live. The rows are those of an order placed and delivered through the
API, so tables and indexes have the size they would have; `shopbox replay` on
a seeded file rebuilds the very read models seeded.

    python3 bench/seed.py --products 1000 --orders 1000000   # prints the file
"""

import argparse
import contextlib
import glob
import hashlib
import json
import math
import os
import random
import sqlite3
import sys
import tempfile
import time
import urllib.request

from harness import call, staff_token, start_shopbox, stop

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The cheapest password hashing, for the seeded customers' logins.
SETTINGS = {"identity.password_hash_strength": "minimum"}
CURRENCY = "KRW"
# argon2id of SEED_PASSWORD at identity.password_hash_strength = "minimum":
# every seeded customer can log in, and seeding computes no hash.
SEED_PASSWORD = "buyer-pass-1"
SEED_PASSWORD_HASH = ("$argon2id$v=19$m=8,t=1,p=1$nsQDHSoxHnanmk7jgmBhKw$"
                      "2A3AubtsXqOHIwtJxJYK0N27Wt9CERGs8K+gDNpDNUA")
RESTOCK = 1_000_000          # units per product: no seeded order runs out
LOW_STOCK_THRESHOLD = 5      # stock.low_stock_threshold's default
RESERVATION_TTL_MS = 900_000  # stock.reservation_ttl_seconds's default
IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
ORDERS_PER_CUSTOMER = 20
SOLD_PRODUCTS = 1000         # orders buy from the first products only
ORDER_SPACING_MS = 10_000    # an order every 10 s: a million span four months
BATCH = 10_000              # products, customers or orders per transaction
# Units that each stock movement moves: (on_hand, reserved).
MOVEMENTS = {"restock": (1, 0), "reserve": (0, 1), "sale": (-1, -1)}
DELIVERY_STEPS = ("REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED")
ADDRESS = {"name": "Kim", "line1": "1 Sejong-daero", "line2": "", "city": "Seoul",
           "postal_code": "04524", "phone": "010-0000-0000"}
ADDRESS_JSON = json.dumps(ADDRESS, separators=(",", ":"))

# Names are three words, so that a search term matches a steady share of the
# catalog (about 1 in 30 per word) whatever its size.
ADJECTIVES = ("green", "black", "white", "golden", "smoked", "roasted", "spicy", "sweet",
              "bitter", "fresh", "dried", "frozen", "organic", "wild", "aged", "crisp",
              "soft", "salted", "honeyed", "mild", "bold", "young", "rustic", "royal",
              "classic", "tiny", "grand", "silky", "smooth", "zesty")
ORIGINS = ("jeju", "busan", "seoul", "andong", "gangwon", "jeonju", "boseong", "suwon",
           "incheon", "daegu", "gwangju", "ulsan", "mokpo", "sokcho", "yeosu", "pohang",
           "gimhae", "tongyeong", "chuncheon", "gyeongju")
NOUNS = ("tea", "coffee", "kimchi", "noodles", "rice", "honey", "sauce", "paste", "oil",
         "vinegar", "cookies", "crackers", "candy", "chocolate", "jam", "soup", "dumplings",
         "seaweed", "mushrooms", "pepper", "salt", "sugar", "flour", "beans", "tofu", "cake",
         "bread", "juice", "cider", "wine")
CATEGORIES = ("drinks", "snacks", "pantry", "frozen", "fresh", "sweets", "sauces", "grains",
              "gifts", "kitchen", "bakery", "health")
SEARCH_WORDS = ADJECTIVES + ORIGINS + NOUNS

PRODUCT_COLUMNS = ("id, sku, name, description, price_amount, price_currency, category, active, "
                   "version, created_at, updated_at")
OUTBOX_COLUMNS = "event_id, type, source, subject, time, data, published_at"
INSERTS = {
    "catalog_products": f"INSERT INTO catalog_products ({PRODUCT_COLUMNS}) VALUES ({'?, ' * 10}?)",
    "stock_levels": "INSERT INTO stock_levels VALUES (?, ?, ?, ?)",
    "stock_ledger": "INSERT INTO stock_ledger VALUES (?, ?, ?, ?, ?, ?, ?)",
    "stock_reservations": "INSERT INTO stock_reservations VALUES (?, ?, ?, ?)",
    "stock_reservation_lines": "INSERT INTO stock_reservation_lines VALUES (?, ?, ?)",
    "identity_users": "INSERT INTO identity_users VALUES (?, ?, ?, ?, ?, ?)",
    "order_orders": f"INSERT INTO order_orders VALUES ({'?, ' * 19}?)",
    "order_lines": "INSERT INTO order_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "order_idempotency_keys": "INSERT INTO order_idempotency_keys (customer_id, key, body_digest, "
                              "completed, status, body, created_at, order_id) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "payment_payments": f"INSERT INTO payment_payments VALUES ({'?, ' * 17}?)",
    "delivery_deliveries": f"INSERT INTO delivery_deliveries VALUES ({'?, ' * 12}?)",
    "dashboard_events": "INSERT INTO dashboard_events VALUES (?, ?, ?, ?, ?, ?, ?)",
    "dashboard_order_timeline": "INSERT INTO dashboard_order_timeline VALUES (?, ?, ?, ?)",
    "dashboard_orders": f"INSERT INTO dashboard_orders VALUES ({'?, ' * 11}?)",
    "dashboard_products": f"INSERT INTO dashboard_products VALUES ({'?, ' * 14}?)",
    **{f"{module}_outbox": f"INSERT INTO {module}_outbox ({OUTBOX_COLUMNS}) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)"
       for module in ("identity", "catalog", "stock", "order", "payment", "delivery")},
    **{f"{module}_inbox": f"INSERT INTO {module}_inbox VALUES (?, ?, ?)"
       for module in ("stock", "order", "delivery")},
}


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def money(amount):
    return f'{{"amount":{amount},"currency":"{CURRENCY}"}}'


def second(ms):
    """Outbox and inbox stamps are unixepoch() * 1000: whole seconds."""
    return ms // 1000 * 1000


def rfc3339(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03}Z"


@contextlib.contextmanager
def transaction(db):
    """One explicit transaction: the connection is in autocommit mode, where
    `with db:` alone would commit each row on its own."""
    db.execute("BEGIN")
    yield
    db.execute("COMMIT")


class Ids:
    """UUIDv7 ids as shopbox makes them, each on a millisecond of its own:
    ids sort by time, so every index on them grows at its end."""

    def __init__(self, rng):
        self.rng = rng
        self.ms = 0

    def next(self, at=0):
        self.ms = max(at, self.ms + 1)
        value = (self.ms << 80 | 0x7 << 76 | self.rng.getrandbits(12) << 64 | 0b10 << 62
                 | self.rng.getrandbits(62))
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}", self.ms


class Product:
    """What orders need of a product, and its level as they move it."""
    __slots__ = ("id", "sku", "name", "price", "on_hand", "reserved", "sequence", "line_json")

    def __init__(self, product_id, sku, name, price):
        self.id, self.sku, self.name, self.price = product_id, sku, name, price
        self.on_hand = self.reserved = self.sequence = 0
        self.line_json = (f'"product_id":"{product_id}","sku":"{sku}","name":"{name}",'
                          f'"unit_price":{money(price)}')


class Seeder:
    """Writes what each step of the catalog, the stock and the order saga
    writes, batched into one executemany per table."""

    def __init__(self, db, start_ms, rng):
        self.db, self.rng, self.ids = db, rng, Ids(rng)
        self.ids.ms = start_ms
        self.rows = {table: [] for table in INSERTS}
        self.position = db.execute(
            "SELECT COALESCE(MAX(position), 0) FROM dashboard_events").fetchone()[0]
        self.ledger = db.execute(
            "SELECT COALESCE(MAX(sequence), 0) FROM stock_ledger").fetchone()[0]
        self.sold = []
        self.days = {}
        self.charges = 0

    def flush(self):
        with transaction(self.db):
            for table, rows in self.rows.items():
                self.db.executemany(INSERTS[table], rows)
                rows.clear()

    def event(self, module, name, subject, data, at=0, timeline=None):
        """One event: its outbox row (published), its copy in the dashboard's
        log and, for an order's own events, its line on the order's timeline."""
        event_id, ms = self.ids.next(at)
        kind, source = f"shop.{module}.{name}.v1", f"/shopbox/{module}"
        self.rows[f"{module}_outbox"].append(
            (event_id, kind, source, subject, ms, data, second(ms)))
        self.position += 1
        self.rows["dashboard_events"].append(
            (event_id, self.position, kind, source, subject, ms, data))
        if timeline:
            self.rows["dashboard_order_timeline"].append(
                (timeline, event_id, f"{module}.{name}", ms))
        return event_id, ms

    def movement(self, product, kind, quantity, order_id, at):
        """A row of the stock ledger; returns the level's change as stock
        events carry it."""
        on_hand, reserved = (units * quantity for units in MOVEMENTS[kind])
        self.ledger += 1
        self.rows["stock_ledger"].append((self.ledger, product.id, kind, on_hand, reserved,
                                          order_id, at))
        product.on_hand += on_hand
        product.reserved += reserved
        product.sequence = self.ledger
        return (f'{{"product_id":"{product.id}","quantity":{quantity},'
                f'"on_hand":{product.on_hand},"reserved":{product.reserved},'
                f'"available":{product.on_hand - product.reserved},"sequence":{self.ledger}}}')

    def batches(self, count, make):
        """make(n) for n in range(count), committed every BATCH."""
        made = []
        for start in range(0, count, BATCH):
            made += [make(n) for n in range(start, min(count, start + BATCH))]
            self.flush()
        return made

    # The catalog and stock: created, its level made by the stock module's
    # consumer, restocked once.
    def product(self, n):
        product_id, at = self.ids.next()
        name = " ".join(self.rng.choice(words) for words in (ADJECTIVES, ORIGINS, NOUNS)).title()
        sku, price = f"SEED-{n:07}", 1000 + self.rng.randrange(200) * 100
        category = self.rng.choice(CATEGORIES)
        description = f"{name}, from the seeded catalog, item {n}"
        self.rows["catalog_products"].append((product_id, sku, name, description, price, CURRENCY,
                                              category, 1, 1, at, at))
        created, created_at = self.event("catalog", "product_created", product_id, compact({
            "product_id": product_id, "sku": sku, "name": name, "description": description,
            "price": {"amount": price, "currency": CURRENCY}, "category": category,
            "version": 1}))
        self.rows["stock_inbox"].append(("stock", created, second(created_at)))
        product = Product(product_id, sku, name, price)
        self.event("stock", "restocked", product_id,
                   self.movement(product, "restock", RESTOCK, None, created_at + 1))
        self.rows["stock_levels"].append((product_id, RESTOCK, 0, LOW_STOCK_THRESHOLD))
        self.rows["dashboard_products"].append((product_id, sku, name, description, price, CURRENCY,
                                                category, 1, 1, RESTOCK, 0, RESTOCK, self.ledger,
                                                None, 0))
        if len(self.sold) < SOLD_PRODUCTS:
            self.sold.append(product)

    def customer(self, n):
        user_id, at = self.ids.next()
        email, name = f"customer{n}@seed.kr", f"Customer {n}"
        self.rows["identity_users"].append(
            (user_id, email, name, "customer", SEED_PASSWORD_HASH, at))
        self.event("identity", "user_registered", user_id, compact(
            {"user_id": user_id, "email": email, "name": name, "role": "customer"}))
        return user_id

    # An order through the whole saga: reserved, placed, paid, sold, then
    # delivered step by step; its events in the order the relay stores them.
    def order(self, n, customer, at, now):
        order_id, placed = self.ids.next(at)
        count = 1 + self.rng.randrange(min(3, len(self.sold)))
        lines = [(product, 1 + self.rng.randrange(3))
                 for product in self.rng.sample(self.sold, count)]
        total = sum(product.price * quantity for product, quantity in lines)
        self.stock_event("reserved", order_id, lines, "reserve", placed)
        self.event("order", "placed", order_id,
                   f'{{"order_id":"{order_id}","customer_id":"{customer}","lines":['
                   + ",".join(f'{{{p.line_json},"quantity":{q}}}' for p, q in lines)
                   + f'],"total":{money(total)},"delivery_address":{ADDRESS_JSON}}}',
                   timeline=order_id)
        self.pay(order_id, customer, total)
        sold_at = self.stock_event("sold", order_id, lines, "sale", self.ids.ms)
        self.rows["stock_reservations"].append((order_id, "CONFIRMED", placed + RESERVATION_TTL_MS,
                                                sold_at))
        self.rows["stock_reservation_lines"].extend((order_id, p.id, q) for p, q in lines)
        paid, paid_at = self.event("order", "paid", order_id,
                                   f'{{"order_id":"{order_id}","customer_id":"{customer}",'
                                   f'"total":{money(total)},"delivery_address":{ADDRESS_JSON}}}',
                                   timeline=order_id)
        finished = self.deliver(order_id, customer, paid)
        self.rows["order_lines"].extend(
            (order_id, position, p.id, p.sku, p.name, p.price, CURRENCY, q)
            for position, (p, q) in enumerate(lines))
        self.rows["order_orders"].append((order_id, customer, "DELIVERED", "finished", "", total,
                                          CURRENCY, *ADDRESS.values(), "card", "tok_ok", 1, None,
                                          None, placed, finished))
        self.rows["dashboard_orders"].append((order_id, customer, "DELIVERED", "", "APPROVED",
                                              "DELIVERED", total, CURRENCY, total, CURRENCY, 0, ""))
        day = time.strftime("%Y-%m-%d", time.gmtime(placed // 1000))
        placed_count, revenue = self.days.get(day, (0, 0))
        self.days[day] = (placed_count + 1, revenue + total)
        if now - placed < IDEMPOTENCY_TTL_MS:
            self.idempotency_key(n, order_id, customer, lines, total, placed, paid_at)

    def stock_event(self, name, order_id, lines, movement, at):
        changes = [self.movement(p, movement, q, order_id, at) for p, q in lines]
        return self.event("stock", name, order_id,
                          f'{{"order_id":"{order_id}","lines":[{",".join(changes)}]}}')[1]

    def pay(self, order_id, customer, total):
        payment_id, at = self.ids.next()
        self.charges += 1
        self.rows["payment_payments"].append(
            (payment_id, order_id, customer, total, CURRENCY, "card", "tok_ok", "APPROVED",
             f"sbx_ch_{self.charges}", 0, 0, "", "", "", 0, at, at, at))
        self.event("payment", "approved", payment_id,
                   f'{{"payment_id":"{payment_id}","order_id":"{order_id}",'
                   f'"amount":{money(total)}}}', timeline=order_id)

    def deliver(self, order_id, customer, paid_event):
        """The delivery module's answer to order.paid, walked to DELIVERED,
        and the order's own answer to delivery.delivered."""
        delivery_id, created = self.ids.next()
        self.rows["delivery_inbox"].append(("delivery", paid_event, second(created)))
        ids = f'"delivery_id":"{delivery_id}","order_id":"{order_id}","customer_id":"{customer}"'
        self.event("delivery", "requested", delivery_id, f"{{{ids}}}", timeline=order_id)
        for before, after in zip(DELIVERY_STEPS, DELIVERY_STEPS[1:]):
            self.event("delivery", "status_changed", delivery_id,
                       f'{{{ids},"from":"{before}","to":"{after}"}}', timeline=order_id)
            if after == "PREPARING":
                self.event("order", "in_delivery", order_id,
                           f'{{"order_id":"{order_id}","customer_id":"{customer}"}}',
                           timeline=order_id)
        delivered, delivered_at = self.event("delivery", "delivered", delivery_id, f"{{{ids}}}",
                                             timeline=order_id)
        self.rows["delivery_deliveries"].append((delivery_id, order_id, customer, "DELIVERED",
                                                 *ADDRESS.values(), "", created, delivered_at))
        self.rows["order_inbox"].append(("order", delivered, second(delivered_at)))
        return self.event("order", "delivered", order_id,
                          f'{{"order_id":"{order_id}","customer_id":"{customer}"}}',
                          timeline=order_id)[1]

    def idempotency_key(self, n, order_id, customer, lines, total, placed, paid_at):
        """The stored answer of a request still within its time to live."""
        body = compact({
            "id": order_id, "status": "PAID", "cancel_reason": None, "customer_id": customer,
            "items": [{"product_id": p.id, "sku": p.sku, "name": p.name,
                       "unit_price": {"amount": p.price, "currency": CURRENCY}, "quantity": q}
                      for p, q in lines],
            "total": {"amount": total, "currency": CURRENCY}, "delivery_address": ADDRESS,
            "payment": {"method": "card"}, "created_at": rfc3339(placed),
            "updated_at": rfc3339(paid_at)})
        self.rows["order_idempotency_keys"].append(
            (customer, f"seed-{n}", f"{self.rng.getrandbits(64):016x}", 1, 201, body, placed,
             order_id))

    def finish(self):
        """The levels of the products sold, and the shop's days."""
        self.flush()
        with transaction(self.db):
            self.db.executemany("UPDATE stock_levels SET on_hand = ?2 WHERE product_id = ?1",
                                [(p.id, p.on_hand) for p in self.sold])
            self.db.executemany("UPDATE dashboard_products SET on_hand = ?2, available = ?2, "
                                "level_sequence = ?3 WHERE product_id = ?1",
                                [(p.id, p.on_hand, p.sequence) for p in self.sold])
            self.db.executemany("INSERT INTO dashboard_days VALUES (?, ?, ?, 0, ?)",
                                [(day, count, revenue, CURRENCY)
                                 for day, (count, revenue) in self.days.items()])


def seed(database, products, orders):
    """Fills a database that shopbox has migrated and that holds no products
    yet. The newest order is an hour old, the others an order every
    ORDER_SPACING_MS before it; products and customers come first."""
    if orders and not products:
        raise ValueError("orders need products to buy")
    db = sqlite3.connect(database, isolation_level=None)
    try:
        if db.execute("SELECT COUNT(*) FROM catalog_products").fetchone()[0]:
            raise RuntimeError(f"{database} already holds products")
        # Nothing here needs to survive a crash: a failed seed is thrown away.
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-262144")
        now = int(time.time() * 1000)
        customers = math.ceil(orders / ORDERS_PER_CUSTOMER)
        first_order = now - 3_600_000 - orders * ORDER_SPACING_MS
        seeder = Seeder(db, first_order - 10 * (products + customers) - 60_000, random.Random(6))
        seeder.batches(products, seeder.product)
        customer_ids = seeder.batches(customers, seeder.customer)
        seeder.batches(orders, lambda n: seeder.order(n, seeder.rng.choice(customer_ids),
                                                      first_order + n * ORDER_SPACING_MS, now))
        seeder.finish()
        db.execute("PRAGMA journal_mode=WAL")  # shopbox's mode, kept in the file
    finally:
        db.close()


def default_cache():
    """Outside bench.py's scratch folder, which goes at the end of each run.
    (Not SHOPBOX_...: shopbox refuses environment settings it does not know.)"""
    return os.environ.get("BENCH_CACHE", os.path.join(ROOT, ".cache", "bench"))


def fingerprint():
    """A seeded file is reused only by the seeder that wrote it."""
    with open(os.path.abspath(__file__), "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()[:10]


def seeded(binary, products, orders, cache=None):
    """The path of a database seeded with `products` and `orders`: built and
    checked the first time, reused after. An older seeder's files are removed
    (a million orders take 16 GB)."""
    cache = cache or default_cache()
    os.makedirs(cache, exist_ok=True)
    version = fingerprint()
    path = os.path.join(cache, f"shop-{products}p-{orders}o-{version}.db")
    if os.path.exists(path):
        return path
    partial = path + ".partial"
    for stale in glob.glob(os.path.join(cache, "shop-*.db*")):
        if version not in stale or stale.startswith(partial):
            os.remove(stale)
    print(f"seed: {products} products and {orders} orders into {path}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as work:
        stop(start_shopbox(binary, work, SETTINGS, partial)[0])  # creates and migrates it
        seed(partial, products, orders)
        verify(binary, work, partial)
    os.rename(partial, path)
    return path


def verify(binary, work, database):
    """shopbox starts on the seeded file, serves its products and orders as
    they were seeded, and places a new order (one more in the file)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        product, name, on_hand = db.execute(
            "SELECT p.id, p.name, s.on_hand FROM catalog_products p "
            "JOIN stock_levels s ON s.product_id = p.id ORDER BY p.seq LIMIT 1").fetchone()
        newest = db.execute("SELECT o.id, u.email FROM order_orders o "
                            "JOIN identity_users u ON u.id = o.customer_id "
                            "ORDER BY o.id DESC LIMIT 1").fetchone()
    process, base = start_shopbox(binary, work, SETTINGS, database)
    try:
        def get(path, token=None):
            return json.loads(call(base, "GET", path, token=token))

        def expect(holds, what):
            if not holds:
                raise RuntimeError(f"{database}: {what}")

        expect(get(f"/api/v1/products/{product}")["name"] == name, "a product reads back")
        listed = [item["id"] for item in get("/api/v1/products?limit=5")["items"]]
        shown = [item["id"] for item in get("/api/v1/dashboard/products?limit=5")["items"]]
        expect(listed[0] == product and listed == shown, "the storefront lists the catalog")
        found = get(f"/api/v1/products?q={name.split()[0].lower()}")["items"]
        expect(found[0]["id"] == product, "search finds a product by a word of its name")
        expect(get(f"/api/v1/stock/{product}")["on_hand"] == on_hand, "stock levels read back")
        if newest:
            order, email = newest
            staff = staff_token(base)
            expect(get("/api/v1/orders?limit=1", staff)["items"][0]["id"] == order,
                   "the newest order lists first")
            view = get(f"/api/v1/dashboard/orders/{order}", staff)
            expect(view["status"] == "DELIVERED" and len(view["timeline"]) == 11,
                   "an order's dashboard view has its whole timeline")
            expect(place_order(base, email, product)["status"] == "PAID",
                   "a seeded customer places an order")
            expect(get(f"/api/v1/stock/{product}")["on_hand"] == on_hand - 1,
                   "the new order took its unit")
    finally:
        stop(process)


def place_order(base, email, product):
    session = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"email": email, "password": SEED_PASSWORD}))
    request = urllib.request.Request(base + "/api/v1/orders", method="POST", data=json.dumps({
        "items": [{"product_id": product, "quantity": 1}], "delivery_address": ADDRESS,
        "payment": {"method": "card", "token": "tok_ok"}}).encode())
    for header, value in (("Content-Type", "application/json"),
                          ("Authorization", f"Bearer {session['token']}"),
                          ("Idempotency-Key", "seed-check")):
        request.add_header(header, value)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, required=True)
    parser.add_argument("--orders", type=int, default=0)
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-release", "shopbox"))
    parser.add_argument("--cache", default=default_cache())
    options = parser.parse_args()
    print(seeded(options.binary, options.products, options.orders, options.cache))


if __name__ == "__main__":
    main()
