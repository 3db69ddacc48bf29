#include "adapters/sqlite/dashboard/sqlite_dashboard_store.hpp"

#include <iterator>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

namespace {

using dashboard::CustomerTotals;
using dashboard::DayTotals;
using dashboard::OrderRow;
using dashboard::ProductRow;
using dashboard::StoredEvent;
using dashboard::TimelineRow;

// dashboard_events is the module's event log and its inbox (event_id is the
// key); `position` is the order events were first stored in, for replay.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE dashboard_events (
    event_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    subject TEXT NOT NULL,
    time INTEGER NOT NULL,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE dashboard_orders (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    cancel_reason TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    delivery_status TEXT NOT NULL,
    total_amount INTEGER NOT NULL,
    total_currency TEXT NOT NULL,
    spent_amount INTEGER NOT NULL,
    spent_currency TEXT NOT NULL,
    refunded_amount INTEGER NOT NULL,
    refunded_currency TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX dashboard_orders_customer ON dashboard_orders (customer_id);
  CREATE TABLE dashboard_order_timeline (
    order_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (order_id, event_id)
  ) WITHOUT ROWID;
)sql";

// The storefront's products and the summary's per-day counters.
// low_stock_threshold is NULL until a StockLow gave one (the default applies).
constexpr const char* schema_v2 = R"sql(
  CREATE TABLE dashboard_products (
    product_id TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_amount INTEGER NOT NULL,
    price_currency TEXT NOT NULL,
    category TEXT NOT NULL,
    active INTEGER NOT NULL,
    version INTEGER NOT NULL,
    on_hand INTEGER NOT NULL,
    reserved INTEGER NOT NULL,
    available INTEGER NOT NULL,
    level_sequence INTEGER NOT NULL,
    low_stock_threshold INTEGER,
    threshold_sequence INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX dashboard_products_storefront ON dashboard_products (active, category, product_id);
  CREATE TABLE dashboard_days (
    date TEXT PRIMARY KEY,
    orders_placed INTEGER NOT NULL,
    revenue INTEGER NOT NULL,
    refunded INTEGER NOT NULL,
    currency TEXT NOT NULL
  ) WITHOUT ROWID;
)sql";

// The storefront pages by product_id. v2's index, led by `active`, had the
// all-categories page sort every active product for each page; this one
// serves a category's page, and the primary key serves the other.
constexpr const char* schema_v3 = R"sql(
  DROP INDEX dashboard_products_storefront;
  CREATE INDEX dashboard_products_storefront ON dashboard_products (category, product_id)
    WHERE active = 1;
)sql";

constexpr const char* product_columns =
    "product_id, sku, name, description, price_amount, price_currency, category, active, "
    "version, on_hand, reserved, available, level_sequence, low_stock_threshold, "
    "threshold_sequence";
const std::string select_product =
    std::string("SELECT ") + product_columns + " FROM dashboard_products WHERE product_id = ?";
const std::string upsert_product =
    std::string("INSERT OR REPLACE INTO dashboard_products (") + product_columns +
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
// Two shapes, each with its own plan: "category = ? OR ? = ''" would keep
// SQLite off the category index for every query.
const std::string select_active_products =
    std::string("SELECT ") + product_columns +
    " FROM dashboard_products WHERE active = 1 AND product_id > ?1 "
    "ORDER BY product_id LIMIT ?3";
const std::string select_active_products_in_category =
    std::string("SELECT ") + product_columns +
    " FROM dashboard_products WHERE active = 1 AND product_id > ?1 AND category = ?2 "
    "ORDER BY product_id LIMIT ?3";
// The rule of dashboard::is_low, in SQL.
const std::string select_low_stock =
    std::string("SELECT ") + product_columns +
    " FROM dashboard_products WHERE active = 1 AND available <= COALESCE(low_stock_threshold, ?1) "
    "ORDER BY product_id LIMIT ?2";
constexpr const char* add_day =
    "INSERT INTO dashboard_days (date, orders_placed, revenue, refunded, currency) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (date) DO UPDATE SET "
    "orders_placed = orders_placed + excluded.orders_placed, "
    "revenue = revenue + excluded.revenue, refunded = refunded + excluded.refunded, "
    "currency = MAX(currency, excluded.currency)";
constexpr const char* select_day =
    "SELECT orders_placed, revenue, refunded, currency FROM dashboard_days WHERE date = ?";
