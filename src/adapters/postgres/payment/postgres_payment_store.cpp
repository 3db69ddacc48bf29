#include "adapters/postgres/payment/postgres_payment_store.hpp"

#include <stdexcept>

#include "adapters/postgres/row_locks.hpp"

namespace shop::postgres {

namespace {

using payment::Payment;
using payment::PaymentData;

// The CHECKs repeat the domain's rules, and UNIQUE (order_id) is "one
// payment per order": a bug that slipped past the service still cannot
// store a second charge for an order.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE payment_payments (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    method TEXT NOT NULL,
    token TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'REFUND_PENDING',
                                           'CANCELLED', 'REFUND_FAILED')),
    charge_reference TEXT NOT NULL,
    charge_unknown BOOLEAN NOT NULL,
    abandoned BOOLEAN NOT NULL,
    failure_reason TEXT NOT NULL,
    refund_reason TEXT NOT NULL,
    refund_reference TEXT NOT NULL,
    refund_attempts BIGINT NOT NULL CHECK (refund_attempts >= 0),
    next_refund_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX payment_payments_refunds_due ON payment_payments (next_refund_at)
    WHERE status = 'REFUND_PENDING';
  CREATE INDEX payment_payments_unknown_charges ON payment_payments (created_at)
    WHERE status = 'PENDING' AND charge_unknown;
)sql";

#define SELECT_PAYMENTS                                                                    \
  "SELECT id, order_id, customer_id, amount, currency, method, token, status, "            \
  "charge_reference, charge_unknown, abandoned, failure_reason, refund_reason, "           \
  "refund_reference, refund_attempts, next_refund_at, created_at, updated_at "             \
  "FROM payment_payments "
constexpr const char* select_by_order = SELECT_PAYMENTS "WHERE order_id = $1";
constexpr const char* lock_by_order = SELECT_PAYMENTS "WHERE order_id = $1 FOR UPDATE";
constexpr const char* select_refunds_due = SELECT_PAYMENTS
    "WHERE status = 'REFUND_PENDING' AND next_refund_at <= $1 ORDER BY next_refund_at LIMIT $2";
constexpr const char* select_unknown_charges = SELECT_PAYMENTS
    "WHERE status = 'PENDING' AND charge_unknown ORDER BY created_at LIMIT $1";
#undef SELECT_PAYMENTS
// Only what a transition may change is updated; who, what and how much
// stay as first written.
#define INSERT_PAYMENT                                                                        \
  "INSERT INTO payment_payments (id, order_id, customer_id, amount, currency, method, token, "  \
  "status, charge_reference, charge_unknown, abandoned, failure_reason, refund_reason, "        \
  "refund_reference, refund_attempts, next_refund_at, created_at, updated_at) "                 \
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
// Any conflict: a concurrent first charge of the same order has the same order_id.
constexpr const char* insert_payment = INSERT_PAYMENT "ON CONFLICT DO NOTHING";
constexpr const char* upsert_payment =
    INSERT_PAYMENT "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
    "charge_reference = excluded.charge_reference, charge_unknown = excluded.charge_unknown, "
    "abandoned = excluded.abandoned, failure_reason = excluded.failure_reason, "
    "refund_reason = excluded.refund_reason, refund_reference = excluded.refund_reference, "
    "refund_attempts = excluded.refund_attempts, next_refund_at = excluded.next_refund_at, "
    "updated_at = excluded.updated_at";
#undef INSERT_PAYMENT

Payment payment_at(const Result& rows, int row) {
  auto status = payment::payment_status_from_string(rows.text(row, 7));
  if (!status) throw std::runtime_error("unknown payment status: " + rows.text(row, 7));
  PaymentData data;
  data.id = rows.text(row, 0);
  data.order_id = rows.text(row, 1);
  data.customer_id = rows.text(row, 2);
  data.amount = Money{rows.integer(row, 3), rows.text(row, 4)};
  data.method = rows.text(row, 5);
  data.token = rows.text(row, 6);
  data.status = *status;
  data.charge_reference = rows.text(row, 8);
  data.charge_unknown = rows.boolean(row, 9);
  data.abandoned = rows.boolean(row, 10);
  data.failure_reason = rows.text(row, 11);
  data.refund_reason = rows.text(row, 12);
  data.refund_reference = rows.text(row, 13);
  data.refund_attempts = int(rows.integer(row, 14));
  data.next_refund_at = from_unix_millis(rows.integer(row, 15));
  data.created_at = from_unix_millis(rows.integer(row, 16));
  data.updated_at = from_unix_millis(rows.integer(row, 17));
  return Payment::restore(std::move(data));
}

std::vector<Payment> payments_in(Database& database, const char* sql,
                                 const std::vector<Param>& params) {
  std::vector<Payment> payments;
  database.read([&](Connection& connection) {
    auto rows = connection.exec(sql, params);
    for (int row = 0; row < rows.rows(); ++row) payments.push_back(payment_at(rows, row));
  });
  return payments;
}

std::optional<Payment> by_order_in(Connection& connection, const std::string& order_id,
                                   const char* sql = select_by_order) {
  auto rows = connection.exec(sql, {param(order_id)});
  if (rows.empty()) return std::nullopt;
  return payment_at(rows, 0);
}

// At READ COMMITTED with row locks (RowLocks), as the order store: a
// payment is looked up by its order, and SERIALIZABLE's predicate locks on
// that index abort concurrent first charges of different orders.
class Transaction final : public OutboxTransaction<payment::PaymentTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Payment> by_order(const std::string& order_id) override {
    return payments_.read(connection_, order_id,
                          [&] { return by_order_in(connection_, order_id, lock_by_order); });
  }

  void save(const Payment& payment) override {
    const PaymentData& d = payment.data();
    std::vector<Param> values{
        param(d.id), param(d.order_id), param(d.customer_id), param(d.amount.amount),
        param(d.amount.currency), param(d.method), param(d.token),
        param(payment::to_string(d.status)), param(d.charge_reference), param(d.charge_unknown),
        param(d.abandoned), param(d.failure_reason), param(d.refund_reason),
        param(d.refund_reference), param(d.refund_attempts), param(unix_millis(d.next_refund_at)),
        param(unix_millis(d.created_at)), param(unix_millis(d.updated_at))};
    if (!payments_.insert_if_absent(connection_, d.order_id, insert_payment, values)) {
      connection_.defer(upsert_payment, values);
    }
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

 private:
  RowLocks payments_{"payment_payments"};
};

}  // namespace

ModuleSchema payment_schema() {
  return ModuleSchema{"payment", {{1, schema_v1}, event_tables_migration(2, "payment")}};
}

PostgresPaymentStore::PostgresPaymentStore(Database& database)
    : database_(database), outbox_(database, "payment") {}

void PostgresPaymentStore::write(const std::function<void(payment::PaymentTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work, Isolation::read_committed);
}

std::optional<Payment> PostgresPaymentStore::by_order(const std::string& order_id) {
  std::optional<Payment> payment;
  database_.read([&](Connection& connection) { payment = by_order_in(connection, order_id); });
  return payment;
}

std::vector<Payment> PostgresPaymentStore::refunds_due(Timestamp now, std::size_t limit) {
  return payments_in(database_, select_refunds_due,
                     {param(unix_millis(now)), param(std::int64_t(limit))});
}

std::vector<Payment> PostgresPaymentStore::unknown_charges(std::size_t limit) {
  return payments_in(database_, select_unknown_charges, {param(std::int64_t(limit))});
}

}  // namespace shop::postgres
