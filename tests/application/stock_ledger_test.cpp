#include <doctest/doctest.h>

#include <vector>

#include "stock_fixture.hpp"

using namespace shop;
using namespace shop::testing;
using shop::stock::Movement;

namespace {

struct Sums {
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
};

Sums sum(const std::vector<stock::LedgerRow>& rows) {
  Sums sums;
  for (const auto& row : rows) {
    sums.on_hand += row.entry.on_hand_delta;
    sums.reserved += row.entry.reserved_delta;
  }
  return sums;
}

}  // namespace

TEST_CASE_FIXTURE(StockFixture, "the ledger records every movement and recomputes the level") {
  shelve("p-1", 20);
  shelve("p-2", 5);
  stock->reserve("o-1", lines({{"p-1", 5}, {"p-2", 2}}));
  stock->reserve("o-2", lines({{"p-1", 3}}));
  stock->confirm("o-1");
  stock->release("o-2", "cancelled");
  stock->return_units("o-1");
  stock->take("p-1", {20, 18, std::nullopt});
  stock->reserve("o-3", lines({{"p-1", 4}}));

  auto rows = stock->ledger("p-1", 0, 100);
  REQUIRE(rows.size() == 8);
  std::vector<Movement> movements;
  for (const auto& row : rows) movements.push_back(row.entry.movement);
  CHECK(movements == std::vector<Movement>{Movement::restock, Movement::reserve,
                                           Movement::reserve, Movement::sale, Movement::release,
                                           Movement::return_, Movement::stock_take,
                                           Movement::reserve});
  CHECK_FALSE(rows[0].entry.order_id.has_value());
  CHECK(rows[1].entry.order_id == "o-1");
  CHECK(rows[2].entry.order_id == "o-2");
  CHECK(rows[3].entry.order_id == "o-1");
  CHECK(rows[4].entry.order_id == "o-2");
  CHECK(rows[5].entry.order_id == "o-1");
  CHECK_FALSE(rows[6].entry.order_id.has_value());

  for (const std::string product_id : {"p-1", "p-2"}) {
    CAPTURE(product_id);
    auto level = stock->level(product_id);
    auto sums = sum(stock->ledger(product_id, 0, 100));
    CHECK(sums.on_hand == level.on_hand);
    CHECK(sums.reserved == level.reserved);
  }
  CHECK(stock->level("p-1").on_hand == 18);
  CHECK(stock->level("p-1").reserved == 4);
}

TEST_CASE_FIXTURE(StockFixture, "an expiry release is in the ledger too") {
  shelve("p-1", 10);
  stock->reserve("o-1", lines({{"p-1", 4}}));
  clock.advance(std::chrono::hours(1));
  CHECK(stock->release_expired() == 1);
  auto rows = stock->ledger("p-1", 0, 100);
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].entry.movement == Movement::release);
  CHECK(rows[2].at == clock.now());
  CHECK(sum(rows).reserved == 0);
}

TEST_CASE_FIXTURE(StockFixture, "ledger pages by sequence, oldest first, one product at a time") {
  shelve("p-1", 1);
  shelve("p-2", 1);
  stock->restock("p-1", 2);
  stock->restock("p-1", 3);

  auto first = stock->ledger("p-1", 0, 2);
  REQUIRE(first.size() == 2);
  CHECK(first[0].entry.on_hand_delta == 1);
  CHECK(first[1].entry.on_hand_delta == 2);
  CHECK(first[0].sequence < first[1].sequence);
  auto rest = stock->ledger("p-1", first[1].sequence, 2);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].entry.on_hand_delta == 3);
  for (const auto& row : stock->ledger("p-2", 0, 100)) CHECK(row.entry.product_id == "p-2");
}

TEST_CASE_FIXTURE(StockFixture, "a refused movement leaves no ledger row") {
  shelve("p-1", 5);
  CHECK_FALSE(stock->reserve("o-1", lines({{"p-1", 6}})).reserved);
  CHECK_THROWS(stock->take("p-1", {4, 1, std::nullopt}));
  CHECK(stock->ledger("p-1", 0, 100).size() == 1);
}