constexpr const char* select_delivery_counts =
    "SELECT delivery_status, COUNT(*) FROM dashboard_orders WHERE delivery_status <> '' "
    "GROUP BY delivery_status";
constexpr const char* delete_products = "DELETE FROM dashboard_products";
constexpr const char* delete_days = "DELETE FROM dashboard_days";

// Writers are serialised, so the next position cannot be taken twice.
constexpr const char* insert_event =
    "INSERT INTO dashboard_events (event_id, position, type, source, subject, time, data) "
    "VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM dashboard_events), ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (event_id) DO NOTHING";
constexpr const char* select_events =
    "SELECT position, event_id, type, source, subject, time, data FROM dashboard_events "
    "WHERE position > ? ORDER BY position LIMIT ?";
constexpr const char* count_events = "SELECT COUNT(*) FROM dashboard_events";
constexpr const char* select_order =
    "SELECT customer_id, status, cancel_reason, payment_status, delivery_status, total_amount, "
    "total_currency, spent_amount, spent_currency, refunded_amount, refunded_currency "
    "FROM dashboard_orders WHERE order_id = ?";
constexpr const char* upsert_order =
    "INSERT INTO dashboard_orders (order_id, customer_id, status, cancel_reason, payment_status, "
    "delivery_status, total_amount, total_currency, spent_amount, spent_currency, "
    "refunded_amount, refunded_currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
    "ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, "
    "status = excluded.status, cancel_reason = excluded.cancel_reason, "
    "payment_status = excluded.payment_status, delivery_status = excluded.delivery_status, "
    "total_amount = excluded.total_amount, total_currency = excluded.total_currency, "
    "spent_amount = excluded.spent_amount, spent_currency = excluded.spent_currency, "
    "refunded_amount = excluded.refunded_amount, refunded_currency = excluded.refunded_currency";
constexpr const char* insert_timeline =
    "INSERT INTO dashboard_order_timeline (order_id, event_id, event, at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr const char* select_timeline =
    "SELECT event_id, event, at FROM dashboard_order_timeline WHERE order_id = ? "
    "ORDER BY at, event_id";
constexpr const char* delete_orders = "DELETE FROM dashboard_orders";
constexpr const char* delete_timeline = "DELETE FROM dashboard_order_timeline";
// The rule of dashboard::summarize, in SQL; ?2..?4 are the active statuses.
constexpr const char* select_customer_totals =
    "SELECT COALESCE(SUM(status <> ''), 0), COALESCE(SUM(status IN (?2, ?3, ?4)), 0), "
    "COALESCE(SUM(status = ?5), 0), COALESCE(SUM(status = ?6), 0), "
    "COALESCE(SUM(spent_amount), 0), COALESCE(SUM(refunded_amount), 0), "
    "COALESCE(MAX(spent_currency), '') FROM dashboard_orders WHERE customer_id = ?1";
static_assert(std::size(dashboard::active_statuses) == 3, "select_customer_totals binds three");

std::optional<OrderRow> row_in(Connection& connection, const std::string& order_id) {
  auto statement = connection.prepare(select_order);
  statement->bind(1, order_id);
  if (!statement->executeStep()) return std::nullopt;
  auto text = [&](int column) { return statement->getColumn(column).getString(); };
  auto number = [&](int column) { return statement->getColumn(column).getInt64(); };
  OrderRow row;
  row.order_id = order_id;
  row.customer_id = text(0);
  row.status = text(1);
  row.cancel_reason = text(2);
  row.payment_status = text(3);
  row.delivery_status = text(4);
  row.total = Money{number(5), text(6)};
  row.spent = Money{number(7), text(8)};
  row.refunded = Money{number(9), text(10)};
  return row;
}

ProductRow product_from(SQLite::Statement& statement) {
  auto text = [&](int column) { return statement.getColumn(column).getString(); };
  auto number = [&](int column) { return statement.getColumn(column).getInt64(); };
  ProductRow row;
  row.product_id = text(0);
  row.sku = text(1);
  row.name = text(2);
  row.description = text(3);
  row.price = Money{number(4), text(5)};
  row.category = text(6);
  row.active = number(7) != 0;
  row.version = number(8);
  row.on_hand = number(9);
  row.reserved = number(10);
  row.available = number(11);
  row.level_sequence = number(12);
  if (!statement.getColumn(13).isNull()) row.low_stock_threshold = number(13);
  row.threshold_sequence = number(14);
  return row;
}

