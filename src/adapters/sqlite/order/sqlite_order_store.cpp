#include "adapters/sqlite/order/sqlite_order_store.hpp"

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

namespace {

using order::IdempotencyRecord;
using order::Order;
using order::OrderData;

constexpr const char* schema_v1 = R"sql(
  CREATE TABLE order_orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    step TEXT NOT NULL,
    cancel_reason TEXT NOT NULL,
    total_amount INTEGER NOT NULL,
    total_currency TEXT NOT NULL,
    address_name TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL,
    address_city TEXT NOT NULL,
    address_postal_code TEXT NOT NULL,
    address_phone TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_token TEXT NOT NULL,
    payment_attempts INTEGER NOT NULL,
    retry_at INTEGER,
    payment_deadline INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX order_orders_customer ON order_orders (customer_id, id);
  CREATE INDEX order_orders_status ON order_orders (status, id);
  CREATE INDEX order_orders_unfinished ON order_orders (id) WHERE step <> 'finished';
  CREATE TABLE order_lines (
    order_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_amount INTEGER NOT NULL,
    unit_currency TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, position)
  ) WITHOUT ROWID;
  CREATE TABLE order_idempotency_keys (
    customer_id TEXT NOT NULL,
    key TEXT NOT NULL,
    body_digest TEXT NOT NULL,
    completed INTEGER NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX order_idempotency_keys_age ON order_idempotency_keys (created_at);
)sql";

// A request cut off by a crash is answered from its order: keys remember it.
constexpr const char* schema_v4 =
    "ALTER TABLE order_idempotency_keys ADD COLUMN order_id TEXT NOT NULL DEFAULT ''";

#define ORDER_COLUMNS                                                                        \
  "id, customer_id, status, step, cancel_reason, total_amount, total_currency, address_name, " \
  "address_line1, address_line2, address_city, address_postal_code, address_phone, "         \
  "payment_method, payment_token, payment_attempts, retry_at, payment_deadline, created_at, "  \
  "updated_at"

constexpr const char* select_order = "SELECT " ORDER_COLUMNS " FROM order_orders WHERE id = ?";
constexpr const char* upsert_order =
    "INSERT INTO order_orders (" ORDER_COLUMNS ") VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, step = excluded.step, "
    "cancel_reason = excluded.cancel_reason, payment_attempts = excluded.payment_attempts, "
    "retry_at = excluded.retry_at, payment_deadline = excluded.payment_deadline, "
    "updated_at = excluded.updated_at";
// Visible orders only, newest first; absent filters are bound as NULL or ''.
constexpr const char* list_orders =
    "SELECT " ORDER_COLUMNS " FROM order_orders WHERE status NOT IN ('PLACING', 'REJECTED') "
    "AND (?1 = '' OR id < ?1) AND (?2 IS NULL OR status = ?2) "
    "AND (?3 = '' OR customer_id = ?3) ORDER BY id DESC LIMIT ?4";
constexpr const char* select_unfinished =
    "SELECT id FROM order_orders WHERE step <> 'finished' "
    "AND (step <> 'awaiting_retry' OR retry_at <= ?1) ORDER BY id LIMIT ?2";

// Walks the (status, id) index only.
constexpr const char* count_by_status_sql =
    "SELECT status, count(*) FROM order_orders GROUP BY status";

#undef ORDER_COLUMNS

constexpr const char* select_lines =
    "SELECT product_id, sku, name, unit_amount, unit_currency, quantity FROM order_lines "
    "WHERE order_id = ? ORDER BY position";
constexpr const char* insert_line =
    "INSERT INTO order_lines (order_id, position, product_id, sku, name, unit_amount, "
    "unit_currency, quantity) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
constexpr const char* select_key =
    "SELECT body_digest, completed, status, body, created_at, order_id "
    "FROM order_idempotency_keys WHERE customer_id = ? AND key = ?";
constexpr const char* upsert_key =
    "INSERT INTO order_idempotency_keys (customer_id, key, body_digest, completed, status, body, "
    "created_at, order_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (customer_id, key) DO UPDATE SET body_digest = excluded.body_digest, "
    "completed = excluded.completed, status = excluded.status, body = excluded.body, "
    "created_at = excluded.created_at, order_id = excluded.order_id";
