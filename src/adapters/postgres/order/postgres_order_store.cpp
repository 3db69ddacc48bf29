#include "adapters/postgres/order/postgres_order_store.hpp"

#include <stdexcept>

#include "adapters/postgres/row_locks.hpp"

namespace shop::postgres {

namespace {

using order::IdempotencyRecord;
using order::Order;
using order::OrderData;

// SQLite's version 4 (the keys' order_id) is part of the table from the
// start here: no PostgreSQL database predates it.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE order_orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    step TEXT NOT NULL,
    cancel_reason TEXT NOT NULL,
    total_amount BIGINT NOT NULL,
    total_currency TEXT NOT NULL,
    address_name TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL,
    address_city TEXT NOT NULL,
    address_postal_code TEXT NOT NULL,
    address_phone TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_token TEXT NOT NULL,
    payment_attempts BIGINT NOT NULL,
    retry_at BIGINT,
    payment_deadline BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX order_orders_customer ON order_orders (customer_id, id);
  CREATE INDEX order_orders_status ON order_orders (status, id);
  CREATE INDEX order_orders_unfinished ON order_orders (id) WHERE step <> 'finished';
  CREATE TABLE order_lines (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_amount BIGINT NOT NULL,
    unit_currency TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, position)
  );
  CREATE TABLE order_idempotency_keys (
    customer_id TEXT NOT NULL,
    key TEXT NOT NULL,
    body_digest TEXT NOT NULL,
    completed BIGINT NOT NULL,
    status BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    order_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, key)
  );
  CREATE INDEX order_idempotency_keys_age ON order_idempotency_keys (created_at);
)sql";

#define ORDER_COLUMNS                                                                        \
  "id, customer_id, status, step, cancel_reason, total_amount, total_currency, address_name, " \
  "address_line1, address_line2, address_city, address_postal_code, address_phone, "         \
  "payment_method, payment_token, payment_attempts, retry_at, payment_deadline, created_at, "  \
  "updated_at"

constexpr const char* select_order = "SELECT " ORDER_COLUMNS " FROM order_orders WHERE id = $1";
constexpr const char* lock_order =
    "SELECT " ORDER_COLUMNS " FROM order_orders WHERE id = $1 FOR UPDATE";
#define INSERT_ORDER                                                                            \
  "INSERT INTO order_orders (" ORDER_COLUMNS ") VALUES "                                        \
  "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) "
constexpr const char* insert_order = INSERT_ORDER "ON CONFLICT (id) DO NOTHING";
constexpr const char* upsert_order =
    INSERT_ORDER "ON CONFLICT (id) DO UPDATE SET status = excluded.status, step = excluded.step, "
    "cancel_reason = excluded.cancel_reason, payment_attempts = excluded.payment_attempts, "
    "retry_at = excluded.retry_at, payment_deadline = excluded.payment_deadline, "
    "updated_at = excluded.updated_at";
// Visible orders only, newest first; absent filters are bound as NULL or ''.
constexpr const char* list_orders =
    "SELECT " ORDER_COLUMNS " FROM order_orders WHERE status NOT IN ('PLACING', 'REJECTED') "
    "AND ($1 = '' OR id < $1) AND ($2::text IS NULL OR status = $2) "
    "AND ($3 = '' OR customer_id = $3) ORDER BY id DESC LIMIT $4";
constexpr const char* select_unfinished =
    "SELECT id FROM order_orders WHERE step <> 'finished' "
    "AND (step <> 'awaiting_retry' OR retry_at <= $1) ORDER BY id LIMIT $2";

// Walks the (status, id) index only.
constexpr const char* count_by_status_sql =
    "SELECT status, count(*) FROM order_orders GROUP BY status";

#undef INSERT_ORDER
#undef ORDER_COLUMNS

constexpr const char* select_lines =
    "SELECT product_id, sku, name, unit_amount, unit_currency, quantity FROM order_lines "
    "WHERE order_id = $1 ORDER BY position";
constexpr const char* insert_line =
    "INSERT INTO order_lines (order_id, position, product_id, sku, name, unit_amount, "
    "unit_currency, quantity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
constexpr const char* select_key =
    "SELECT body_digest, completed, status, body, created_at, order_id "
    "FROM order_idempotency_keys WHERE customer_id = $1 AND key = $2";
constexpr const char* lock_key =
    "SELECT body_digest, completed, status, body, created_at, order_id "
    "FROM order_idempotency_keys WHERE customer_id = $1 AND key = $2 FOR UPDATE";
