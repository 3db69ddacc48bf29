"""What must hold once shopbox has recovered from every kill and drained its
outboxes: each check returns (what was checked, how many, violations).
The same checks read SQLite and PostgreSQL, through database.py."""

import collections
import time

PAID_OR_LATER = ("PAID", "IN_DELIVERY", "DELIVERED")
ACTIVE = ("PAYMENT_PENDING", "PAID", "IN_DELIVERY")
EVER_APPROVED = ("APPROVED", "REFUND_PENDING", "CANCELLED", "REFUND_FAILED")


def announced(payment):
    """Payments that an event made known: all but those abandoned undecided."""
    return payment is not None and not (payment["status"] == "PENDING" and payment["abandoned"])


def open_database(database):
    """A read-only connection to a database.Database."""
    return database.connect(readonly=True)


def outbox_tables(db):
    return db.tables("_outbox")


def parked_tables(db):
    return db.tables("_parked")


def unsettled(db):
    """What still moves: sagas, held stock, payments and events in flight."""
    counts = {
        "unfinished sagas": db.execute(
            "SELECT count(*) FROM order_orders WHERE step <> 'finished'").fetchone()[0],
        "held reservations": db.execute(
            "SELECT count(*) FROM stock_reservations WHERE status = 'HELD'").fetchone()[0],
        # A charge the provider refused to attempt (an outage) is abandoned
        # with its order; it stays PENDING but nothing will move it again.
        "payments in flight": db.execute(
            "SELECT count(*) FROM payment_payments WHERE status = 'REFUND_PENDING' "
            "OR (status = 'PENDING' AND (NOT abandoned OR charge_unknown))").fetchone()[0],
    }
    outboxes = outbox_tables(db)
    if not outboxes:  # a listing that finds nothing would make this check vacuous
        raise RuntimeError("no outbox tables found in the database")
    counts["unpublished events"] = sum(
        db.execute(f"SELECT count(*) FROM {table} WHERE published_at IS NULL").fetchone()[0]
        for table in outboxes)
    return {name: count for name, count in counts.items() if count}


def wait_until_settled(database, timeout):
    """Sagas resume after a grace period and refunds back off: give them time."""
    deadline = time.monotonic() + timeout
    while True:
        with open_database(database) as db:
            left = unsettled(db)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