constexpr const char* delete_key =
    "DELETE FROM order_idempotency_keys WHERE customer_id = ? AND key = ?";
constexpr const char* delete_old_keys = "DELETE FROM order_idempotency_keys WHERE created_at < ?";

std::optional<Timestamp> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_millis(column.getInt64());
}

Order read_order(Connection& connection, SQLite::Statement& row) {
  OrderData d;
  d.id = row.getColumn(0).getString();
  d.customer_id = row.getColumn(1).getString();
  auto status = order::status_from_string(row.getColumn(2).getString());
  auto step = order::step_from_string(row.getColumn(3).getString());
  if (!status || !step) throw std::runtime_error("unknown order status or step stored for " + d.id);
  d.status = *status;
  d.step = *step;
  d.cancel_reason = row.getColumn(4).getString();
  d.total = Money{row.getColumn(5).getInt64(), row.getColumn(6).getString()};
  d.address = order::Address{row.getColumn(7).getString(),  row.getColumn(8).getString(),
                             row.getColumn(9).getString(),  row.getColumn(10).getString(),
                             row.getColumn(11).getString(), row.getColumn(12).getString()};
  d.payment_method = row.getColumn(13).getString();
  d.payment_token = row.getColumn(14).getString();
  d.payment_attempts = row.getColumn(15).getInt();
  d.retry_at = optional_time(row.getColumn(16));
  d.payment_deadline = optional_time(row.getColumn(17));
  d.created_at = from_millis(row.getColumn(18).getInt64());
  d.updated_at = from_millis(row.getColumn(19).getInt64());
  auto lines = connection.prepare(select_lines);
  lines->bind(1, d.id);
  while (lines->executeStep()) {
    d.lines.push_back(order::OrderLine{
        lines->getColumn(0).getString(), lines->getColumn(1).getString(),
        lines->getColumn(2).getString(),
        Money{lines->getColumn(3).getInt64(), lines->getColumn(4).getString()},
        lines->getColumn(5).getInt64()});
  }
  return Order::restore(std::move(d));
}

std::optional<Order> find_in(Connection& connection, const std::string& order_id) {
  auto statement = connection.prepare(select_order);
  statement->bind(1, order_id);
  if (!statement->executeStep()) return std::nullopt;
  return read_order(connection, *statement);
}

void bind_optional_time(SQLite::Statement& statement, int index, const std::optional<Timestamp>& time) {
  if (time) {
    statement.bind(index, to_millis(*time));
  } else {
    statement.bind(index);
  }
}

std::optional<IdempotencyRecord> key_in(Connection& connection, const std::string& customer_id,
                                        const std::string& key) {
  auto statement = connection.prepare(select_key);
  statement->bind(1, customer_id);
  statement->bind(2, key);
  if (!statement->executeStep()) return std::nullopt;
  return IdempotencyRecord{customer_id,
                           key,
                           statement->getColumn(0).getString(),
                           statement->getColumn(1).getInt() != 0,
                           statement->getColumn(2).getInt(),
                           statement->getColumn(3).getString(),
                           from_millis(statement->getColumn(4).getInt64()),
                           statement->getColumn(5).getString()};
}

