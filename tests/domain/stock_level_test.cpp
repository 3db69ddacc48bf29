#include <doctest/doctest.h>

#include <cstdint>

#include "domain/stock/stock_level.hpp"
#include "failure_check.hpp"

using namespace shop;
using namespace shop::stock;

namespace {

StockLevel stocked(std::int64_t on_hand, std::int64_t reserved = 0, std::int64_t threshold = 5) {
  return StockLevel::restore("p-1", on_hand, reserved, threshold);
}

void check_level(const StockLevel& level, std::int64_t on_hand, std::int64_t reserved) {
  CHECK(level.on_hand() == on_hand);
  CHECK(level.reserved() == reserved);
  CHECK(level.available() == on_hand - reserved);
}

}  // namespace

TEST_CASE("an empty level holds nothing and keeps its threshold") {
  StockLevel level = StockLevel::empty("p-1", 7);
  CHECK(level.product_id() == "p-1");
  check_level(level, 0, 0);
  CHECK(level.low_stock_threshold() == 7);
}

TEST_CASE("restock adds units on hand and returns its ledger entry") {
  StockLevel level = stocked(3, 1);
  LedgerEntry entry = level.restock(10);
  check_level(level, 13, 1);
  CHECK(entry.product_id == "p-1");
  CHECK(entry.movement == Movement::restock);
  CHECK(entry.on_hand_delta == 10);
  CHECK(entry.reserved_delta == 0);
  CHECK_FALSE(entry.order_id.has_value());
}

TEST_CASE("restock refuses non-positive, huge, or overflowing quantities") {
  StockLevel level = stocked(10);
  CHECK_INVALID_FIELD("quantity", level.restock(0));
  CHECK_INVALID_FIELD("quantity", level.restock(-1));
  CHECK_INVALID_FIELD("quantity", level.restock(max_quantity + 1));
  // Each quantity alone is fine; together they would pass the bound.
  CHECK_INVALID_FIELD("quantity", level.restock(max_quantity));
  check_level(level, 10, 0);
  CHECK_NOTHROW(level.restock(max_quantity - 10));
  CHECK(level.on_hand() == max_quantity);
}

TEST_CASE("a stock take sets on_hand to the counted units") {
  StockLevel level = stocked(10, 2);
  LedgerEntry entry = level.take(10, 7);
  check_level(level, 7, 2);
  CHECK(entry.movement == Movement::stock_take);
  CHECK(entry.on_hand_delta == -3);
  CHECK(entry.reserved_delta == 0);

  entry = level.take(7, 12);
  CHECK(level.on_hand() == 12);
  CHECK(entry.on_hand_delta == 5);
}

TEST_CASE("a stock take against a moved level is a conflict") {
  StockLevel level = stocked(10, 2);
  CHECK_FAILURE(FailureKind::conflict, "stock_level_moved", level.take(9, 8));
  CHECK_FAILURE(FailureKind::conflict, "stock_level_moved", level.take(11, 8));
  check_level(level, 10, 2);
}

TEST_CASE("a stock take may not drop on_hand below the reserved units") {
  StockLevel level = stocked(10, 4);
  CHECK_FAILURE(FailureKind::conflict, "below_reserved", level.take(10, 3));
  check_level(level, 10, 4);
  CHECK_NOTHROW(level.take(10, 4));
  check_level(level, 4, 4);
}

TEST_CASE("a stock take refuses negative or huge counts") {
  StockLevel level = stocked(10);
  CHECK_INVALID_FIELD("on_hand", level.take(10, -1));
  CHECK_INVALID_FIELD("on_hand", level.take(10, max_quantity + 1));
  CHECK_NOTHROW(level.take(10, 0));
  CHECK(level.on_hand() == 0);
}

TEST_CASE("reserve holds available units for an order") {
  StockLevel level = stocked(10, 2);
  LedgerEntry entry = level.reserve(3, "o-1");
  check_level(level, 10, 5);
  CHECK(entry.movement == Movement::reserve);
  CHECK(entry.on_hand_delta == 0);
  CHECK(entry.reserved_delta == 3);
  CHECK(entry.order_id == "o-1");
}

TEST_CASE("reserve beyond available is refused, exactly available is fine") {
  StockLevel level = stocked(10, 4);
  CHECK_FAILURE(FailureKind::conflict, "insufficient_stock", level.reserve(7, "o-1"));
  check_level(level, 10, 4);
  CHECK_NOTHROW(level.reserve(6, "o-1"));
  check_level(level, 10, 10);
  CHECK_FAILURE(FailureKind::conflict, "insufficient_stock", level.reserve(1, "o-2"));
}

TEST_CASE("reserve refuses non-positive and huge quantities") {
  StockLevel level = stocked(10);
  CHECK_INVALID_FIELD("quantity", level.reserve(0, "o-1"));
  CHECK_INVALID_FIELD("quantity", level.reserve(-2, "o-1"));
  CHECK_INVALID_FIELD("quantity", level.reserve(max_quantity + 1, "o-1"));
  check_level(level, 10, 0);
}

