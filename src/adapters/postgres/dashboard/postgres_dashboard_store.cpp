#include "adapters/postgres/dashboard/postgres_dashboard_store.hpp"

#include <iterator>

namespace shop::postgres {

namespace {

using dashboard::CustomerTotals;
using dashboard::DayTotals;
using dashboard::OrderRow;
using dashboard::ProductRow;
using dashboard::StoredEvent;
using dashboard::TimelineRow;

// SQLite's three versions in one: no PostgreSQL database predates them.
// dashboard_events is the module's event log and its inbox (event_id is the
// key); `position` is the order events were first stored in, for replay.
// dashboard_products is the storefront (low_stock_threshold is NULL until a
// StockLow gave one: the default applies); dashboard_days the summary's
// per-day counters. A category's storefront page walks the partial index,
// the all-categories page the primary key.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE dashboard_events (
    event_id TEXT PRIMARY KEY,
    position BIGINT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    subject TEXT NOT NULL,
    time BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE dashboard_orders (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    cancel_reason TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    delivery_status TEXT NOT NULL,
    total_amount BIGINT NOT NULL,
    total_currency TEXT NOT NULL,
    spent_amount BIGINT NOT NULL,
    spent_currency TEXT NOT NULL,
    refunded_amount BIGINT NOT NULL,
    refunded_currency TEXT NOT NULL
  );
  CREATE INDEX dashboard_orders_customer ON dashboard_orders (customer_id);
  CREATE TABLE dashboard_order_timeline (
    order_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (order_id, event_id)
  );
  CREATE TABLE dashboard_products (
    product_id TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_amount BIGINT NOT NULL,
    price_currency TEXT NOT NULL,
    category TEXT NOT NULL,
    active BIGINT NOT NULL,
    version BIGINT NOT NULL,
    on_hand BIGINT NOT NULL,
    reserved BIGINT NOT NULL,
    available BIGINT NOT NULL,
    level_sequence BIGINT NOT NULL,
    low_stock_threshold BIGINT,
    threshold_sequence BIGINT NOT NULL
  );
  CREATE INDEX dashboard_products_storefront ON dashboard_products (category, product_id)
    WHERE active = 1;
  CREATE TABLE dashboard_days (
    date TEXT PRIMARY KEY,
    orders_placed BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    refunded BIGINT NOT NULL,
    currency TEXT NOT NULL
  );
)sql";

#define PRODUCT_COLUMNS                                                                     \
  "product_id, sku, name, description, price_amount, price_currency, category, active, " \
  "version, on_hand, reserved, available, level_sequence, low_stock_threshold, "         \
  "threshold_sequence"

constexpr const char* select_product =
    "SELECT " PRODUCT_COLUMNS " FROM dashboard_products WHERE product_id = $1";
// A whole row replaced, as SQLite's INSERT OR REPLACE does.
constexpr const char* upsert_product =
    "INSERT INTO dashboard_products (" PRODUCT_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
    "ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, name = excluded.name, "
    "description = excluded.description, price_amount = excluded.price_amount, "
    "price_currency = excluded.price_currency, category = excluded.category, "
    "active = excluded.active, version = excluded.version, on_hand = excluded.on_hand, "
    "reserved = excluded.reserved, available = excluded.available, "
    "level_sequence = excluded.level_sequence, low_stock_threshold = excluded.low_stock_threshold, "
    "threshold_sequence = excluded.threshold_sequence";
// Two shapes, each with its own plan: one with "category = $2 OR $2 = ''"
// could not use the category index.
constexpr const char* select_active_products =
    "SELECT " PRODUCT_COLUMNS " FROM dashboard_products WHERE active = 1 AND product_id > $1 "
    "ORDER BY product_id LIMIT $2";
constexpr const char* select_active_products_in_category =
    "SELECT " PRODUCT_COLUMNS " FROM dashboard_products WHERE active = 1 AND product_id > $1 "
    "AND category = $2 ORDER BY product_id LIMIT $3";
// The rule of dashboard::is_low, in SQL.
constexpr const char* select_low_stock =
    "SELECT " PRODUCT_COLUMNS " FROM dashboard_products "
    "WHERE active = 1 AND available <= COALESCE(low_stock_threshold, $1) "
    "ORDER BY product_id LIMIT $2";

#undef PRODUCT_COLUMNS

constexpr const char* add_day =
    "INSERT INTO dashboard_days (date, orders_placed, revenue, refunded, currency) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (date) DO UPDATE SET "
    "orders_placed = dashboard_days.orders_placed + excluded.orders_placed, "
    "revenue = dashboard_days.revenue + excluded.revenue, "
    "refunded = dashboard_days.refunded + excluded.refunded, "
    "currency = GREATEST(dashboard_days.currency, excluded.currency)";
constexpr const char* select_day =
    "SELECT orders_placed, revenue, refunded, currency FROM dashboard_days WHERE date = $1";
constexpr const char* select_delivery_counts =
    "SELECT delivery_status, COUNT(*) FROM dashboard_orders WHERE delivery_status <> '' "
    "GROUP BY delivery_status";
constexpr const char* delete_products = "DELETE FROM dashboard_products";
constexpr const char* delete_days = "DELETE FROM dashboard_days";

// Positions without gaps, in commit order: write transactions are
// serializable, so of two that read the same maximum only one commits; the
// other runs again and takes the next.
constexpr const char* insert_event =
    "INSERT INTO dashboard_events (event_id, position, type, source, subject, time, data) "
    "VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM dashboard_events), $2, $3, $4, $5, "
    "$6) ON CONFLICT (event_id) DO NOTHING";
constexpr const char* select_events =
    "SELECT position, event_id, type, source, subject, time, data FROM dashboard_events "
    "WHERE position > $1 ORDER BY position LIMIT $2";
constexpr const char* count_events = "SELECT COUNT(*) FROM dashboard_events";
constexpr const char* select_order =
    "SELECT customer_id, status, cancel_reason, payment_status, delivery_status, total_amount, "
    "total_currency, spent_amount, spent_currency, refunded_amount, refunded_currency "
    "FROM dashboard_orders WHERE order_id = $1";
constexpr const char* upsert_order =
    "INSERT INTO dashboard_orders (order_id, customer_id, status, cancel_reason, payment_status, "
    "delivery_status, total_amount, total_currency, spent_amount, spent_currency, "
    "refunded_amount, refunded_currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12) ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, "
    "status = excluded.status, cancel_reason = excluded.cancel_reason, "
    "payment_status = excluded.payment_status, delivery_status = excluded.delivery_status, "
    "total_amount = excluded.total_amount, total_currency = excluded.total_currency, "
    "spent_amount = excluded.spent_amount, spent_currency = excluded.spent_currency, "
    "refunded_amount = excluded.refunded_amount, refunded_currency = excluded.refunded_currency";
constexpr const char* insert_timeline =
    "INSERT INTO dashboard_order_timeline (order_id, event_id, event, at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING";
constexpr const char* select_timeline =
    "SELECT event_id, event, at FROM dashboard_order_timeline WHERE order_id = $1 "
    "ORDER BY at, event_id";
constexpr const char* delete_orders = "DELETE FROM dashboard_orders";
constexpr const char* delete_timeline = "DELETE FROM dashboard_order_timeline";
// The rule of dashboard::summarize, in SQL; $2..$4 are the active statuses.
// SUM of BIGINT is NUMERIC on PostgreSQL: cast back.
constexpr const char* select_customer_totals =
    "SELECT COUNT(*) FILTER (WHERE status <> ''), COUNT(*) FILTER (WHERE status IN ($2, $3, $4)), "
    "COUNT(*) FILTER (WHERE status = $5), COUNT(*) FILTER (WHERE status = $6), "
    "COALESCE(SUM(spent_amount), 0)::BIGINT, COALESCE(SUM(refunded_amount), 0)::BIGINT, "
    "COALESCE(MAX(spent_currency), '') FROM dashboard_orders WHERE customer_id = $1";
static_assert(std::size(dashboard::active_statuses) == 3, "select_customer_totals binds three");

std::optional<OrderRow> row_in(Connection& connection, const std::string& order_id) {
  auto rows = connection.exec(select_order, {param(order_id)});
  if (rows.empty()) return std::nullopt;
  auto text = [&](int column) { return rows.text(0, column); };
  auto number = [&](int column) { return rows.integer(0, column); };
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

ProductRow product_from(const Result& rows, int at) {
  auto text = [&](int column) { return rows.text(at, column); };
  auto number = [&](int column) { return rows.integer(at, column); };
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
  if (!rows.is_null(at, 13)) row.low_stock_threshold = number(13);
  row.threshold_sequence = number(14);
  return row;
}

std::vector<ProductRow> products_of(const Result& rows) {
  std::vector<ProductRow> products;
  for (int row = 0; row < rows.rows(); ++row) products.push_back(product_from(rows, row));
  return products;
}

std::optional<ProductRow> product_in(Connection& connection, const std::string& product_id) {
  auto rows = connection.exec(select_product, {param(product_id)});
  if (rows.empty()) return std::nullopt;
  return product_from(rows, 0);
}

std::vector<StoredEvent> events_in(Connection& connection, std::int64_t after_position,
                                   std::size_t limit) {
  auto rows = connection.exec(select_events, {param(after_position), param(std::int64_t(limit))});
  std::vector<StoredEvent> events;
  for (int row = 0; row < rows.rows(); ++row) {
    auto text = [&](int column) { return rows.text(row, column); };
    events.push_back(StoredEvent{
        rows.integer(row, 0), EventEnvelope{text(1), text(2), text(3), text(4),
                                            from_unix_millis(rows.integer(row, 5)), text(6)}});
  }
  return events;
}

std::int64_t count_in(Connection& connection) {
  return connection.exec(count_events).integer(0, 0);
}

class Transaction final : public dashboard::DashboardTransaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}

