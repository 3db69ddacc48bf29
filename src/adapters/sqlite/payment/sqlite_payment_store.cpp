#include "adapters/sqlite/payment/sqlite_payment_store.hpp"

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

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
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    method TEXT NOT NULL,
    token TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'REFUND_PENDING',
                                           'CANCELLED', 'REFUND_FAILED')),
    charge_reference TEXT NOT NULL,
    charge_unknown INTEGER NOT NULL CHECK (charge_unknown IN (0, 1)),
    abandoned INTEGER NOT NULL CHECK (abandoned IN (0, 1)),
    failure_reason TEXT NOT NULL,
    refund_reason TEXT NOT NULL,
    refund_reference TEXT NOT NULL,
    refund_attempts INTEGER NOT NULL CHECK (refund_attempts >= 0),
    next_refund_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX payment_payments_refunds_due ON payment_payments (next_refund_at)
    WHERE status = 'REFUND_PENDING';
  CREATE INDEX payment_payments_unknown_charges ON payment_payments (created_at)
    WHERE status = 'PENDING' AND charge_unknown = 1;
)sql";

constexpr const char* select_payments =
    "SELECT id, order_id, customer_id, amount, currency, method, token, status, "
    "charge_reference, charge_unknown, abandoned, failure_reason, refund_reason, "
    "refund_reference, refund_attempts, next_refund_at, created_at, updated_at "
    "FROM payment_payments ";
const std::string select_by_order = std::string(select_payments) + "WHERE order_id = ?";
const std::string select_refunds_due = std::string(select_payments) +
                                       "WHERE status = 'REFUND_PENDING' AND next_refund_at <= ? "
                                       "ORDER BY next_refund_at LIMIT ?";
const std::string select_unknown_charges =
    std::string(select_payments) +
    "WHERE status = 'PENDING' AND charge_unknown = 1 ORDER BY created_at LIMIT ?";
// Only what a transition may change is updated; who, what and how much
// stay as first written.
constexpr const char* upsert_payment =
    "INSERT INTO payment_payments (id, order_id, customer_id, amount, currency, method, token, "
    "status, charge_reference, charge_unknown, abandoned, failure_reason, refund_reason, "
    "refund_reference, refund_attempts, next_refund_at, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
    "charge_reference = excluded.charge_reference, charge_unknown = excluded.charge_unknown, "
    "abandoned = excluded.abandoned, failure_reason = excluded.failure_reason, "
    "refund_reason = excluded.refund_reason, refund_reference = excluded.refund_reference, "
    "refund_attempts = excluded.refund_attempts, next_refund_at = excluded.next_refund_at, "
    "updated_at = excluded.updated_at";

Payment payment_at(SQLite::Statement& row) {
  auto status = payment::payment_status_from_string(row.getColumn(7).getString());
  if (!status) throw std::runtime_error("unknown payment status: " + row.getColumn(7).getString());
  PaymentData data;
  data.id = row.getColumn(0).getString();
  data.order_id = row.getColumn(1).getString();
  data.customer_id = row.getColumn(2).getString();
  data.amount = Money{row.getColumn(3).getInt64(), row.getColumn(4).getString()};
  data.method = row.getColumn(5).getString();
  data.token = row.getColumn(6).getString();
  data.status = *status;
  data.charge_reference = row.getColumn(8).getString();
  data.charge_unknown = row.getColumn(9).getInt() != 0;
  data.abandoned = row.getColumn(10).getInt() != 0;
  data.failure_reason = row.getColumn(11).getString();
  data.refund_reason = row.getColumn(12).getString();
  data.refund_reference = row.getColumn(13).getString();
  data.refund_attempts = row.getColumn(14).getInt();
  data.next_refund_at = from_millis(row.getColumn(15).getInt64());
  data.created_at = from_millis(row.getColumn(16).getInt64());
  data.updated_at = from_millis(row.getColumn(17).getInt64());
  return Payment::restore(std::move(data));
}

std::optional<Payment> by_order_in(Connection& connection, const std::string& order_id) {
  auto statement = connection.prepare(select_by_order);
  statement->bind(1, order_id);
  if (!statement->executeStep()) return std::nullopt;
  return payment_at(*statement);
}

std::vector<Payment> all_rows(Statement& statement) {
  std::vector<Payment> payments;
  while (statement->executeStep()) payments.push_back(payment_at(*statement));
  return payments;
}

class Transaction final : public OutboxTransaction<payment::PaymentTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Payment> by_order(const std::string& order_id) override {
    return by_order_in(connection_, order_id);
  }

  void save(const Payment& payment) override {
    const PaymentData& d = payment.data();
    auto statement = connection_.prepare(upsert_payment);
    statement->bind(1, d.id);
    statement->bind(2, d.order_id);
    statement->bind(3, d.customer_id);
    statement->bind(4, d.amount.amount);
    statement->bind(5, d.amount.currency);
    statement->bind(6, d.method);
    statement->bind(7, d.token);
    statement->bind(8, payment::to_string(d.status));
    statement->bind(9, d.charge_reference);
    statement->bind(10, d.charge_unknown ? 1 : 0);
    statement->bind(11, d.abandoned ? 1 : 0);
    statement->bind(12, d.failure_reason);
    statement->bind(13, d.refund_reason);
    statement->bind(14, d.refund_reference);
    statement->bind(15, d.refund_attempts);
    statement->bind(16, to_millis(d.next_refund_at));
    statement->bind(17, to_millis(d.created_at));
    statement->bind(18, to_millis(d.updated_at));
    statement->exec();
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

};

}  // namespace

ModuleSchema payment_schema() {
  return ModuleSchema{"payment",
                      {{1, schema_v1},
                       event_tables_migration(2, "payment"),
                       parked_events_migration(3, "payment")}};
}

SqlitePaymentStore::SqlitePaymentStore(Database& database)
    : database_(database), outbox_(database, "payment") {}

void SqlitePaymentStore::write(const std::function<void(payment::PaymentTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Payment> SqlitePaymentStore::by_order(const std::string& order_id) {
  return by_order_in(database_.reader(), order_id);
}

std::vector<Payment> SqlitePaymentStore::refunds_due(Timestamp now, std::size_t limit) {
  auto statement = database_.reader().prepare(select_refunds_due);
  statement->bind(1, to_millis(now));
  statement->bind(2, static_cast<std::int64_t>(limit));
  return all_rows(statement);
}

std::vector<Payment> SqlitePaymentStore::unknown_charges(std::size_t limit) {
  auto statement = database_.reader().prepare(select_unknown_charges);
  statement->bind(1, static_cast<std::int64_t>(limit));
  return all_rows(statement);
}

}  // namespace shop::sqlite