class Checker:
    def __init__(self, db, record, ledger, customers, api):
        self.db = db
        self.record = record
        self.ledger = ledger
        self.customers = customers  # actor name -> user id
        self.api = api  # callable(path) -> parsed JSON, as staff
        self.orders = {row["id"]: row for row in db.execute("SELECT * FROM order_orders")}
        self.lines = collections.defaultdict(list)
        for row in db.execute("SELECT order_id, product_id, quantity FROM order_lines"):
            self.lines[row["order_id"]].append(row)
        self.payments = {row["order_id"]: row for row in db.execute("SELECT * FROM payment_payments")}
        self.deliveries = collections.defaultdict(list)
        for row in db.execute("SELECT * FROM delivery_deliveries"):
            self.deliveries[row["order_id"]].append(row)

    def run(self):
        return [
            self.acknowledged_orders(),
            self.acknowledged_staff_work(),
            self.stock_balances(),
            self.payments_and_deliveries(),
            self.provider_money(),
            self.single_effects(),
            self.read_models(),
            self.nothing_in_between(),
            self.answers(),
        ]

    def acknowledged_orders(self):
        violations = []
        keys = {}
        customer_of = {user: name for name, user in self.customers.items()}
        for row in self.db.execute("SELECT customer_id, key, order_id FROM order_idempotency_keys"):
            keys[(customer_of.get(row["customer_id"]), row["key"])] = row["order_id"]
        checked = 0
        for key, sent in self.record.orders.items():
            stored = keys.get((sent["customer"], key))
            for status, order_id in sent["answers"]:
                if order_id is None:
                    continue
                checked += 1
                if order_id not in self.orders:
                    violations.append(f"{key}: acknowledged order {order_id} is missing")
                elif stored != order_id:
                    violations.append(f"{key}: answered {order_id}, key bound to {stored}")
                elif status == 402 and self.orders[order_id]["status"] != "PAYMENT_DECLINED":
                    violations.append(f"{order_id}: declined with 402, now "
                                      f"{self.orders[order_id]['status']}")
            ids = {order_id for _, order_id in sent["answers"] if order_id}
            if len(ids) > 1:
                violations.append(f"{key}: one key answered with orders {sorted(ids)}")
        bound = [order_id for order_id in keys.values() if order_id]
        if len(bound) != len(set(bound)):
            violations.append("two idempotency keys bound to one order")
        # A 503 (payment provider unavailable) forgets its key so that the
        # request can be retried; the order it began stays, cancelled.
        unbound = set(self.orders) - set(bound)
        for order_id in sorted(unbound):
            order = self.orders[order_id]
            if (order["status"], order["cancel_reason"]) != ("CANCELLED", "payment_unavailable"):
                violations.append(f"order {order_id} ({order['status']}) belongs to no request")
        refused = sum(status == 503 for sent in self.record.orders.values()
                      for status, _ in sent["answers"])
        if len(unbound) > refused + self.record.lost:
            violations.append(f"{len(unbound)} orders refused with 503, only {refused} such "
                              f"answers and {self.record.lost} cut off")
        for order_id in self.record.cancels_acked:
            status = self.orders[order_id]["status"]
            if status != "CANCELLED":
                violations.append(f"{order_id}: cancel acknowledged, order is {status}")
        paid_answers = {order_id for sent in self.record.orders.values()
                        for status, order_id in sent["answers"] if status == 201}
        # Cancelled is right only by a customer's cancel whose answer was lost.
        for order_id in paid_answers - self.record.cancels_acked:
            order = self.orders.get(order_id)
            status = order["status"] if order else None
            by_customer = status == "CANCELLED" and order["cancel_reason"] == "chaos"
            if status not in PAID_OR_LATER and not by_customer:
                violations.append(f"{order_id}: answered 201, now {status}")
        checked += len(self.record.cancels_acked)
        return ("acknowledged orders and cancels are kept, once", checked, violations)

    def acknowledged_staff_work(self):
        violations = []
        checked = 0
        restocks = collections.defaultdict(collections.Counter)
        takes = collections.Counter()
        for row in self.db.execute("SELECT product_id, movement, on_hand_delta FROM stock_ledger "
                                   "WHERE movement IN ('restock', 'stock_take')"):
            if row["movement"] == "restock":
                restocks[row["product_id"]][row["on_hand_delta"]] += 1
            else:
                takes[row["product_id"]] += 1
        for product, acked in self.record.restocks_acked.items():
            for quantity, count in acked.items():
                checked += count
                found = restocks[product][quantity]
                if found < count:
                    violations.append(f"{product}: {count} restocks of {quantity} acknowledged, "
                                      f"{found} in the ledger")
        for product, found in restocks.items():
            for quantity, count in found.items():
                if count > self.record.restocks_sent[product][quantity]:
                    violations.append(f"{product}: restock of {quantity} applied {count} times, "
                                      f"sent {self.record.restocks_sent[product][quantity]}")
        for product in set(takes) | set(self.record.takes_acked):
            checked += self.record.takes_acked[product]
            if not self.record.takes_acked[product] <= takes[product] <= self.record.takes_sent[product]:
                violations.append(f"{product}: {takes[product]} stock takes in the ledger, "
                                  f"{self.record.takes_acked[product]} acknowledged, "
                                  f"{self.record.takes_sent[product]} sent")
        deliveries = {row["id"]: row for rows in self.deliveries.values() for row in rows}
        path = ["REQUESTED", "ACCEPTED", "PREPARING", "DISPATCHED", "DELIVERED"]
        for delivery_id, index in self.record.deliveries_acked.items():
            checked += 1
            delivery = deliveries.get(delivery_id)
            status = delivery["status"] if delivery else None
            # A customer may cancel until the parcel is dispatched.
            cancelled_in_time = (status == "CANCELLED" and index < path.index("DISPATCHED") and
                                 self.orders[delivery["order_id"]]["status"] == "CANCELLED")
            if not cancelled_in_time and (status not in path or path.index(status) < index):
                violations.append(f"delivery {delivery_id}: {path[index]} acknowledged, now {status}")
        return ("acknowledged restocks, stock takes, delivery steps", checked, violations)

    def stock_balances(self):
        violations = []
        levels = {row["product_id"]: row for row in self.db.execute("SELECT * FROM stock_levels")}
        ledger = collections.defaultdict(collections.Counter)
        for row in self.db.execute("SELECT product_id, movement, "
                                   "CAST(sum(on_hand_delta) AS BIGINT) AS on_hand, "
                                   "CAST(sum(reserved_delta) AS BIGINT) AS reserved, "
                                   "count(*) AS n "
                                   "FROM stock_ledger GROUP BY product_id, movement"):
            ledger[row["product_id"]][row["movement"]] = row["on_hand"]
            ledger[row["product_id"]][row["movement"] + ":reserved"] = row["reserved"]
        pending = collections.Counter()
        kept = collections.Counter()
        for order_id, order in self.orders.items():
            for line in self.lines[order_id]:
                if order["status"] == "PAYMENT_PENDING":
                    pending[line["product_id"]] += line["quantity"]
                if order["status"] in PAID_OR_LATER:
                    kept[line["product_id"]] += line["quantity"]
        held = collections.Counter()
        for row in self.db.execute("SELECT l.product_id, l.quantity FROM stock_reservation_lines l "
                                   "JOIN stock_reservations r USING (order_id) WHERE r.status = 'HELD'"):
            held[row["product_id"]] += row["quantity"]
        for product, level in levels.items():
            moves = ledger[product]
            restocked, taken = moves["restock"], moves["stock_take"]
            sold, returned = -moves["sale"], moves["return"]
            on_hand = restocked + taken - sold + returned
            reserved = sum(v for k, v in moves.items() if k.endswith(":reserved"))
            api = self.api(f"/stock/{product}")
            facts = {
                "on_hand = restocks + stock takes - sold + returned": (level["on_hand"], on_hand),
                "on_hand as the API shows it": (level["on_hand"], api["on_hand"]),
                "reserved = the ledger's reservations": (level["reserved"], reserved),
                "reserved = orders awaiting payment": (level["reserved"], pending[product]),
                "reserved = held reservations": (level["reserved"], held[product]),
                "sold - returned = units of PAID or later orders": (sold - returned, kept[product]),
            }
            for fact, (stored, expected) in facts.items():
                if stored != expected:
                    violations.append(f"{product}: {fact}: {stored} vs {expected}")
            if level["on_hand"] < 0 or level["reserved"] < 0 or level["reserved"] > level["on_hand"]:
                violations.append(f"{product}: on_hand {level['on_hand']}, reserved {level['reserved']}")
            if returned > sold or sold < 0 or returned < 0:
                violations.append(f"{product}: sold {sold}, returned {returned}")
        return ("stock balances against the ledger and the orders", len(levels), violations)

    def payments_and_deliveries(self):
        violations = []
        for order_id, order in self.orders.items():
            payment = self.payments.get(order_id)
            deliveries = self.deliveries[order_id]
            if order["status"] in PAID_OR_LATER:
                if payment is None or payment["status"] != "APPROVED":
                    violations.append(f"{order_id} is {order['status']}, payment "
                                      f"{payment['status'] if payment else 'missing'}")
                if len(deliveries) != 1:
                    violations.append(f"{order_id} is {order['status']} with "
                                      f"{len(deliveries)} deliveries")
            if order["status"] == "CANCELLED" and payment and payment["charge_reference"]:
                if payment["status"] != "CANCELLED":
                    violations.append(f"{order_id}: cancelled after payment, payment is "
                                      f"{payment['status']}")
            if order["status"] != "CANCELLED" and payment and payment["status"] == "CANCELLED":
                violations.append(f"{order_id}: refunded but the order is {order['status']}")
            # The delivery's cancellation follows the order's by an event; a
            # dispatched delivery's order can no longer be cancelled.
            for delivery in deliveries:
                if (order["status"] == "CANCELLED") != (delivery["status"] == "CANCELLED"):
                    violations.append(f"{order_id} is {order['status']}, its delivery "
                                      f"{delivery['status']}")
            if payment and payment["amount"] != order["total_amount"]:
                violations.append(f"{order_id}: paid {payment['amount']} of {order['total_amount']}")
        for order_id in set(self.payments) - set(self.orders):
            violations.append(f"payment for unknown order {order_id}")
        for order_id in set(self.deliveries) - set(self.orders):
            violations.append(f"delivery for unknown order {order_id}")
        return ("PAID or later: one approved payment, one delivery; cancelled: refunded",
                len(self.orders), violations)

    def provider_money(self):
        """The provider's own ledger: money kept equals what orders owe."""
        violations = []
        decisions = self.ledger.snapshot()
        charges = [d for d in decisions if d["kind"] == "charge" and d["status"] == "approved"]
        refunds = {d["charge_reference"]: d for d in decisions
                   if d["kind"] == "refund" and d["status"] == "approved"}
        for charge in charges:
            order_id = charge["key"].rsplit(":", 1)[0]
            order = self.orders.get(order_id)
            payment = self.payments.get(order_id)
            refunded = charge["reference"] in refunds
            if order is None:
                violations.append(f"charge {charge['key']} for no order")
                continue
            keeps = order["status"] in PAID_OR_LATER
            if keeps and refunded:
                violations.append(f"{order_id} is {order['status']} but was refunded")
            if not keeps and not refunded:
                violations.append(f"{order_id} is {order['status']}, its charge kept")
            if keeps and (payment is None or payment["charge_reference"] != charge["reference"]):
                violations.append(f"{order_id}: the provider's charge is not the one recorded")
            if refunded and refunds[charge["reference"]]["amount"] != charge["amount"]:
                violations.append(f"{order_id}: refunded another amount than charged")
        charged_orders = {c["key"].rsplit(":", 1)[0] for c in charges}
        if len(charged_orders) != len(charges):
            violations.append("an order was charged twice")
        for order_id, order in self.orders.items():
            if order["status"] in PAID_OR_LATER and order_id not in charged_orders:
                violations.append(f"{order_id} is {order['status']} with no charge at the provider")
        return ("provider: one charge per paid order, refunds for the rest", len(charges),
                violations)

    def single_effects(self):
        violations = []
        for row in self.db.execute(
                "SELECT order_id, product_id, movement, count(*) AS n FROM stock_ledger "
                "WHERE order_id IS NOT NULL GROUP BY order_id, product_id, movement "
                "HAVING count(*) > 1"):
            violations.append(f"{row['order_id']}/{row['product_id']}: {row['n']} {row['movement']} rows")
        for order_id, rows in self.deliveries.items():
            if len(rows) > 1:
                violations.append(f"{order_id}: {len(rows)} deliveries")
        checked = self.db.execute("SELECT count(*) FROM stock_ledger WHERE order_id IS NOT NULL").fetchone()[0]
        return ("one ledger row per (order, product, movement), one delivery per order", checked,
                violations)

    def read_models(self):
        violations = []
        views = {row["order_id"]: row for row in self.db.execute("SELECT * FROM dashboard_orders")}
        totals = collections.defaultdict(lambda: collections.Counter())
        for order_id, order in self.orders.items():
            payment = self.payments.get(order_id)
            delivery = self.deliveries[order_id]
            spent = payment["amount"] if payment and payment["status"] in EVER_APPROVED else 0
            refunded = payment["amount"] if payment and payment["status"] == "CANCELLED" else 0
            expected = {
                "status": order["status"],
                "payment_status": payment["status"] if announced(payment) else "",
                "delivery_status": delivery[0]["status"] if delivery else "",
                "total_amount": order["total_amount"],
                "spent_amount": spent,
                "refunded_amount": refunded,
            }
            view = views.get(order_id)
            if view is None:
                violations.append(f"dashboard lacks order {order_id}")
                continue
            for field, value in expected.items():
                if view[field] != value:
                    violations.append(f"dashboard order {order_id}: {field} {view[field]!r}, "
                                      f"modules say {value!r}")
            customer = totals[order["customer_id"]]
            customer["orders_placed"] += 1
            customer["orders_active"] += order["status"] in ACTIVE
            customer["orders_delivered"] += order["status"] == "DELIVERED"
            customer["orders_cancelled"] += order["status"] == "CANCELLED"
            customer["amount_spent"] += spent
            customer["amount_refunded"] += refunded
        for order_id in set(views) - set(self.orders):
            violations.append(f"dashboard shows unknown order {order_id}")
        for name, user_id in self.customers.items():
            summary = self.api(f"/dashboard/customers/{user_id}")
            for field in ("orders_placed", "orders_active", "orders_delivered", "orders_cancelled"):
                if summary[field] != totals[user_id][field]:
                    violations.append(f"customer {name}: {field} {summary[field]}, "
                                      f"modules say {totals[user_id][field]}")
            for field in ("amount_spent", "amount_refunded"):
                if summary[field]["amount"] != totals[user_id][field]:
                    violations.append(f"customer {name}: {field} {summary[field]['amount']}, "
                                      f"modules say {totals[user_id][field]}")
        products = {row["product_id"]: row for row in self.db.execute("SELECT * FROM dashboard_products")}
        for row in self.db.execute("SELECT * FROM stock_levels"):
            view = products.get(row["product_id"])
            expected = (row["on_hand"], row["reserved"], row["on_hand"] - row["reserved"])
            if view is None or (view["on_hand"], view["reserved"], view["available"]) != expected:
                violations.append(f"storefront {row['product_id']}: "
                                  f"{None if view is None else (view['on_hand'], view['reserved'], view['available'])} "
                                  f"vs {expected}")
        placed = self.db.execute("SELECT CAST(coalesce(sum(orders_placed), 0) AS BIGINT) "
                                 "FROM dashboard_days").fetchone()[0]
        if placed != len(self.orders):
            violations.append(f"summary counts {placed} orders placed, the order module has "
                              f"{len(self.orders)}")
        return ("read models equal their recomputation", len(views) + len(products), violations)

    def nothing_in_between(self):
        violations = [f"{count} {what}" for what, count in unsettled(self.db).items()]
        for table in parked_tables(self.db):
            parked = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if parked:
                violations.append(f"{parked} events parked in {table}")
        pending = sum(o["status"] == "PAYMENT_PENDING" for o in self.orders.values())
        if pending:
            violations.append(f"{pending} orders still PAYMENT_PENDING")
        return ("no saga, reservation, payment or event left half-way", len(self.orders), violations)

    def answers(self):
        violations = list(self.record.server_errors) + list(self.record.replay_mismatches)
        checked = sum(self.record.statuses.values())
        return ("no 5xx but 503; idempotent replays byte for byte", checked, violations)
