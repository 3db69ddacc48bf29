#include "adapters/postgres/delivery/postgres_delivery_store.hpp"

#include <stdexcept>

#include "domain/shared/failure.hpp"

namespace shop::postgres {

namespace {

using delivery::Delivery;
using delivery::DeliveryData;

// UNIQUE order_id: one delivery per order, whatever a handler does. The
// board lists newest first by status or by customer, hence the two indexes.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE delivery_deliveries (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN
      ('REQUESTED', 'ACCEPTED', 'PREPARING', 'DISPATCHED', 'DELIVERED', 'CANCELLED')),
    address_name TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL,
    address_city TEXT NOT NULL,
    address_postal_code TEXT NOT NULL,
    address_phone TEXT NOT NULL,
    cancel_reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX delivery_deliveries_status ON delivery_deliveries (status, id);
  CREATE INDEX delivery_deliveries_customer ON delivery_deliveries (customer_id, id);
)sql";

#define DELIVERY_COLUMNS                                                                     \
  "id, order_id, customer_id, status, address_name, address_line1, address_line2, "         \
  "address_city, address_postal_code, address_phone, cancel_reason, created_at, updated_at"

constexpr const char* select_by_id =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE id = $1";
constexpr const char* select_by_order =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE order_id = $1";
constexpr const char* upsert_delivery =
    "INSERT INTO delivery_deliveries (" DELIVERY_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO UPDATE "
    "SET status = excluded.status, cancel_reason = excluded.cancel_reason, "
    "updated_at = excluded.updated_at";

// The board's listing is put together from these fixed fragments, one per
// filter given, numbered in the order they are added; every value is bound,
// and each combination is its own prepared statement with its own plan.
constexpr const char* list_select =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE 1 = 1";
constexpr const char* list_before = " AND id < $";
constexpr const char* list_status = " AND status = $";
constexpr const char* list_order = " AND order_id = $";
constexpr const char* list_customer = " AND customer_id = $";
constexpr const char* list_order_by = " ORDER BY id DESC LIMIT $";

#undef DELIVERY_COLUMNS

Delivery read_delivery(const Result& rows, int row) {
  auto text = [&](int column) { return rows.text(row, column); };
  auto status = delivery::status_from_string(text(3));
  if (!status) throw std::runtime_error("unknown delivery status: " + text(3));
  return Delivery::restore(DeliveryData{
      text(0), text(1), text(2),
      delivery::Address{text(4), text(5), text(6), text(7), text(8), text(9)}, *status, text(10),
      from_unix_millis(rows.integer(row, 11)), from_unix_millis(rows.integer(row, 12))});
}

std::optional<Delivery> find_one(Connection& connection, const char* sql, const std::string& key) {
  auto rows = connection.exec(sql, {param(key)});
  if (rows.empty()) return std::nullopt;
  return read_delivery(rows, 0);
}

void save_in(Connection& connection, const Delivery& delivery) {
  const DeliveryData& d = delivery.data();
  try {
    connection.exec(upsert_delivery,
                    {param(d.id), param(d.order_id), param(d.customer_id),
                     param(delivery::to_string(d.status)), param(d.address.name),
                     param(d.address.line1), param(d.address.line2), param(d.address.city),
                     param(d.address.postal_code), param(d.address.phone), param(d.cancel_reason),
                     param(unix_millis(d.created_at)), param(unix_millis(d.updated_at))});
  } catch (const SqlError& error) {
    // Only order_id can raise it: the id is upserted.
    if (error.unique_violation()) {
      throw Failure(FailureKind::conflict, "delivery_exists",
                    "order " + d.order_id + " already has a delivery");
    }
    throw;
  }
}

class Transaction final : public OutboxTransaction<delivery::DeliveryTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<Delivery> find(const std::string& delivery_id) override {
    return find_one(connection_, select_by_id, delivery_id);
  }
  std::optional<Delivery> by_order(const std::string& order_id) override {
    return find_one(connection_, select_by_order, order_id);
  }
  void save(const Delivery& delivery) override { save_in(connection_, delivery); }
  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }
};

}  // namespace

ModuleSchema delivery_schema() {
  return ModuleSchema{"delivery", {{1, schema_v1}, event_tables_migration(2, "delivery")}};
}

PostgresDeliveryStore::PostgresDeliveryStore(Database& database)
    : database_(database), outbox_(database, "delivery") {}

void PostgresDeliveryStore::write(
    const std::function<void(delivery::DeliveryTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Delivery> PostgresDeliveryStore::find(const std::string& delivery_id) {
  std::optional<Delivery> found;
  database_.read(
      [&](Connection& connection) { found = find_one(connection, select_by_id, delivery_id); });
  return found;
}

std::optional<Delivery> PostgresDeliveryStore::by_order(const std::string& order_id) {
  std::optional<Delivery> found;
  database_.read(
      [&](Connection& connection) { found = find_one(connection, select_by_order, order_id); });
  return found;
}

std::vector<Delivery> PostgresDeliveryStore::list(const delivery::DeliveryFilter& filter) {
  std::string sql = list_select;
  std::vector<Param> values;
  auto add = [&](bool given, const char* fragment, Param value) {
    if (!given) return;
    values.push_back(std::move(value));
    sql += fragment + std::to_string(values.size());
  };
  add(!filter.before_id.empty(), list_before, param(filter.before_id));
  add(filter.status.has_value(), list_status,
      filter.status ? param(delivery::to_string(*filter.status)) : Param());
  add(!filter.order_id.empty(), list_order, param(filter.order_id));
  add(!filter.customer_id.empty(), list_customer, param(filter.customer_id));
  add(true, list_order_by, param(std::int64_t(filter.limit)));

  std::vector<Delivery> deliveries;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(sql, values);
    for (int row = 0; row < rows.rows(); ++row) deliveries.push_back(read_delivery(rows, row));
  });
  return deliveries;
}

}  // namespace shop::postgres