class Transaction final : public OutboxTransaction<order::OrderTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Order> find(const std::string& order_id) override {
    return find_in(connection_, order_id);
  }

  void save(const Order& order) override {
    const auto& d = order.data();
    auto statement = connection_.prepare(upsert_order);
    statement->bind(1, d.id);
    statement->bind(2, d.customer_id);
    statement->bind(3, order::to_string(d.status));
    statement->bind(4, order::to_string(d.step));
    statement->bind(5, d.cancel_reason);
    statement->bind(6, d.total.amount);
    statement->bind(7, d.total.currency);
    statement->bind(8, d.address.name);
    statement->bind(9, d.address.line1);
    statement->bind(10, d.address.line2);
    statement->bind(11, d.address.city);
    statement->bind(12, d.address.postal_code);
    statement->bind(13, d.address.phone);
    statement->bind(14, d.payment_method);
    statement->bind(15, d.payment_token);
    statement->bind(16, d.payment_attempts);
    bind_optional_time(*statement, 17, d.retry_at);
    bind_optional_time(*statement, 18, d.payment_deadline);
    statement->bind(19, to_millis(d.created_at));
    statement->bind(20, to_millis(d.updated_at));
    statement->exec();
    // Lines are a snapshot taken once; saving again leaves them as they are.
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
      const auto& line = d.lines[i];
      auto insert = connection_.prepare(insert_line);
      insert->bind(1, d.id);
      insert->bind(2, static_cast<std::int64_t>(i));
      insert->bind(3, line.product_id);
      insert->bind(4, line.sku);
      insert->bind(5, line.name);
      insert->bind(6, line.unit_price.amount);
      insert->bind(7, line.unit_price.currency);
      insert->bind(8, line.quantity);
      insert->exec();
    }
  }

  std::optional<IdempotencyRecord> idempotency(const std::string& customer_id,
                                               const std::string& key) override {
    return key_in(connection_, customer_id, key);
  }

  void save(const IdempotencyRecord& record) override {
    auto statement = connection_.prepare(upsert_key);
    statement->bind(1, record.customer_id);
    statement->bind(2, record.key);
    statement->bind(3, record.body_digest);
    statement->bind(4, record.completed ? 1 : 0);
    statement->bind(5, record.status);
    statement->bind(6, record.body);
    statement->bind(7, to_millis(record.created_at));
    statement->bind(8, record.order_id);
    statement->exec();
  }

  void forget(const std::string& customer_id, const std::string& key) override {
    auto statement = connection_.prepare(delete_key);
    statement->bind(1, customer_id);
    statement->bind(2, key);
    statement->exec();
  }

  std::size_t forget_keys_before(Timestamp cutoff) override {
    auto statement = connection_.prepare(delete_old_keys);
    statement->bind(1, to_millis(cutoff));
    return std::size_t(statement->exec());
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

};

}  // namespace

ModuleSchema order_schema() {
  return ModuleSchema{"order", {{1, schema_v1}, event_tables_migration(2, "order"),
                                parked_events_migration(3, "order"), {4, schema_v4}}};
}

SqliteOrderStore::SqliteOrderStore(Database& database)
    : database_(database), outbox_(database, "order") {}

void SqliteOrderStore::write(const std::function<void(order::OrderTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Order> SqliteOrderStore::find(const std::string& order_id) {
  return find_in(database_.reader(), order_id);
}

std::optional<IdempotencyRecord> SqliteOrderStore::idempotency(const std::string& customer_id,
                                                              const std::string& key) {
  return key_in(database_.reader(), customer_id, key);
}

std::vector<Order> SqliteOrderStore::list(const order::OrderFilter& filter) {
  Connection& connection = database_.reader();
  auto statement = connection.prepare(list_orders);
  statement->bind(1, filter.before_id);
  if (filter.status) {
    statement->bind(2, order::to_string(*filter.status));
  } else {
    statement->bind(2);
  }
  statement->bind(3, filter.customer_id);
  statement->bind(4, static_cast<std::int64_t>(filter.limit));
  std::vector<Order> orders;
  while (statement->executeStep()) orders.push_back(read_order(connection, *statement));
  return orders;
}

std::vector<std::string> SqliteOrderStore::unfinished(Timestamp now, std::size_t limit) {
  auto statement = database_.reader().prepare(select_unfinished);
  statement->bind(1, to_millis(now));
  statement->bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  while (statement->executeStep()) ids.push_back(statement->getColumn(0).getString());
  return ids;
}

std::vector<std::pair<order::Status, std::int64_t>> SqliteOrderStore::count_by_status() {
  auto statement = database_.reader().prepare(count_by_status_sql);
  std::vector<std::pair<order::Status, std::int64_t>> counts;
  while (statement->executeStep()) {
    auto status = order::status_from_string(statement->getColumn(0).getString());
    if (!status) throw std::runtime_error("unknown order status stored");
    counts.emplace_back(*status, statement->getColumn(1).getInt64());
  }
  return counts;
}

}  // namespace shop::sqlite
