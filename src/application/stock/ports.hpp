#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "application/shared/event.hpp"
#include "domain/shared/time.hpp"
#include "domain/stock/reservation.hpp"
#include "domain/stock/stock_level.hpp"

namespace shop::stock {

// The work of one write transaction: all or nothing. Adapters serialise
// writers, so what `level` returns cannot change before commit.
class StockTransaction {
 public:
  virtual ~StockTransaction() = default;
  virtual std::optional<StockLevel> level(const std::string& product_id) = 0;
  virtual void save(const StockLevel& level) = 0;
  // Appends a ledger row; returns its sequence (increasing, never reused).
  virtual std::int64_t record(const LedgerEntry& entry, Timestamp at) = 0;
  virtual std::optional<Reservation> reservation(const std::string& order_id) = 0;
  virtual void save(const Reservation& reservation) = 0;
  // The inbox: true the first time `consumer` sees `event_id`, false after,
  // decided by a unique key rather than a read-then-write.
  virtual bool first_delivery(const std::string& consumer, const std::string& event_id) = 0;
  virtual void publish(const EventEnvelope& event) = 0;
};

struct LedgerRow {
  std::int64_t sequence = 0;
  LedgerEntry entry;
  Timestamp at;
};

class StockStore {
 public:
  virtual ~StockStore() = default;
  // Commits when `work` returns, rolls back when it throws (and rethrows).
  // `work` may run more than once (a transaction that lost a conflict with
  // another replica runs again): it must set its results afresh each time.
  virtual void write(const std::function<void(StockTransaction&)>& work) = 0;
  virtual std::optional<StockLevel> level(const std::string& product_id) = 0;
  // Ledger rows of one product after `after_sequence`, oldest first.
  virtual std::vector<LedgerRow> ledger(const std::string& product_id,
                                        std::int64_t after_sequence, std::size_t limit) = 0;
  // Order ids of held reservations whose time ran out by `now`.
  virtual std::vector<std::string> expired_reservations(Timestamp now, std::size_t limit) = 0;
};

}  // namespace shop::stock