  bool store_event(const EventEnvelope& event) override {
    return connection_
               .exec(insert_event, {param(event.id), param(event.type), param(event.source),
                                    param(event.subject), param(unix_millis(event.time)),
                                    param(event.data)})
               .affected() == 1;
  }

  std::optional<OrderRow> order_row(const std::string& order_id) override {
    return row_in(connection_, order_id);
  }

  void put_order_row(const OrderRow& row) override {
    connection_.defer(upsert_order,
                      {param(row.order_id), param(row.customer_id), param(row.status),
                      param(row.cancel_reason), param(row.payment_status),
                      param(row.delivery_status), param(row.total.amount),
                      param(row.total.currency), param(row.spent.amount),
                      param(row.spent.currency), param(row.refunded.amount),
                      param(row.refunded.currency)});
  }

  void add_timeline_entry(const TimelineRow& entry) override {
    connection_.defer(insert_timeline, {param(entry.order_id), param(entry.event_id),
                                        param(entry.event), param(unix_millis(entry.at))});
  }

  std::optional<ProductRow> product_row(const std::string& product_id) override {
    return product_in(connection_, product_id);
  }

  void put_product_row(const ProductRow& row) override {
    Param threshold;
    if (row.low_stock_threshold) threshold = param(*row.low_stock_threshold);
    connection_.defer(upsert_product,
                      {param(row.product_id), param(row.sku), param(row.name),
                      param(row.description), param(row.price.amount), param(row.price.currency),
                      param(row.category), param(row.active ? 1 : 0), param(row.version),
                      param(row.on_hand), param(row.reserved), param(row.available),
                      param(row.level_sequence), threshold, param(row.threshold_sequence)});
  }