#define INSERT_KEY                                                                              \
  "INSERT INTO order_idempotency_keys (customer_id, key, body_digest, completed, status, body, " \
  "created_at, order_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
constexpr const char* insert_key = INSERT_KEY "ON CONFLICT (customer_id, key) DO NOTHING";
constexpr const char* upsert_key =
    INSERT_KEY "ON CONFLICT (customer_id, key) DO UPDATE SET body_digest = excluded.body_digest, "
    "completed = excluded.completed, status = excluded.status, body = excluded.body, "
    "created_at = excluded.created_at, order_id = excluded.order_id";
#undef INSERT_KEY
constexpr const char* delete_key =
    "DELETE FROM order_idempotency_keys WHERE customer_id = $1 AND key = $2";
constexpr const char* delete_old_keys =
    "DELETE FROM order_idempotency_keys WHERE created_at < $1";

std::optional<Timestamp> optional_time(const Result& rows, int row, int column) {
  if (rows.is_null(row, column)) return std::nullopt;
  return from_unix_millis(rows.integer(row, column));
}

Param millis_or_null(const std::optional<Timestamp>& time) {
  if (!time) return std::nullopt;
  return param(unix_millis(*time));
}

Order read_order(Connection& connection, const Result& rows, int row) {
  auto text = [&](int column) { return rows.text(row, column); };
  OrderData d;
  d.id = text(0);
  d.customer_id = text(1);
  auto status = order::status_from_string(text(2));
  auto step = order::step_from_string(text(3));
  if (!status || !step) throw std::runtime_error("unknown order status or step stored for " + d.id);
  d.status = *status;
  d.step = *step;
  d.cancel_reason = text(4);
  d.total = Money{rows.integer(row, 5), text(6)};
  d.address = order::Address{text(7), text(8), text(9), text(10), text(11), text(12)};
  d.payment_method = text(13);
  d.payment_token = text(14);
  d.payment_attempts = int(rows.integer(row, 15));
  d.retry_at = optional_time(rows, row, 16);
  d.payment_deadline = optional_time(rows, row, 17);
  d.created_at = from_unix_millis(rows.integer(row, 18));
  d.updated_at = from_unix_millis(rows.integer(row, 19));
  auto lines = connection.exec(select_lines, {param(d.id)});
  for (int line = 0; line < lines.rows(); ++line) {
    d.lines.push_back(order::OrderLine{
        lines.text(line, 0), lines.text(line, 1), lines.text(line, 2),
        Money{lines.integer(line, 3), lines.text(line, 4)}, lines.integer(line, 5)});
  }
  return Order::restore(std::move(d));
}

std::optional<Order> find_in(Connection& connection, const std::string& order_id,
                             const char* sql = select_order) {
  auto rows = connection.exec(sql, {param(order_id)});
  if (rows.empty()) return std::nullopt;
  return read_order(connection, rows, 0);
}

std::optional<IdempotencyRecord> key_in(Connection& connection, const std::string& customer_id,
                                        const std::string& key, const char* sql = select_key) {
  auto rows = connection.exec(sql, {param(customer_id), param(key)});
  if (rows.empty()) return std::nullopt;
  return IdempotencyRecord{customer_id,
                           key,
                           rows.text(0, 0),
                           rows.integer(0, 1) != 0,
                           int(rows.integer(0, 2)),
                           rows.text(0, 3),
                           from_unix_millis(rows.integer(0, 4)),
                           rows.text(0, 5)};
}

// The customer id cannot hold this separator (it is an id we minted).
std::string key_of(const std::string& customer_id, const std::string& key) {
  return customer_id + '\n' + key;
}

