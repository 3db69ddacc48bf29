"""Proof that the checks can fail: one planted fault for each of them, written
straight into the settled database. `chaos.py --sabotage` passes only when
every check reports its fault. The same SQL plants them on SQLite and on
PostgreSQL (database.py)."""


def _one(db, sql):
    row = db.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"sabotage found nothing to break: {sql}")
    return row[0]


def plant_faults(database):
    """Breaks the final state once per check; returns the checks that must fail."""
    db = database.connect(readonly=False)
    paid = "SELECT id FROM order_orders WHERE status = 'PAID' ORDER BY id"
    faults = {
        "acknowledged orders and cancels are kept, once": (
            "UPDATE order_idempotency_keys SET order_id = '' WHERE order_id = ?",
            _one(db, paid + " LIMIT 1")),
        "acknowledged restocks, stock takes, delivery steps": (
            "DELETE FROM stock_ledger WHERE sequence = ?",
            _one(db, "SELECT sequence FROM stock_ledger WHERE movement = 'restock' LIMIT 1")),
        "stock balances against the ledger and the orders": (
            "UPDATE stock_levels SET on_hand = on_hand + 1 WHERE product_id = ?",
            _one(db, "SELECT product_id FROM stock_levels LIMIT 1")),
        "PAID or later: one approved payment, one delivery; cancelled: refunded": (
            "DELETE FROM delivery_deliveries WHERE order_id = ?",
            _one(db, paid + " LIMIT 1 OFFSET 1")),
        "provider: one charge per paid order, refunds for the rest": (
            "UPDATE payment_payments SET charge_reference = 'forged' WHERE order_id = ?",
            _one(db, paid + " LIMIT 1 OFFSET 2")),
        # The schema forbids this fault too; its index goes first.
        "one ledger row per (order, product, movement), one delivery per order": (
            "INSERT INTO stock_ledger (product_id, movement, on_hand_delta, reserved_delta, "
            "order_id, at) SELECT product_id, movement, 0, 0, order_id, at FROM stock_ledger "
            "WHERE sequence = ?",
            _one(db, "SELECT sequence FROM stock_ledger WHERE movement = 'sale' LIMIT 1")),
        "read models equal their recomputation": (
            "UPDATE dashboard_orders SET status = 'DELIVERED' WHERE order_id = ?",
            _one(db, paid + " LIMIT 1 OFFSET 3")),
        # Parked, not half-way sagas: the live server would resume those.
        # PostgreSQL numbers no parked row by itself: it keeps the outbox's.
        "no saga, reservation, payment or event left half-way": (
            "INSERT INTO order_parked (sequence, event_id, type, source, subject, time, data, "
            "error, parked_at) SELECT sequence, event_id, type, source, subject, time, data, "
            "'planted', time "
            "FROM order_outbox WHERE sequence = ?",
            _one(db, "SELECT sequence FROM order_outbox LIMIT 1")),
    }
    with db:
        db.execute("DROP INDEX stock_ledger_order_movement")
        for sql, key in faults.values():
            db.execute(sql, (key,))
        db.commit()
    return list(faults)