  void add_day_totals(const DayTotals& delta) override {
    connection_.defer(add_day, {param(delta.date), param(delta.orders_placed),
                                param(delta.revenue), param(delta.refunded),
                                param(delta.currency)});
  }

  void clear_read_models() override {
    connection_.defer(delete_orders);
    connection_.defer(delete_timeline);
    connection_.defer(delete_products);
    connection_.defer(delete_days);
  }

  std::vector<StoredEvent> stored_events(std::int64_t after_position, std::size_t limit) override {
    return events_in(connection_, after_position, limit);
  }

  std::int64_t event_count() override { return count_in(connection_); }

 private:
  Connection& connection_;
};

}  // namespace

ModuleSchema dashboard_schema() { return ModuleSchema{"dashboard", {{1, schema_v1}}}; }

void PostgresDashboardStore::write(
    const std::function<void(dashboard::DashboardTransaction&)>& work) {
  database_.write([&](Connection& connection) {
    Transaction transaction(connection);
    work(transaction);
  });
}

std::optional<OrderRow> PostgresDashboardStore::order_row(const std::string& order_id) {
  std::optional<OrderRow> row;
  database_.read([&](Connection& connection) { row = row_in(connection, order_id); });
  return row;
}

std::vector<TimelineRow> PostgresDashboardStore::timeline(const std::string& order_id) {
  std::vector<TimelineRow> entries;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_timeline, {param(order_id)});
    for (int row = 0; row < rows.rows(); ++row) {
      entries.push_back(TimelineRow{order_id, rows.text(row, 0), rows.text(row, 1),
                                    from_unix_millis(rows.integer(row, 2))});
    }
  });
  return entries;
}

