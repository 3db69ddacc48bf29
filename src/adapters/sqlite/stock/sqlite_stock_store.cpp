#include "adapters/sqlite/stock/sqlite_stock_store.hpp"

#include <stdexcept>

#include "adapters/sqlite/time_codec.hpp"

namespace shop::sqlite {

namespace {

using stock::LedgerEntry;
using stock::LedgerRow;
using stock::Reservation;
using stock::StockLevel;

// The CHECK constraints repeat the domain's invariant: a bug that slipped
// past the aggregate still cannot store a negative or oversold level.
constexpr const char* schema_v1 = R"sql(
  CREATE TABLE stock_levels (
    product_id TEXT PRIMARY KEY,
    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
    reserved INTEGER NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand),
    low_stock_threshold INTEGER NOT NULL CHECK (low_stock_threshold >= 0)
  ) WITHOUT ROWID;
  CREATE TABLE stock_ledger (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id TEXT NOT NULL,
    movement TEXT NOT NULL,
    on_hand_delta INTEGER NOT NULL,
    reserved_delta INTEGER NOT NULL,
    order_id TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX stock_ledger_product ON stock_ledger (product_id, sequence);
  -- One row per (order, product, movement): a repeated saga step cannot move units twice.
  CREATE UNIQUE INDEX stock_ledger_order_movement ON stock_ledger (order_id, product_id, movement)
    WHERE order_id IS NOT NULL;
  CREATE TABLE stock_reservations (
    order_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX stock_reservations_held ON stock_reservations (expires_at) WHERE status = 'HELD';
  CREATE TABLE stock_reservation_lines (
    order_id TEXT NOT NULL REFERENCES stock_reservations (order_id),
    product_id TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
  ) WITHOUT ROWID;
)sql";

constexpr const char* select_level =
    "SELECT on_hand, reserved, low_stock_threshold FROM stock_levels WHERE product_id = ?";
constexpr const char* upsert_level =
    "INSERT INTO stock_levels (product_id, on_hand, reserved, low_stock_threshold) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (product_id) DO UPDATE SET on_hand = excluded.on_hand, "
    "reserved = excluded.reserved, low_stock_threshold = excluded.low_stock_threshold";
constexpr const char* insert_ledger =
    "INSERT INTO stock_ledger (product_id, movement, on_hand_delta, reserved_delta, order_id, at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* select_ledger =
    "SELECT sequence, product_id, movement, on_hand_delta, reserved_delta, order_id, at "
    "FROM stock_ledger WHERE product_id = ? AND sequence > ? ORDER BY sequence LIMIT ?";
constexpr const char* select_reservation =
    "SELECT status, expires_at, updated_at FROM stock_reservations WHERE order_id = ?";
constexpr const char* select_reservation_lines =
    "SELECT product_id, quantity FROM stock_reservation_lines WHERE order_id = ?";
constexpr const char* upsert_reservation =
    "INSERT INTO stock_reservations (order_id, status, expires_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, "
    "updated_at = excluded.updated_at";
constexpr const char* insert_reservation_line =
    "INSERT INTO stock_reservation_lines (order_id, product_id, quantity) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr const char* select_expired =
    "SELECT order_id FROM stock_reservations WHERE status = 'HELD' AND expires_at <= ? "
    "ORDER BY expires_at LIMIT ?";

std::optional<StockLevel> level_in(Connection& connection, const std::string& product_id) {
  auto statement = connection.prepare(select_level);
  statement->bind(1, product_id);
  if (!statement->executeStep()) return std::nullopt;
  return StockLevel::restore(product_id, statement->getColumn(0).getInt64(),
                             statement->getColumn(1).getInt64(),
                             statement->getColumn(2).getInt64());
}

stock::Movement movement_of(const std::string& text) {
  auto movement = stock::movement_from_string(text);
  if (!movement) throw std::runtime_error("unknown stock movement in the ledger: " + text);
  return *movement;
}

class Transaction final : public OutboxTransaction<stock::StockTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<StockLevel> level(const std::string& product_id) override {
    return level_in(connection_, product_id);
  }

  void save(const StockLevel& level) override {
    auto statement = connection_.prepare(upsert_level);
    statement->bind(1, level.product_id());
    statement->bind(2, level.on_hand());
    statement->bind(3, level.reserved());
    statement->bind(4, level.low_stock_threshold());
    statement->exec();
  }

  std::int64_t record(const LedgerEntry& entry, Timestamp at) override {
    auto statement = connection_.prepare(insert_ledger);
    statement->bind(1, entry.product_id);
    statement->bind(2, stock::to_string(entry.movement));
    statement->bind(3, entry.on_hand_delta);
    statement->bind(4, entry.reserved_delta);
    if (entry.order_id) statement->bind(5, *entry.order_id);
    statement->bind(6, to_millis(at));
    statement->exec();
    return connection_.handle().getLastInsertRowid();
  }

  std::optional<Reservation> reservation(const std::string& order_id) override {
    auto header = connection_.prepare(select_reservation);
    header->bind(1, order_id);
    if (!header->executeStep()) return std::nullopt;
    auto status = stock::reservation_status_from_string(header->getColumn(0).getString());
    if (!status) throw std::runtime_error("unknown reservation status for order " + order_id);
    std::vector<stock::ReservedLine> lines;
    auto rows = connection_.prepare(select_reservation_lines);
    rows->bind(1, order_id);
    while (rows->executeStep()) {
      lines.push_back({rows->getColumn(0).getString(), rows->getColumn(1).getInt64()});
    }
    return Reservation::restore(order_id, std::move(lines), *status,
                                from_millis(header->getColumn(1).getInt64()),
                                from_millis(header->getColumn(2).getInt64()));
  }

  void save(const Reservation& reservation) override {
    auto header = connection_.prepare(upsert_reservation);
    header->bind(1, reservation.order_id());
    header->bind(2, stock::to_string(reservation.status()));
    header->bind(3, to_millis(reservation.expires_at()));
    header->bind(4, to_millis(reservation.updated_at()));
    header->exec();
    // Lines never change after the hold; re-inserting them is a no-op.
    for (const auto& line : reservation.lines()) {
      auto statement = connection_.prepare(insert_reservation_line);
      statement->bind(1, reservation.order_id());
      statement->bind(2, line.product_id);
      statement->bind(3, line.quantity);
      statement->exec();
    }
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

};

}  // namespace

ModuleSchema stock_schema() {
  return ModuleSchema{"stock", {{1, schema_v1}, event_tables_migration(2, "stock"),
                                 parked_events_migration(3, "stock")}};
}

SqliteStockStore::SqliteStockStore(Database& database)
    : database_(database), outbox_(database, "stock") {}

void SqliteStockStore::write(const std::function<void(stock::StockTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work);
}

std::optional<StockLevel> SqliteStockStore::level(const std::string& product_id) {
  return level_in(database_.reader(), product_id);
}

std::vector<LedgerRow> SqliteStockStore::ledger(const std::string& product_id,
                                                std::int64_t after_sequence, std::size_t limit) {
  auto statement = database_.reader().prepare(select_ledger);
  statement->bind(1, product_id);
  statement->bind(2, after_sequence);
  statement->bind(3, static_cast<std::int64_t>(limit));
  std::vector<LedgerRow> rows;
  while (statement->executeStep()) {
    std::optional<std::string> order_id;
    if (!statement->getColumn(5).isNull()) order_id = statement->getColumn(5).getString();
    rows.push_back(LedgerRow{statement->getColumn(0).getInt64(),
                             LedgerEntry{statement->getColumn(1).getString(),
                                         movement_of(statement->getColumn(2).getString()),
                                         statement->getColumn(3).getInt64(),
                                         statement->getColumn(4).getInt64(), order_id},
                             from_millis(statement->getColumn(6).getInt64())});
  }
  return rows;
}

std::vector<std::string> SqliteStockStore::expired_reservations(Timestamp now,
                                                                std::size_t limit) {
  auto statement = database_.reader().prepare(select_expired);
  statement->bind(1, to_millis(now));
  statement->bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> order_ids;
  while (statement->executeStep()) order_ids.push_back(statement->getColumn(0).getString());
  return order_ids;
}

}  // namespace shop::sqlite
