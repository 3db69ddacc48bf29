#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "application/catalog/api.hpp"
#include "application/shared/clock.hpp"
#include "application/shared/event.hpp"
#include "application/shared/id_generator.hpp"
#include "application/stock/ports.hpp"

// Stock's facade, and the `Reservations` port the order saga calls.
namespace shop::stock {

struct StockView {
  std::string product_id;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;
  std::int64_t low_stock_threshold = 0;
};

struct ReservationLine {
  std::string product_id;
  std::int64_t quantity = 0;
};

struct Shortage {
  std::string product_id;
  std::int64_t requested = 0;
  std::int64_t available = 0;
};

struct ReserveOutcome {
  bool reserved = false;
  std::vector<Shortage> shortages;  // every short line when stock was short
};

// Every call is idempotent by order id, so a saga step may be repeated.
class Reservations {
 public:
  virtual ~Reservations() = default;
  // All lines or none. Unknown products count as short with 0 available.
  // Repeating it for a held or confirmed order answers reserved; for an
  // order whose reservation was already released, not reserved and no
  // shortages (an order id reserves once). Failure(invalid) on bad lines,
  // Failure(conflict, "reservation_mismatch") when repeated with other lines.
  virtual ReserveOutcome reserve(const std::string& order_id,
                                 const std::vector<ReservationLine>& lines) = 0;
  // The held units are sold. Failure(not_found) without a reservation,
  // Failure(conflict, "reservation_expired") once it was released or ran out.
  virtual void confirm(const std::string& order_id) = 0;
  // Held units go back to available; nothing happens when there is no
  // held reservation. Failure(conflict) when the units were already sold.
  virtual void release(const std::string& order_id, const std::string& reason) = 0;
  // Sold units come back on hand. Failure(not_found) without a reservation,
  // Failure(conflict) when it was never confirmed.
  virtual void return_units(const std::string& order_id) = 0;
};

struct StockTake {
  std::int64_t expected_on_hand = 0;
  std::int64_t on_hand = 0;
  std::optional<std::int64_t> low_stock_threshold;
};

class StockApi : public Reservations {
 public:
  // These three: Failure(not_found) when the catalog does not have the
  // product or it was deleted.
  virtual StockView level(const std::string& product_id) = 0;
  virtual StockView restock(const std::string& product_id, std::int64_t quantity) = 0;
  // Failure(conflict) when the level moved or on_hand would drop below reserved.
  virtual StockView take(const std::string& product_id, const StockTake& take) = 0;
  virtual std::vector<LedgerRow> ledger(const std::string& product_id,
                                        std::int64_t after_sequence, std::size_t limit) = 0;
  // Releases held reservations whose time ran out; returns how many.
  virtual std::size_t release_expired() = 0;
  // Consumer of catalog events (the bus calls it): a new product gets an
  // empty level with the default threshold.
  virtual void on_catalog_event(const EventEnvelope& event) = 0;
  // Consumer of order events: a cancelled order's units come back, sold
  // ones to on_hand, held ones to available.
  virtual void on_order_event(const EventEnvelope& event) = 0;
};

struct StockSettings {
  std::int64_t default_low_stock_threshold = 5;
  std::chrono::seconds reservation_ttl{900};
};

struct StockDependencies {
  StockStore& store;
  catalog::ProductLookup& products;
  Clock& clock;
  IdGenerator& ids;
  StockSettings settings;
};

std::unique_ptr<StockApi> make_stock_service(StockDependencies dependencies);

}  // namespace shop::stock
