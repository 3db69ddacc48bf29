#include "domain/stock/stock_level.hpp"

#include <utility>

#include "domain/shared/failure.hpp"

namespace shop::stock {

namespace {

constexpr const char* movement_names[] = {"restock", "stock_take", "reserve",
                                          "release", "sale",       "return"};

// Internal misuse (releasing more than was reserved) means a bug in the
// caller's bookkeeping; refusing it keeps the invariant whatever happens.
void require(bool condition, const char* message) {
  if (!condition) throw Failure(FailureKind::conflict, "stock_invariant", message);
}

}  // namespace

const char* to_string(Movement movement) { return movement_names[static_cast<int>(movement)]; }

std::optional<Movement> movement_from_string(const std::string& text) {
  for (int i = 0; i < 6; ++i) {
    if (text == movement_names[i]) return static_cast<Movement>(i);
  }
  return std::nullopt;
}

void validate_quantity(std::int64_t quantity, const std::string& field) {
  if (quantity <= 0) throw invalid_field(field, "must be a positive integer");
  if (quantity > max_quantity) {
    throw invalid_field(field, "must be at most " + std::to_string(max_quantity));
  }
}

StockLevel::StockLevel(std::string product_id, std::int64_t on_hand, std::int64_t reserved,
                       std::int64_t low_stock_threshold)
    : product_id_(std::move(product_id)),
      on_hand_(on_hand),
      reserved_(reserved),
      low_stock_threshold_(low_stock_threshold) {}

StockLevel StockLevel::empty(std::string product_id, std::int64_t low_stock_threshold) {
  return StockLevel(std::move(product_id), 0, 0, low_stock_threshold);
}

StockLevel StockLevel::restore(std::string product_id, std::int64_t on_hand,
                               std::int64_t reserved, std::int64_t low_stock_threshold) {
  return StockLevel(std::move(product_id), on_hand, reserved, low_stock_threshold);
}

LedgerEntry StockLevel::apply(Movement movement, std::int64_t on_hand_delta,
                              std::int64_t reserved_delta, std::optional<std::string> order_id) {
  std::int64_t on_hand = on_hand_ + on_hand_delta;
  std::int64_t reserved = reserved_ + reserved_delta;
  require(on_hand >= 0 && reserved >= 0 && reserved <= on_hand,
          "the movement would break 0 <= reserved <= on_hand");
  on_hand_ = on_hand;
  reserved_ = reserved;
  return LedgerEntry{product_id_, movement, on_hand_delta, reserved_delta, std::move(order_id)};
}

LedgerEntry StockLevel::restock(std::int64_t quantity) {
  validate_quantity(quantity, "quantity");
  if (on_hand_ + quantity > max_quantity) {
    throw invalid_field("quantity", "would take on_hand above " + std::to_string(max_quantity));
  }
  return apply(Movement::restock, quantity, 0, std::nullopt);
}

LedgerEntry StockLevel::take(std::int64_t expected_on_hand, std::int64_t counted) {
  if (counted < 0) throw invalid_field("on_hand", "must not be negative");
  if (counted > max_quantity) {
    throw invalid_field("on_hand", "must be at most " + std::to_string(max_quantity));
  }
  if (expected_on_hand != on_hand_) {
    throw Failure(FailureKind::conflict, "stock_level_moved",
                  "on_hand is " + std::to_string(on_hand_) + ", not the expected " +
                      std::to_string(expected_on_hand) + "; count again");
  }
  if (counted < reserved_) {
    throw Failure(FailureKind::conflict, "below_reserved",
                  std::to_string(reserved_) + " units are reserved for orders; on_hand cannot be " +
                      std::to_string(counted));
  }
  return apply(Movement::stock_take, counted - on_hand_, 0, std::nullopt);
}

LedgerEntry StockLevel::reserve(std::int64_t quantity, const std::string& order_id) {
  validate_quantity(quantity, "quantity");
  if (quantity > available()) {
    throw Failure(FailureKind::conflict, "insufficient_stock",
                  "only " + std::to_string(available()) + " units of " + product_id_ +
                      " are available");
  }
  return apply(Movement::reserve, 0, quantity, order_id);
}

LedgerEntry StockLevel::release(std::int64_t quantity, const std::string& order_id) {
  return apply(Movement::release, 0, -quantity, order_id);
}

LedgerEntry StockLevel::sell(std::int64_t quantity, const std::string& order_id) {
  return apply(Movement::sale, -quantity, -quantity, order_id);
}

LedgerEntry StockLevel::take_back(std::int64_t quantity, const std::string& order_id) {
  return apply(Movement::return_, quantity, 0, order_id);
}

void StockLevel::set_low_stock_threshold(std::int64_t threshold) {
  if (threshold < 0 || threshold > max_quantity) {
    throw invalid_field("low_stock_threshold", "must be between 0 and " +
                                                   std::to_string(max_quantity));
  }
  low_stock_threshold_ = threshold;
}

}  // namespace shop::stock
