#include "adapters/postgres/stock/postgres_stock_store.hpp"

#include <stdexcept>

#include "adapters/postgres/row_locks.hpp"

namespace shop::postgres {

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
    on_hand BIGINT NOT NULL CHECK (on_hand >= 0),
    reserved BIGINT NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand),
    low_stock_threshold BIGINT NOT NULL CHECK (low_stock_threshold >= 0)
  );
  CREATE TABLE stock_ledger (
    sequence BIGSERIAL PRIMARY KEY,
    product_id TEXT NOT NULL,
    movement TEXT NOT NULL,
    on_hand_delta BIGINT NOT NULL,
    reserved_delta BIGINT NOT NULL,
    order_id TEXT,
    at BIGINT NOT NULL
  );
  CREATE INDEX stock_ledger_product ON stock_ledger (product_id, sequence);
  -- One row per (order, product, movement): a repeated saga step cannot move units twice.
  CREATE UNIQUE INDEX stock_ledger_order_movement ON stock_ledger (order_id, product_id, movement)
    WHERE order_id IS NOT NULL;
  CREATE TABLE stock_reservations (
    order_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX stock_reservations_held ON stock_reservations (expires_at) WHERE status = 'HELD';
  CREATE TABLE stock_reservation_lines (
    order_id TEXT NOT NULL REFERENCES stock_reservations (order_id),
    product_id TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
  );
)sql";

constexpr const char* select_level =
    "SELECT on_hand, reserved, low_stock_threshold FROM stock_levels WHERE product_id = $1";
constexpr const char* lock_level =
    "SELECT on_hand, reserved, low_stock_threshold FROM stock_levels WHERE product_id = $1 "
    "FOR UPDATE";
constexpr const char* insert_level =
    "INSERT INTO stock_levels (product_id, on_hand, reserved, low_stock_threshold) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (product_id) DO NOTHING";
constexpr const char* upsert_level =
    "INSERT INTO stock_levels (product_id, on_hand, reserved, low_stock_threshold) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (product_id) DO UPDATE SET on_hand = excluded.on_hand, "
    "reserved = excluded.reserved, low_stock_threshold = excluded.low_stock_threshold";
constexpr const char* insert_ledger =
    "INSERT INTO stock_ledger (product_id, movement, on_hand_delta, reserved_delta, order_id, at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING sequence";
constexpr const char* select_ledger =
    "SELECT sequence, product_id, movement, on_hand_delta, reserved_delta, order_id, at "
    "FROM stock_ledger WHERE product_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3";
constexpr const char* lock_reservation =
    "SELECT status, expires_at, updated_at FROM stock_reservations WHERE order_id = $1 FOR UPDATE";
constexpr const char* insert_reservation =
    "INSERT INTO stock_reservations (order_id, status, expires_at, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING";
constexpr const char* select_reservation_lines =
    "SELECT product_id, quantity FROM stock_reservation_lines WHERE order_id = $1 "
    "ORDER BY product_id";
constexpr const char* upsert_reservation =
    "INSERT INTO stock_reservations (order_id, status, expires_at, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, "
    "updated_at = excluded.updated_at";
constexpr const char* insert_reservation_line =
    "INSERT INTO stock_reservation_lines (order_id, product_id, quantity) VALUES ($1, $2, $3) "
    "ON CONFLICT DO NOTHING";
constexpr const char* select_expired =
    "SELECT order_id FROM stock_reservations WHERE status = 'HELD' AND expires_at <= $1 "
    "ORDER BY expires_at LIMIT $2";

std::optional<StockLevel> level_in(Connection& connection, const std::string& product_id,
                                   const char* sql = select_level) {
  auto rows = connection.exec(sql, {param(product_id)});
  if (rows.empty()) return std::nullopt;
  return StockLevel::restore(product_id, rows.integer(0, 0), rows.integer(0, 1), rows.integer(0, 2));
}

stock::Movement movement_of(const std::string& text) {
  auto movement = stock::movement_from_string(text);
  if (!movement) throw std::runtime_error("unknown stock movement in the ledger: " + text);
  return *movement;
}

// At READ COMMITTED with row locks (RowLocks): one product's level is
// every order's row, and under SERIALIZABLE its writers abort one another
// instead of queueing.
class Transaction final : public OutboxTransaction<stock::StockTransaction> {
 public:
  using OutboxTransaction::OutboxTransaction;

  std::optional<StockLevel> level(const std::string& product_id) override {
    return levels_.read(connection_, product_id,
                        [&] { return level_in(connection_, product_id, lock_level); });
  }