// At READ COMMITTED with row locks (RowLocks): under SERIALIZABLE, new
// orders' ids land on one index page, and the predicate locks of every
// transaction that looked one up there abort each other's inserts.
class Transaction final : public OutboxTransaction<order::OrderTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Order> find(const std::string& order_id) override {
    return orders_.read(connection_, order_id,
                        [&] { return find_in(connection_, order_id, lock_order); });
  }

  void save(const Order& order) override {
    const auto& d = order.data();
    std::vector<Param> values{
        param(d.id), param(d.customer_id), param(order::to_string(d.status)),
        param(order::to_string(d.step)), param(d.cancel_reason), param(d.total.amount),
        param(d.total.currency), param(d.address.name), param(d.address.line1),
        param(d.address.line2), param(d.address.city), param(d.address.postal_code),
        param(d.address.phone), param(d.payment_method), param(d.payment_token),
        param(d.payment_attempts), millis_or_null(d.retry_at), millis_or_null(d.payment_deadline),
        param(unix_millis(d.created_at)), param(unix_millis(d.updated_at))};
    if (!orders_.insert_if_absent(connection_, d.id, insert_order, values)) {
      connection_.defer(upsert_order, values);
    }
    // Lines are a snapshot taken once: an order read here has its lines.
    if (orders_.found(d.id)) return;
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
      const auto& line = d.lines[i];
      connection_.defer(insert_line, {param(d.id), param(std::int64_t(i)), param(line.product_id),
                                      param(line.sku), param(line.name),
                                      param(line.unit_price.amount), param(line.unit_price.currency),
                                      param(line.quantity)});
    }
  }

  std::optional<IdempotencyRecord> idempotency(const std::string& customer_id,
                                               const std::string& key) override {
    return keys_.read(connection_, key_of(customer_id, key),
                      [&] { return key_in(connection_, customer_id, key, lock_key); });
  }

  void save(const IdempotencyRecord& record) override {
    std::vector<Param> values{param(record.customer_id),         param(record.key),
                              param(record.body_digest),         param(record.completed ? 1 : 0),
                              param(record.status),              param(record.body),
                              param(unix_millis(record.created_at)), param(record.order_id)};
    if (!keys_.insert_if_absent(connection_, key_of(record.customer_id, record.key),
                                       insert_key, values)) {
      connection_.defer(upsert_key, values);
    }
  }

  void forget(const std::string& customer_id, const std::string& key) override {
    connection_.defer(delete_key, {param(customer_id), param(key)});
  }

  std::size_t forget_keys_before(Timestamp cutoff) override {
    return std::size_t(connection_.exec(delete_old_keys, {param(unix_millis(cutoff))}).affected());
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

 private:
  RowLocks orders_{"order_orders"};
  RowLocks keys_{"order_idempotency_keys"};
};

}  // namespace

ModuleSchema order_schema() {
  return ModuleSchema{"order", {{1, schema_v1}, event_tables_migration(2, "order")}};
}

PostgresOrderStore::PostgresOrderStore(Database& database)
    : database_(database), outbox_(database, "order") {}

void PostgresOrderStore::write(const std::function<void(order::OrderTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work, Isolation::read_committed);
}

std::optional<Order> PostgresOrderStore::find(const std::string& order_id) {
  std::optional<Order> found;
  database_.read([&](Connection& connection) { found = find_in(connection, order_id); });
  return found;
}

std::optional<IdempotencyRecord> PostgresOrderStore::idempotency(const std::string& customer_id,
                                                                const std::string& key) {
  std::optional<IdempotencyRecord> record;
  database_.read([&](Connection& connection) { record = key_in(connection, customer_id, key); });
  return record;
}

std::vector<Order> PostgresOrderStore::list(const order::OrderFilter& filter) {
  std::vector<Order> orders;
  database_.read([&](Connection& connection) {
    orders.clear();  // each order's lines are a statement of their own: a rerun starts over
    Param status;
    if (filter.status) status = param(order::to_string(*filter.status));
    auto rows = connection.exec(list_orders, {param(filter.before_id), status,
                                              param(filter.customer_id),
                                              param(std::int64_t(filter.limit))});
    for (int row = 0; row < rows.rows(); ++row) orders.push_back(read_order(connection, rows, row));
  });
  return orders;
}

std::vector<std::string> PostgresOrderStore::unfinished(Timestamp now, std::size_t limit) {
  std::vector<std::string> ids;
  database_.read([&](Connection& connection) {
    auto rows =
        connection.exec(select_unfinished, {param(unix_millis(now)), param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) ids.push_back(rows.text(row, 0));
  });
  return ids;
}

std::vector<std::pair<order::Status, std::int64_t>> PostgresOrderStore::count_by_status() {
  std::vector<std::pair<order::Status, std::int64_t>> counts;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(count_by_status_sql);
    for (int row = 0; row < rows.rows(); ++row) {
      auto status = order::status_from_string(rows.text(row, 0));
      if (!status) throw std::runtime_error("unknown order status stored");
      counts.emplace_back(*status, rows.integer(row, 1));
    }
  });
  return counts;
}

}  // namespace shop::postgres