TEST_CASE("sell takes units out of both on_hand and reserved") {
  StockLevel level = stocked(10, 4);
  LedgerEntry entry = level.sell(3, "o-1");
  check_level(level, 7, 1);
  CHECK(entry.movement == Movement::sale);
  CHECK(entry.on_hand_delta == -3);
  CHECK(entry.reserved_delta == -3);
  CHECK(entry.order_id == "o-1");
}

TEST_CASE("release gives reserved units back to available") {
  StockLevel level = stocked(10, 4);
  LedgerEntry entry = level.release(4, "o-1");
  check_level(level, 10, 0);
  CHECK(entry.movement == Movement::release);
  CHECK(entry.on_hand_delta == 0);
  CHECK(entry.reserved_delta == -4);
}

TEST_CASE("take_back returns sold units to on_hand") {
  StockLevel level = stocked(7, 1);
  LedgerEntry entry = level.take_back(3, "o-1");
  check_level(level, 10, 1);
  CHECK(entry.movement == Movement::return_);
  CHECK(entry.on_hand_delta == 3);
  CHECK(entry.reserved_delta == 0);
  CHECK(entry.order_id == "o-1");
}

TEST_CASE("sell and release never break 0 <= reserved <= on_hand") {
  StockLevel level = stocked(10, 4);
  CHECK_FAILURE(FailureKind::conflict, "stock_invariant", level.sell(5, "o-1"));
  CHECK_FAILURE(FailureKind::conflict, "stock_invariant", level.release(5, "o-1"));
  check_level(level, 10, 4);

  StockLevel full = stocked(3, 3);
  CHECK_FAILURE(FailureKind::conflict, "stock_invariant", full.take_back(-4, "o-1"));
  check_level(full, 3, 3);
}

TEST_CASE("is_low when available is at or below the threshold") {
  StockLevel level = stocked(10, 0, 5);
  CHECK_FALSE(level.is_low());
  level.reserve(4, "o-1");
  CHECK_FALSE(level.is_low());  // available 6
  level.reserve(1, "o-2");
  CHECK(level.is_low());        // available 5
  level.release(1, "o-2");
  CHECK_FALSE(level.is_low());
  // Reserved units are not available: on_hand alone does not decide.
  CHECK(stocked(100, 96, 5).is_low());
}

TEST_CASE("the low-stock threshold is bounded") {
  StockLevel level = stocked(10);
  level.set_low_stock_threshold(0);
  CHECK(level.low_stock_threshold() == 0);
  level.set_low_stock_threshold(max_quantity);
  CHECK(level.low_stock_threshold() == max_quantity);
  CHECK_INVALID_FIELD("low_stock_threshold", level.set_low_stock_threshold(-1));
  CHECK_INVALID_FIELD("low_stock_threshold", level.set_low_stock_threshold(max_quantity + 1));
  CHECK(level.low_stock_threshold() == max_quantity);
}

TEST_CASE("movement names round-trip") {
  for (Movement movement : {Movement::restock, Movement::stock_take, Movement::reserve,
                            Movement::release, Movement::sale, Movement::return_}) {
    CAPTURE(to_string(movement));
    CHECK(movement_from_string(to_string(movement)) == movement);
  }
  CHECK(std::string(to_string(Movement::return_)) == "return");
  CHECK(std::string(to_string(Movement::stock_take)) == "stock_take");
  CHECK_FALSE(movement_from_string("Restock").has_value());
}

TEST_CASE("any sequence of movements keeps the invariant and sums to the level") {
  // A fixed-seed LCG: the same long, mixed sequence on every run.
  std::uint64_t seed = 42;
  auto next = [&](std::int64_t bound) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::int64_t((seed >> 33) % std::uint64_t(bound));
  };
  StockLevel level = StockLevel::empty("p-1", 5);
  std::int64_t on_hand_sum = 0;
  std::int64_t reserved_sum = 0;
  int refused = 0;
  for (int step = 0; step < 2000; ++step) {
    std::int64_t quantity = next(12) - 1;  // -1 .. 10, zero and negatives included
    try {
      LedgerEntry entry = [&] {
        switch (next(6)) {
          case 0: return level.restock(quantity);
          case 1: return level.take(level.on_hand(), quantity * 3);
          case 2: return level.reserve(quantity, "o");
          case 3: return level.release(quantity, "o");
          case 4: return level.sell(quantity, "o");
          default: return level.take_back(quantity, "o");
        }
      }();
      on_hand_sum += entry.on_hand_delta;
      reserved_sum += entry.reserved_delta;
    } catch (const Failure&) {
      ++refused;
    }
    REQUIRE(level.reserved() >= 0);
    REQUIRE(level.reserved() <= level.on_hand());
  }
  CHECK(on_hand_sum == level.on_hand());
  CHECK(reserved_sum == level.reserved());
  CHECK(refused > 0);
}