  void save(const StockLevel& level) override {
    std::vector<Param> values{param(level.product_id()), param(level.on_hand()),
                              param(level.reserved()), param(level.low_stock_threshold())};
    if (!levels_.insert_if_absent(connection_, level.product_id(), insert_level, values)) {
      connection_.defer(upsert_level, values);
    }
  }

  std::int64_t record(const LedgerEntry& entry, Timestamp at) override {
    auto rows = connection_.exec(
        insert_ledger, {param(entry.product_id), param(stock::to_string(entry.movement)),
                        param(entry.on_hand_delta), param(entry.reserved_delta),
                        param(entry.order_id), param(unix_millis(at))});
    return rows.integer(0, 0);
  }

  std::optional<Reservation> reservation(const std::string& order_id) override {
    auto header = reservations_.read(connection_, order_id, [&] {
      auto rows = connection_.exec(lock_reservation, {param(order_id)});
      return rows.empty() ? std::nullopt : std::optional<Result>(std::move(rows));
    });
    if (!header) return std::nullopt;
    auto status = stock::reservation_status_from_string(header->text(0, 0));
    if (!status) throw std::runtime_error("unknown reservation status for order " + order_id);
    std::vector<stock::ReservedLine> lines;
    auto rows = connection_.exec(select_reservation_lines, {param(order_id)});
    for (int row = 0; row < rows.rows(); ++row) {
      lines.push_back({rows.text(row, 0), rows.integer(row, 1)});
    }
    return Reservation::restore(order_id, std::move(lines), *status,
                                from_unix_millis(header->integer(0, 1)),
                                from_unix_millis(header->integer(0, 2)));
  }

  void save(const Reservation& reservation) override {
    std::vector<Param> values{param(reservation.order_id()),
                              param(stock::to_string(reservation.status())),
                              param(unix_millis(reservation.expires_at())),
                              param(unix_millis(reservation.updated_at()))};
    if (!reservations_.insert_if_absent(connection_, reservation.order_id(),
                                               insert_reservation, values)) {
      connection_.defer(upsert_reservation, values);
    }
    // Lines never change after the hold: a reservation read here has them.
    if (reservations_.found(reservation.order_id())) return;
    for (const auto& line : reservation.lines()) {
      connection_.defer(insert_reservation_line, {param(reservation.order_id()),
                                                  param(line.product_id), param(line.quantity)});
    }
  }

  bool first_delivery(const std::string& consumer, const std::string& event_id) override {
    return outbox_.first_delivery(connection_, consumer, event_id);
  }

 private:
  RowLocks levels_{"stock_levels"};
  RowLocks reservations_{"stock_reservations"};
};

}  // namespace

ModuleSchema stock_schema() {
  return ModuleSchema{"stock", {{1, schema_v1}, event_tables_migration(2, "stock")}};
}

PostgresStockStore::PostgresStockStore(Database& database)
    : database_(database), outbox_(database, "stock") {}

void PostgresStockStore::write(const std::function<void(stock::StockTransaction&)>& work) {
  write_with<Transaction>(database_, outbox_, work, Isolation::read_committed);
}

std::optional<StockLevel> PostgresStockStore::level(const std::string& product_id) {
  std::optional<StockLevel> level;
  database_.read([&](Connection& connection) { level = level_in(connection, product_id); });
  return level;
}

std::vector<LedgerRow> PostgresStockStore::ledger(const std::string& product_id,
                                                  std::int64_t after_sequence, std::size_t limit) {
  std::vector<LedgerRow> ledger;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_ledger, {param(product_id), param(after_sequence),
                                                param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) {
      ledger.push_back(LedgerRow{rows.integer(row, 0),
                                 LedgerEntry{rows.text(row, 1), movement_of(rows.text(row, 2)),
                                             rows.integer(row, 3), rows.integer(row, 4),
                                             rows.optional_text(row, 5)},
                                 from_unix_millis(rows.integer(row, 6))});
    }
  });
  return ledger;
}

std::vector<std::string> PostgresStockStore::expired_reservations(Timestamp now,
                                                                  std::size_t limit) {
  std::vector<std::string> order_ids;
  database_.read([&](Connection& connection) {
    auto rows = connection.exec(select_expired, {param(unix_millis(now)), param(std::int64_t(limit))});
    for (int row = 0; row < rows.rows(); ++row) order_ids.push_back(rows.text(row, 0));
  });
  return order_ids;
}

}  // namespace shop::postgres