std::optional<ProductRow> product_in(Connection& connection, const std::string& product_id) {
  auto statement = connection.prepare(select_product);
  statement->bind(1, product_id);
  if (!statement->executeStep()) return std::nullopt;
  return product_from(*statement);
}

std::vector<ProductRow> products_of(Statement& statement) {
  std::vector<ProductRow> rows;
  while (statement->executeStep()) rows.push_back(product_from(*statement));
  return rows;
}

std::vector<StoredEvent> events_in(Connection& connection, std::int64_t after_position,
                                   std::size_t limit) {
  auto statement = connection.prepare(select_events);
  statement->bind(1, after_position);
  statement->bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoredEvent> events;
  while (statement->executeStep()) {
    auto text = [&](int column) { return statement->getColumn(column).getString(); };
    events.push_back(StoredEvent{
        statement->getColumn(0).getInt64(),
        EventEnvelope{text(1), text(2), text(3), text(4),
                      from_millis(statement->getColumn(5).getInt64()), text(6)}});
  }
  return events;
}

std::int64_t count_in(Connection& connection) {
  auto statement = connection.prepare(count_events);
  statement->executeStep();
  return statement->getColumn(0).getInt64();
}

class Transaction final : public dashboard::DashboardTransaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}

  bool store_event(const EventEnvelope& event) override {
    auto statement = connection_.prepare(insert_event);
    statement->bind(1, event.id);
    statement->bind(2, event.type);
    statement->bind(3, event.source);
    statement->bind(4, event.subject);
    statement->bind(5, to_millis(event.time));
    statement->bind(6, event.data);
    return statement->exec() == 1;
  }

  std::optional<OrderRow> order_row(const std::string& order_id) override {
    return row_in(connection_, order_id);
  }

  void put_order_row(const OrderRow& row) override {
    auto statement = connection_.prepare(upsert_order);
    statement->bind(1, row.order_id);
    statement->bind(2, row.customer_id);
    statement->bind(3, row.status);
    statement->bind(4, row.cancel_reason);
    statement->bind(5, row.payment_status);
    statement->bind(6, row.delivery_status);
    statement->bind(7, row.total.amount);
    statement->bind(8, row.total.currency);
    statement->bind(9, row.spent.amount);
    statement->bind(10, row.spent.currency);
    statement->bind(11, row.refunded.amount);
    statement->bind(12, row.refunded.currency);
    statement->exec();
  }

  void add_timeline_entry(const TimelineRow& entry) override {
    auto statement = connection_.prepare(insert_timeline);
    statement->bind(1, entry.order_id);
    statement->bind(2, entry.event_id);
    statement->bind(3, entry.event);
    statement->bind(4, to_millis(entry.at));
    statement->exec();
  }

  std::optional<ProductRow> product_row(const std::string& product_id) override {
    return product_in(connection_, product_id);
  }

  void put_product_row(const ProductRow& row) override {
    auto statement = connection_.prepare(upsert_product);
    statement->bind(1, row.product_id);
    statement->bind(2, row.sku);
    statement->bind(3, row.name);
    statement->bind(4, row.description);
    statement->bind(5, row.price.amount);
    statement->bind(6, row.price.currency);
    statement->bind(7, row.category);
    statement->bind(8, row.active ? 1 : 0);
    statement->bind(9, row.version);
    statement->bind(10, row.on_hand);
    statement->bind(11, row.reserved);
    statement->bind(12, row.available);
    statement->bind(13, row.level_sequence);
    if (row.low_stock_threshold) {
      statement->bind(14, *row.low_stock_threshold);
    } else {
      statement->bind(14);  // NULL
    }
    statement->bind(15, row.threshold_sequence);
    statement->exec();
  }

  void add_day_totals(const DayTotals& delta) override {
    auto statement = connection_.prepare(add_day);
    statement->bind(1, delta.date);
    statement->bind(2, delta.orders_placed);
    statement->bind(3, delta.revenue);
    statement->bind(4, delta.refunded);
    statement->bind(5, delta.currency);
    statement->exec();
  }

  void clear_read_models() override {
    connection_.prepare(delete_orders)->exec();
    connection_.prepare(delete_timeline)->exec();
    connection_.prepare(delete_products)->exec();
    connection_.prepare(delete_days)->exec();
  }

  std::vector<StoredEvent> stored_events(std::int64_t after_position, std::size_t limit) override {
    return events_in(connection_, after_position, limit);
  }

  std::int64_t event_count() override { return count_in(connection_); }

 private:
  Connection& connection_;
};

}  // namespace

