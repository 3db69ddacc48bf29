#include "adapters/sqlite/delivery/sqlite_delivery_store.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"
#include "domain/shared/failure.hpp"

namespace shop::sqlite {

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
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX delivery_deliveries_status ON delivery_deliveries (status, id);
  CREATE INDEX delivery_deliveries_customer ON delivery_deliveries (customer_id, id);
)sql";

#define DELIVERY_COLUMNS                                                                     \
  "id, order_id, customer_id, status, address_name, address_line1, address_line2, "         \
  "address_city, address_postal_code, address_phone, cancel_reason, created_at, updated_at"

constexpr const char* select_by_id =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE id = ?";
constexpr const char* select_by_order =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE order_id = ?";
constexpr const char* upsert_delivery =
    "INSERT INTO delivery_deliveries (" DELIVERY_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
    "status = excluded.status, cancel_reason = excluded.cancel_reason, "
    "updated_at = excluded.updated_at";

// The board's listing is put together from these fixed fragments, one per
// filter given; every value is bound, and each combination is its own
// cached statement with its own plan (an index per filter).
constexpr const char* list_select =
    "SELECT " DELIVERY_COLUMNS " FROM delivery_deliveries WHERE 1 = 1";
constexpr const char* list_before = " AND id < ?";
constexpr const char* list_status = " AND status = ?";
constexpr const char* list_order = " AND order_id = ?";
constexpr const char* list_customer = " AND customer_id = ?";
constexpr const char* list_order_by = " ORDER BY id DESC LIMIT ?";

#undef DELIVERY_COLUMNS

Delivery read_delivery(SQLite::Statement& row) {
  auto status = delivery::status_from_string(row.getColumn(3).getString());
  if (!status) throw std::runtime_error("unknown delivery status: " + row.getColumn(3).getString());
  return Delivery::restore(DeliveryData{
      row.getColumn(0).getString(), row.getColumn(1).getString(), row.getColumn(2).getString(),
      delivery::Address{row.getColumn(4).getString(), row.getColumn(5).getString(),
                        row.getColumn(6).getString(), row.getColumn(7).getString(),
                        row.getColumn(8).getString(), row.getColumn(9).getString()},
      *status, row.getColumn(10).getString(), from_millis(row.getColumn(11).getInt64()),
      from_millis(row.getColumn(12).getInt64())});
}

std::optional<Delivery> find_one(Connection& connection, const char* sql, const std::string& key) {
  auto statement = connection.prepare(sql);
  statement->bind(1, key);
  if (!statement->executeStep()) return std::nullopt;
  return read_delivery(*statement);
}

void save_in(Connection& connection, const Delivery& delivery) {
  const DeliveryData& d = delivery.data();
  auto statement = connection.prepare(upsert_delivery);
  statement->bind(1, d.id);
  statement->bind(2, d.order_id);
  statement->bind(3, d.customer_id);
  statement->bind(4, delivery::to_string(d.status));
  statement->bind(5, d.address.name);
  statement->bind(6, d.address.line1);
  statement->bind(7, d.address.line2);
  statement->bind(8, d.address.city);
  statement->bind(9, d.address.postal_code);
  statement->bind(10, d.address.phone);
  statement->bind(11, d.cancel_reason);
  statement->bind(12, to_millis(d.created_at));
  statement->bind(13, to_millis(d.updated_at));
  try {
    statement->exec();
  } catch (const SQLite::Exception& error) {
    if (error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
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
  return ModuleSchema{"delivery", {{1, schema_v1}, event_tables_migration(2, "delivery"),
                                   parked_events_migration(3, "delivery")}};
}

SqliteDeliveryStore::SqliteDeliveryStore(Database& database)
    : database_(database), outbox_(database, "delivery") {}

void SqliteDeliveryStore::write(const std::function<void(delivery::DeliveryTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<Delivery> SqliteDeliveryStore::find(const std::string& delivery_id) {
  return find_one(database_.reader(), select_by_id, delivery_id);
}

std::optional<Delivery> SqliteDeliveryStore::by_order(const std::string& order_id) {
  return find_one(database_.reader(), select_by_order, order_id);
}

std::vector<Delivery> SqliteDeliveryStore::list(const delivery::DeliveryFilter& filter) {
  std::string sql = list_select;
  std::vector<std::string> values;
  auto add = [&](bool given, const char* fragment, std::string value) {
    if (!given) return;
    sql += fragment;
    values.push_back(std::move(value));
  };
  add(!filter.before_id.empty(), list_before, filter.before_id);
  add(filter.status.has_value(), list_status,
      filter.status ? delivery::to_string(*filter.status) : "");
  add(!filter.order_id.empty(), list_order, filter.order_id);
  add(!filter.customer_id.empty(), list_customer, filter.customer_id);
  sql += list_order_by;

  auto statement = database_.reader().prepare(sql);
  int index = 0;
  for (const auto& value : values) statement->bind(++index, value);
  statement->bind(++index, static_cast<std::int64_t>(filter.limit));
  std::vector<Delivery> deliveries;
  while (statement->executeStep()) deliveries.push_back(read_delivery(*statement));
  return deliveries;
}

}  // namespace shop::sqlite
