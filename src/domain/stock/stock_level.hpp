#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shop::stock {

// Every way units move. The ledger keeps one row per movement so that the
// levels can always be recomputed from it.
enum class Movement { restock, stock_take, reserve, release, sale, return_ };

const char* to_string(Movement movement);
std::optional<Movement> movement_from_string(const std::string& text);

struct LedgerEntry {
  std::string product_id;
  Movement movement;
  std::int64_t on_hand_delta = 0;
  std::int64_t reserved_delta = 0;
  std::optional<std::string> order_id;
};

// Largest quantity one command may move: keeps sums far from overflow.
inline constexpr std::int64_t max_quantity = 1'000'000'000;

// Throws Failure(invalid) unless 0 < quantity <= max_quantity.
void validate_quantity(std::int64_t quantity, const std::string& field);

// On-hand and reserved units of one product. Invariant, enforced by every
// transition: 0 <= reserved <= on_hand, so available is never negative.
class StockLevel {
 public:
  static StockLevel empty(std::string product_id, std::int64_t low_stock_threshold);
  static StockLevel restore(std::string product_id, std::int64_t on_hand, std::int64_t reserved,
                            std::int64_t low_stock_threshold);

  LedgerEntry restock(std::int64_t quantity);
  // Sets on_hand to what a stock take counted. Failure(conflict) when the
  // level moved since `expected_on_hand` was read, or when `counted` would
  // drop below the units reserved for orders.
  LedgerEntry take(std::int64_t expected_on_hand, std::int64_t counted);
  // Holds units for an order. Failure(conflict) when fewer are available.
  LedgerEntry reserve(std::int64_t quantity, const std::string& order_id);
  LedgerEntry release(std::int64_t quantity, const std::string& order_id);
  // A paid reservation: the units leave both on_hand and reserved.
  LedgerEntry sell(std::int64_t quantity, const std::string& order_id);
  // Units of a cancelled paid order come back to the shelf.
  LedgerEntry take_back(std::int64_t quantity, const std::string& order_id);
  void set_low_stock_threshold(std::int64_t threshold);

  const std::string& product_id() const { return product_id_; }
  std::int64_t on_hand() const { return on_hand_; }
  std::int64_t reserved() const { return reserved_; }
  std::int64_t available() const { return on_hand_ - reserved_; }
  std::int64_t low_stock_threshold() const { return low_stock_threshold_; }
  bool is_low() const { return available() <= low_stock_threshold_; }

 private:
  StockLevel(std::string product_id, std::int64_t on_hand, std::int64_t reserved,
             std::int64_t low_stock_threshold);
  LedgerEntry apply(Movement movement, std::int64_t on_hand_delta, std::int64_t reserved_delta,
                    std::optional<std::string> order_id);

  std::string product_id_;
  std::int64_t on_hand_;
  std::int64_t reserved_;
  std::int64_t low_stock_threshold_;
};

}  // namespace shop::stock