ModuleSchema dashboard_schema() {
  return ModuleSchema{"dashboard", {{1, schema_v1}, {2, schema_v2}, {3, schema_v3}}};
}

SqliteDashboardStore::SqliteDashboardStore(Database& database) : database_(database) {}

void SqliteDashboardStore::write(
    const std::function<void(dashboard::DashboardTransaction&)>& work) {
  database_.write([&](Connection& connection) {
    Transaction transaction(connection);
    work(transaction);
  });
}

std::optional<OrderRow> SqliteDashboardStore::order_row(const std::string& order_id) {
  return row_in(database_.reader(), order_id);
}

std::vector<TimelineRow> SqliteDashboardStore::timeline(const std::string& order_id) {
  auto statement = database_.reader().prepare(select_timeline);
  statement->bind(1, order_id);
  std::vector<TimelineRow> rows;
  while (statement->executeStep()) {
    rows.push_back(TimelineRow{order_id, statement->getColumn(0).getString(),
                               statement->getColumn(1).getString(),
                               from_millis(statement->getColumn(2).getInt64())});
  }
  return rows;
}

CustomerTotals SqliteDashboardStore::customer_totals(const std::string& customer_id) {
  auto statement = database_.reader().prepare(select_customer_totals);
  statement->bind(1, customer_id);
  int parameter = 2;
  for (const char* status : dashboard::active_statuses) statement->bind(parameter++, status);
  statement->bind(5, dashboard::order_status::delivered);
  statement->bind(6, dashboard::order_status::cancelled);
  statement->executeStep();
  auto number = [&](int column) { return statement->getColumn(column).getInt64(); };
  return CustomerTotals{number(0), number(1), number(2), number(3),
                        number(4), number(5), statement->getColumn(6).getString()};
}

std::optional<ProductRow> SqliteDashboardStore::product_row(const std::string& product_id) {
  return product_in(database_.reader(), product_id);
}

std::vector<ProductRow> SqliteDashboardStore::active_products(const std::string& category,
                                                              const std::string& after_id,
                                                              std::size_t limit) {
  auto statement = database_.reader().prepare(
      category.empty() ? select_active_products : select_active_products_in_category);
  statement->bind(1, after_id);
  if (!category.empty()) statement->bind(2, category);
  statement->bind(3, static_cast<std::int64_t>(limit));
  return products_of(statement);
}

DayTotals SqliteDashboardStore::day_totals(const std::string& date) {
  auto statement = database_.reader().prepare(select_day);
  statement->bind(1, date);
  DayTotals totals{date, 0, 0, 0, ""};
  if (statement->executeStep()) {
    totals.orders_placed = statement->getColumn(0).getInt64();
    totals.revenue = statement->getColumn(1).getInt64();
    totals.refunded = statement->getColumn(2).getInt64();
    totals.currency = statement->getColumn(3).getString();
  }
  return totals;
}

std::map<std::string, std::int64_t> SqliteDashboardStore::deliveries_by_status() {
  auto statement = database_.reader().prepare(select_delivery_counts);
  std::map<std::string, std::int64_t> counts;
  while (statement->executeStep()) {
    counts[statement->getColumn(0).getString()] = statement->getColumn(1).getInt64();
  }
  return counts;
}

std::vector<ProductRow> SqliteDashboardStore::low_stock(std::int64_t default_threshold,
                                                        std::size_t limit) {
  auto statement = database_.reader().prepare(select_low_stock);
  statement->bind(1, default_threshold);
  statement->bind(2, static_cast<std::int64_t>(limit));
  return products_of(statement);
}

std::vector<StoredEvent> SqliteDashboardStore::stored_events(std::int64_t after_position,
                                                             std::size_t limit) {
  return events_in(database_.reader(), after_position, limit);
}

std::int64_t SqliteDashboardStore::event_count() { return count_in(database_.reader()); }

}  // namespace shop::sqlite