CustomerTotals PostgresDashboardStore::customer_totals(const std::string& customer_id) {
  std::vector<Param> values{param(customer_id)};
  for (const char* status : dashboard::active_statuses) values.push_back(param(status));
  values.push_back(param(dashboard::order_status::delivered));
  values.push_back(param(dashboard::order_status::cancelled));
  CustomerTotals totals;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_customer_totals, values);
    auto number = [&](int column) { return rows.integer(0, column); };
    totals = CustomerTotals{number(0), number(1), number(2), number(3),
                            number(4), number(5), rows.text(0, 6)};
  });
  return totals;
}

std::optional<ProductRow> PostgresDashboardStore::product_row(const std::string& product_id) {
  std::optional<ProductRow> row;
  database_.read([&](Connection& connection) { row = product_in(connection, product_id); });
  return row;
}

std::vector<ProductRow> PostgresDashboardStore::active_products(const std::string& category,
                                                                const std::string& after_id,
                                                                std::size_t limit) {
  std::vector<ProductRow> products;
  database_.read([&](Connection& connection) {
    products = products_of(
        category.empty()
            ? connection.exec(select_active_products, {param(after_id), param(std::int64_t(limit))})
            : connection.exec(select_active_products_in_category,
                              {param(after_id), param(category), param(std::int64_t(limit))}));
  });
  return products;
}

DayTotals PostgresDashboardStore::day_totals(const std::string& date) {
  DayTotals totals{date, 0, 0, 0, ""};
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_day, {param(date)});
    if (rows.empty()) return;
    totals.orders_placed = rows.integer(0, 0);
    totals.revenue = rows.integer(0, 1);
    totals.refunded = rows.integer(0, 2);
    totals.currency = rows.text(0, 3);
  });
  return totals;
}

std::map<std::string, std::int64_t> PostgresDashboardStore::deliveries_by_status() {
  std::map<std::string, std::int64_t> counts;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_delivery_counts);
    for (int row = 0; row < rows.rows(); ++row) counts[rows.text(row, 0)] = rows.integer(row, 1);
  });
  return counts;
}

std::vector<ProductRow> PostgresDashboardStore::low_stock(std::int64_t default_threshold,
                                                          std::size_t limit) {
  std::vector<ProductRow> products;
  database_.read([&](Connection& connection) {
    products = products_of(connection.exec(
        select_low_stock, {param(default_threshold), param(std::int64_t(limit))}));
  });
  return products;
}

std::vector<StoredEvent> PostgresDashboardStore::stored_events(std::int64_t after_position,
                                                               std::size_t limit) {
  std::vector<StoredEvent> events;
  database_.read(
      [&](Connection& connection) { events = events_in(connection, after_position, limit); });
  return events;
}

std::int64_t PostgresDashboardStore::event_count() {
  std::int64_t count = 0;
  database_.read([&](Connection& connection) { count = count_in(connection); });
  return count;
}

}  // namespace shop::postgres
